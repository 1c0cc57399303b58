"""An import killed at the worst moments, for real: `safehold crime import` runs in a process of
its own, waits at a pause point (SAFEHOLD_TEST_PAUSE_AT, safehold/core/testhooks.py) and is
killed with SIGKILL there. Recovery (`safehold crime recover`, the next import, the "what is
loaded" page) must then leave the store and the database agreeing: the run's new files with
done records and their audit event, or the files from before and no record of the run; and no
staging folder behind (ADR 26).

The killed processes need a database they can commit to and this test can read: a fresh one,
migrated once for the module (a file for SQLite; a database of its own on PostgreSQL).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb
import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.testhooks import PAUSE_VARIABLE
from safehold.crime import store as crime_store
from safehold.crime.ingest import import_police_files, recovery
from safehold.crime.models import CrimeImport
from safehold.crime.store import Partition, written_by
from safehold.crime.tests.conftest import CLEVELAND, POLICE, stored_rows

ROOT = Path(__file__).resolve().parents[3]
SAFEHOLD = [sys.executable, "-m", "safehold.cli"]
FEBRUARY = Partition("street", "cleveland", "2023-02")
MARCH = Partition("street", "cleveland", "2023-03")
OUTCOMES = POLICE / "2023-03-cleveland-outcomes.csv"


class Database:
    """The killed processes' database, read with plain SQL (this test's own connection is
    pytest's test database, which they cannot see). The module's tests share it: `since()`
    gives a view of the records and events written from now on, for one test."""

    def __init__(self, url: str, old_records: frozenset[str] = frozenset(), old_events: int = 0):
        self.url, self.old_records, self.old_events = url, old_records, old_events

    def rows(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(urlsplit(self.url).path) as con:
                return con.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as con:
            return con.execute(sql).fetchall()

    def since(self) -> "Database":
        ids = frozenset(i for *_, i in self.imports())
        [(last,)] = self.rows("SELECT coalesce(max(id), 0) FROM audit_auditevent")
        return Database(self.url, self.old_records | ids, last)

    def imports(self) -> list[tuple[str, str, str, str, int, str]]:
        """Every import record: (run, status, kind, month, rows, id), run and id as UUID text."""
        found = self.rows("SELECT run, status, kind, month, rows, id FROM crime_crimeimport")
        records = sorted(
            (str(uuid.UUID(str(r))), s, k, m, n, str(uuid.UUID(str(i))))
            for r, s, k, m, n, i in found
        )
        return [r for r in records if r[-1] not in self.old_records]

    def events(self) -> list[tuple[str, str, str]]:
        """The import events: (action, object ids, purpose), oldest first."""
        return self.rows(
            "SELECT action, object_ids, purpose FROM audit_auditevent "  # noqa: S608 -- a number
            f"WHERE object_type = 'crime.import' AND id > {int(self.old_events)} ORDER BY id"
        )


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    admin = None
    if url.startswith("postgres"):
        import psycopg

        parts = urlsplit(url)
        name = f"{parts.path[1:]}_crash_{uuid.uuid4().hex[:8]}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('crash') / 'safehold.sqlite3'}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=url,
        PYTHONPATH=str(ROOT),
    )
    env.pop(PAUSE_VARIABLE, None)
    safehold(env, "migrate", "--noinput")
    try:
        yield Database(url), env
    finally:
        if admin:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as con:
                con.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path[1:]}" WITH (FORCE)')


@pytest.fixture
def world(database, tmp_path):
    """The database, and a data folder of this test's own with February imported once."""
    db, env = database
    db = db.since()
    env = dict(env, SAFEHOLD_TEST_DATA_DIR=str(tmp_path / "data"))
    safehold(env, "crime", "import", str(CLEVELAND[0]))
    root = tmp_path / "data" / "crime"
    return db, env, root


def safehold(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 -- Safehold's own command line
        [*SAFEHOLD, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"safehold {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def killed_at(point: str, env: dict, *paths: Path) -> None:
    """Start `safehold crime import PATHS`, wait until it says it is paused at `point`, and
    kill it with SIGKILL there (nothing of its own runs after)."""
    process = subprocess.Popen(  # noqa: S603 -- Safehold's own command line
        [*SAFEHOLD, "crime", "import", *map(str, paths)],
        env={**env, PAUSE_VARIABLE: point},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    seen = []
    try:
        for line in process.stderr:
            seen.append(line)
            if f"safehold: paused at {point} " in line:
                break
        else:
            pytest.fail(f"the import never paused at {point}:\n{''.join(seen)}")
        process.send_signal(signal.SIGKILL)
        assert process.wait() == -signal.SIGKILL
    finally:
        watchdog.cancel()
        process.kill()
        process.stderr.close()


def rows_in(root: Path, partition: Partition) -> int:
    return duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{partition.path(root)}')"  # noqa: S608 -- our path
    ).fetchall()[0][0]


def newer_february(tmp_path) -> Path:
    """A newer download of February with 49 rows (the store holds 218)."""
    path = tmp_path / "newer" / CLEVELAND[0].name
    path.parent.mkdir()
    path.write_text("".join(CLEVELAND[0].read_text().splitlines(keepends=True)[:50]))
    return path


def assert_agree(db: Database, root: Path) -> None:
    """The store and the database say the same: no run pending; each force-month in the store
    was written by a run with a done record of it, with its rows, its run's counts beside it and
    one collect event naming it; no done record, and no counts, of a force-month the store does
    not hold; no staging folder left."""
    records = db.imports()
    assert [status for _, status, *_ in records if status != "done"] == []
    collected = [ids.split() for action, ids, _ in db.events() if action == "collect"]
    for partition in (FEBRUARY, MARCH):
        mine = [
            (run, n, i)
            for run, _, kind, month, n, i in records
            if (kind, month) == (partition.kind, partition.month)
        ]
        if not partition.path(root).exists():
            assert mine == [], partition
            assert not partition.counts_path(root).exists(), partition
            continue
        # A street file's counts are the ones its run wrote (ADR 38).
        assert written_by(partition.counts_path(root)) == written_by(partition.path(root))
        [(rows, record_id)] = [
            (n, i) for run, n, i in mine if run == written_by(partition.path(root))
        ]
        assert rows == rows_in(root, partition)
        assert sum(record_id in ids for ids in collected) == 1
    assert list((root / ".staging").iterdir()) == []


def test_killed_between_swapping_in_and_marking_done_the_run_is_finished(world, tmp_path):
    db, env, root = world
    before_events = len(db.events())
    killed_at("swapped", env, newer_february(tmp_path), CLEVELAND[1])
    # The moment between the swap and the commit: the new files are live, the run pending.
    [run] = {r for r, status, *_ in db.imports() if status == "pending"}
    assert written_by(FEBRUARY.path(root)) == written_by(MARCH.path(root)) == run
    assert rows_in(root, FEBRUARY) == 49
    assert "Finished import run" in safehold(env, "crime", "recover")
    assert_agree(db, root)
    assert [(r, s, m, n) for r, s, _, m, n, _ in db.imports() if r == run] == [
        (run, "done", "2023-02", 49),
        (run, "done", "2023-03", 227),
    ]
    collected, finished = db.events()[before_events:]
    assert (collected[0], finished[0]) == ("collect", "alter")
    assert finished[1] == collected[1]  # the same records
    assert f"police.uk import run {run} finished after it was interrupted" in finished[2]
    assert "intact" in safehold(env, "audit", "verify").lower()


def test_killed_half_way_through_the_swap_the_run_is_undone_by_the_next_import(world, tmp_path):
    db, env, root = world
    before_rows = stored_rows(root)
    before_imports, before_events = db.imports(), len(db.events())
    killed_at("swapping", env, newer_february(tmp_path), CLEVELAND[1])
    # February (first in order) swapped in, March not: a half-applied run.
    [run] = {r for r, status, *_ in db.imports() if status == "pending"}
    assert written_by(FEBRUARY.path(root)) == run and not MARCH.path(root).exists()
    assert rows_in(root, FEBRUARY) == 49
    # The next import puts it back before it imports.
    safehold(env, "crime", "import", str(OUTCOMES))
    assert stored_rows(root) == {
        **before_rows,
        "kind=outcomes/force=cleveland/month=2023-03/data.parquet": stored_rows(root)[
            "kind=outcomes/force=cleveland/month=2023-03/data.parquet"
        ],
    }
    assert [r for r in db.imports() if r[0] == run] == []
    assert [r for r in db.imports() if r in before_imports] == before_imports
    collected, undone, outcomes = db.events()[before_events:]
    assert (collected[0], undone[0], outcomes[0]) == ("collect", "erase", "collect")
    assert undone[1] == collected[1]
    assert undone[2] == (
        f"police.uk import run {run} undone after it was interrupted (1 of 2 file(s) had been "
        "swapped in and were put back)"
    )
    assert_agree(db, root)


def test_killed_while_converting_its_staging_folder_is_removed(world):
    db, env, root = world
    before_rows, before_imports, before_events = stored_rows(root), db.imports(), db.events()
    killed_at("converted", env, CLEVELAND[1])
    [left] = list((root / ".staging").iterdir())
    assert any(left.rglob("*.parquet"))
    assert (stored_rows(root), db.imports(), db.events()) == (
        before_rows,
        before_imports,
        before_events,
    )
    assert "Removed 1 staging folder(s)." in safehold(env, "crime", "recover")
    assert list((root / ".staging").iterdir()) == []
    assert stored_rows(root) == before_rows
    assert_agree(db, root)


# --- Recovery in this process: the page, and what it must leave alone ------------------------


@pytest.mark.django_db
def test_the_what_is_loaded_page_finishes_a_run_left_pending_first(client, store):
    """A run whose files are all in place but whose records were left pending (what a kill
    after the swap leaves) is finished before the page lists the imports."""
    result = import_police_files(paths=CLEVELAND)
    CrimeImport.objects.update(status=CrimeImport.Status.PENDING)
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    page = client.get(reverse("crime:police-data")).content.decode()
    assert set(CrimeImport.objects.values_list("status", flat=True)) == {"done"}
    assert "February 2023" in page and "March 2023" in page  # pending runs are not listed
    event = AuditEvent.objects.get(object_type="crime.import", action="alter")
    assert f"police.uk import run {result.run} finished" in event.purpose
    assert event.actor_label == recovery.ACTOR_LABEL


@pytest.mark.django_db
def test_every_file_an_import_writes_names_its_run_placed_by_coordinates_or_not(store):
    stop_and_search = POLICE / "2018-09-greater-manchester-stop-and-search.csv"
    result = import_police_files(paths=[CLEVELAND[0], stop_and_search])
    assert result.placed > 0  # the stop and search file was written again with its places
    for partition in (FEBRUARY, Partition("stop-and-search", "greater-manchester", "2018-09")):
        assert written_by(partition.path(store)) == str(result.run)
    assert written_by(store / "no-such.parquet") is None


@pytest.mark.django_db
def test_a_run_is_left_alone_while_an_import_holds_the_lock(store):
    """Only a holder of the writer lock may judge a pending run: while another import holds it
    (a live one), recovery without waiting leaves the run and its staging folder."""
    before = import_police_files(paths=[CLEVELAND[0]])
    newer = import_police_files(paths=[CLEVELAND[0]])
    CrimeImport.objects.filter(run=newer.run).update(status=CrimeImport.Status.PENDING)
    stage = store / ".staging" / newer.run.hex
    stage.mkdir()
    with crime_store.writer_lock(store):
        assert recovery.recover(store, wait=False).finished == []
    assert stage.exists() and CrimeImport.objects.filter(status="pending").count() == 1
    assert recovery.recover(store, wait=False).finished == [newer.run]
    assert not stage.exists()
    assert CrimeImport.objects.filter(run=before.run, status="done").count() == 1


@pytest.mark.django_db
def test_staging_folders_in_use_are_never_removed(store):
    stale = store / ".staging" / "left-by-a-killed-import"
    stale.mkdir(parents=True)
    with crime_store.staging(store, "live") as live:
        assert recovery.recover(store).staging_removed == []
        assert live.exists() and stale.exists()
    assert recovery.recover(store).staging_removed == ["left-by-a-killed-import"]
    assert list((store / ".staging").iterdir()) == []


@pytest.mark.django_db
def test_a_run_undone_without_its_staging_folder_keeps_what_cannot_be_put_back(store):
    """If the earlier files kept for a run are gone (its staging folder removed by hand), a
    replaced force-month cannot be put back: its new file stays, recorded as done; a new one
    is removed. The store and the records still agree."""
    import_police_files(paths=[CLEVELAND[0]])
    run = import_police_files(paths=CLEVELAND).run
    CrimeImport.objects.filter(run=run).update(status=CrimeImport.Status.PENDING)
    MARCH.path(store).unlink()  # March never got there: the run is half swapped in
    assert recovery.recover(store).undone == [run]
    assert written_by(FEBRUARY.path(store)) == str(run)
    assert list(CrimeImport.objects.filter(run=run).values_list("month", "status")) == [
        ("2023-02", "done")
    ]
