"""The analytics store's one connection and one lock."""

import datetime

from safehold.analytics.store import connect, lock, run, scalar


def test_every_connection_has_safehold_limits_and_answers_in_utc(settings):
    settings.SAFEHOLD_DUCKDB_THREADS = 1
    settings.SAFEHOLD_DUCKDB_MEMORY_LIMIT = "256MB"
    con = connect()
    assert scalar(con, "SELECT current_setting('threads')") == 1
    assert scalar(con, "SELECT current_setting('TimeZone')") == "UTC"
    when = scalar(con, "SELECT TIMESTAMPTZ '2024-07-01 12:00:00+01:00'")
    assert when == datetime.datetime(2024, 7, 1, 11, 0, tzinfo=datetime.UTC)


def test_a_caller_may_override_one_limit():
    con = connect(threads=3)
    assert run(con, "SELECT current_setting('threads')") == [(3,)]


def test_an_exclusive_lock_keeps_out_a_second_holder_until_it_is_released(tmp_path):
    with lock(tmp_path) as held:
        assert held
        with lock(tmp_path, wait=False) as second:
            assert not second
        with lock(tmp_path, shared=True, wait=False) as reader:
            assert not reader
    with lock(tmp_path, wait=False) as after:
        assert after


def test_shared_locks_are_held_together_and_keep_out_an_exclusive_one(tmp_path):
    with lock(tmp_path, shared=True, name="staging.lock") as one:
        with lock(tmp_path, shared=True, wait=False, name="staging.lock") as two:
            assert one and two
            with lock(tmp_path, wait=False, name="staging.lock") as writer:
                assert not writer
