"""Fixtures shared by every test: no world-seeding base class, just small named helpers."""

import os

import pytest
from django.db import connection

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.core.tests.selection import (
    example_urls,
    reads_through_a_gate,
    repeats_the_products_own_pass,
    restricted_runs,
)


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def caseworker(agency):
    return UserFactory(agency=agency, role=Role.CASEWORKER)


@pytest.fixture
def other_agency_caseworker(db):
    return UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)


@pytest.fixture
def signed_in(client, caseworker):
    client.force_login(caseworker)
    return client


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


# A test marked `database_free` may use none of these (pytest-django refuses a database to a
# test without them): CI's PostgreSQL pass leaves it out, as it would run as on SQLite (ADR 0057).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


# The leak checks (what a user must not see) test the read gates alone: on PostgreSQL they run
# with row-level security off, so a gate that forgot a filter shows the marker instead of the
# backstop hiding it; CI's pass without it then leaves them out, as it does the tests of what
# the holder does see (`owner_sees`), which prove nothing about leaks there (ADR 0067). On
# SQLite the flag changes nothing.
@pytest.fixture(autouse=True)
def _gates_alone(request):
    if request.node.get_closest_marker("gates_alone") is not None:
        request.getfixturevalue("settings").SAFEHOLD_ROW_LEVEL_SECURITY = False


# CI's selections (ADR 0047, safehold/core/tests/selection.py): the `read_gates` marker that
# the pass with row-level security off runs, and the example pass's own cases.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    example = example_urls()
    if example is not None:
        _deselect(config, items, [i for i in items if repeats_the_products_own_pass(i, example)])
    for item in items:
        if item.get_closest_marker("browser") is None and reads_through_a_gate(item):
            item.add_marker(pytest.mark.read_gates)
        if item.get_closest_marker("database_free") and DATABASE_FIXTURES & set(item.fixturenames):
            raise pytest.UsageError(f"{item.nodeid} is marked database_free but uses a database")
    _leave_out_what_ran_unrestricted(config, items)


# CI's pass with row-level security on records which read-gate tests ever switched to the
# restricted role; the pass with it off runs only those (ADR 0066, selection.RestrictedRuns).
_recording = restricted_runs("SAFEHOLD_RECORD_RESTRICTED")


def pytest_configure(config):
    if _recording is not None:
        if not hasattr(config, "workerinput"):
            _recording.clear()  # the run (or its xdist controller) starts a new record
        _recording.watch()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if _recording is None or item.get_closest_marker("read_gates") is None:
        return (yield)
    _recording.start()
    try:
        return (yield)
    finally:
        _recording.finish(item.nodeid, os.environ.get("PYTEST_XDIST_WORKER", "main"))


def pytest_sessionfinish(session, exitstatus):
    worker = hasattr(session.config, "workerinput")
    if _recording is not None and not worker and exitstatus == 0:
        _recording.complete()


def _leave_out_what_ran_unrestricted(config, items) -> None:
    choosing = restricted_runs("SAFEHOLD_ONLY_RESTRICTED")
    recorded = choosing.recorded() if choosing is not None else None
    if recorded is None:
        return  # no complete record: every read-gate test runs
    unchanged = [
        item
        for item in items
        if item.get_closest_marker("read_gates") is not None
        and item.nodeid not in recorded
        and not choosing.always_run(item)
    ]
    _deselect(config, items, unchanged)


def _deselect(config, items, chosen) -> None:
    if chosen:
        config.hook.pytest_deselected(items=chosen)
        left_out = set(chosen)
        items[:] = [item for item in items if item not in left_out]
