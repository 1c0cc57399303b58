"""CI's selections (ADR 0047, `selection.py`) applied to the suite's own tests: the pass with
row-level security off gets the leak matrix, partial sharing, signed-in access checks, audited
reads and tests that call a gate, and not anonymous-only or unrelated tests; the example pass
leaves out only the shared tests' cases for the product's own URLs."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.backends.utils import CursorWrapper

from safehold.accounts.tests import test_no_bypass
from safehold.api.tests import test_schema_conformance
from safehold.cases.tests import test_service_guards
from safehold.core.tests import (
    test_access,
    test_audited_reads,
    test_no_leaks,
    test_partial_sharing,
    test_settings,
)
from safehold.core.tests.selection import (
    RestrictedRuns,
    reads_through_a_gate,
    repeats_the_products_own_pass,
)
from safehold.imports.tests import test_runs


def item(module, function_name, fixtures=(), params=None):
    """What the rules read of a collected test: its file, name, fixtures, code and parameters."""
    function = getattr(module, function_name)
    return SimpleNamespace(
        path=Path(module.__file__),
        name=function_name,
        originalname=function_name,
        fixturenames=[*fixtures, *(params or {})],
        function=function,
        callspec=SimpleNamespace(params=params or {}),
    )


@pytest.mark.parametrize(
    ("module", "name", "fixtures"),
    [
        (
            test_no_leaks,
            "test_no_page_list_search_or_export_leaks_another_agencys_records",
            ["client"],
        ),
        (
            test_partial_sharing,
            "test_what_a_partial_relation_does_not_give_is_never_shown",
            ["client"],
        ),
        (
            test_access,
            "test_a_user_of_another_agency_gets_404_for_records_not_shared_with_them",
            ["client", "records"],
        ),
        (
            test_access,
            "test_no_record_url_answers_403_to_any_role_of_the_holding_agency",
            ["client", "records"],
        ),
        (
            test_audited_reads,
            "test_every_list_search_and_export_is_audited_naming_what_it_shows",
            ["client", "records"],
        ),
        # A test in a file named for something else that calls a read gate itself.
        (
            test_runs,
            "test_runs_are_seen_by_their_agency_and_only_by_those_who_may_import_the_kind",
            ["db"],
        ),
    ],
)
def test_the_read_gate_tests_are_marked(module, name, fixtures):
    assert reads_through_a_gate(item(module, name, fixtures))


@pytest.mark.parametrize(
    ("module", "name", "fixtures"),
    [
        # Anonymous requests only: the flag changes nothing for them.
        (test_access, "test_anonymous_requests_are_sent_to_sign_in", ["client", "records"]),
        (
            test_access,
            "test_every_api_operation_refuses_anonymous_callers_with_401",
            ["client", "records"],
        ),
        # No read through a gate.
        (test_settings, "test_production_refuses_to_start_without_a_real_secret_key", []),
        (test_service_guards, "test_only_the_asb_team_acknowledges_a_handover", ["world"]),
        (test_no_bypass, "test_a_password_without_the_code_opens_no_page", ["half_signed_in"]),
        # The shape of every answer (in an app whose every other test is marked; ADR 0066).
        (
            test_schema_conformance,
            "test_every_operation_answers_as_the_schema_says",
            ["bearer", "in_process", "role"],
        ),
    ],
)
def test_other_tests_are_not_marked(module, name, fixtures):
    assert not reads_through_a_gate(item(module, name, fixtures))


def test_an_anonymous_test_that_signs_in_through_a_fixture_is_marked():
    case = item(test_access, "test_anonymous_requests_are_sent_to_sign_in", ["client", "signed_in"])
    assert reads_through_a_gate(case)


EXAMPLE = {"names": {"example:detail", "api:visit-list"}, "paths": {"/api/v1/example/visits/"}}


@pytest.mark.parametrize(
    ("params", "repeated"),
    [
        ({"name": "cases:detail", "method": "get"}, True),
        ({"name": "example:detail", "method": "get"}, False),
        ({"name": "api:visit-list", "method": "post"}, False),
        ({"method": "GET", "path": "/api/v1/cases/{id}/"}, True),
        ({"method": "GET", "path": "/api/v1/example/visits/"}, False),
        # Not split by URL: every URL, the example's included, in each.
        ({"role": "caseworker"}, False),
        ({"relation": "name_only"}, False),
        ({}, False),
    ],
)
def test_the_example_pass_leaves_out_only_the_products_url_cases(params, repeated):
    case = item(test_access, "test_the_owning_agency_can_open_its_own_records", params=params)
    assert repeats_the_products_own_pass(case, EXAMPLE) is repeated


# The pass without row-level security runs the read-gate tests that switched role (ADR 0066).


def test_a_record_is_read_only_when_the_pass_that_made_it_finished(tmp_path):
    runs = RestrictedRuns(str(tmp_path / "record"))
    assert runs.recorded() is None  # nothing recorded: every read-gate test runs
    runs.start()
    runs._seen.set()
    runs.finish("a.py::test_signed_in", "gw0")
    runs.start()
    runs.finish("a.py::test_anonymous", "gw1")  # never switched role: not written
    assert runs.recorded() is None  # the pass did not finish (it failed or was stopped)
    runs.complete()
    assert runs.recorded() == {"a.py::test_signed_in"}
    runs.clear()
    assert runs.recorded() is None


def test_a_module_that_starts_other_processes_always_runs():
    assert RestrictedRuns.always_run(SimpleNamespace(module=test_settings))  # subprocess
    assert not RestrictedRuns.always_run(SimpleNamespace(module=test_partial_sharing))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_the_record_sees_a_signed_in_request_switch_role_and_an_anonymous_one_not(
    client, caseworker, settings, monkeypatch, tmp_path
):
    settings.SAFEHOLD_ROW_LEVEL_SECURITY = True  # as in the pass that records
    monkeypatch.setattr(CursorWrapper, "execute", CursorWrapper.execute)  # put back after
    runs = RestrictedRuns(str(tmp_path))
    runs.watch()
    runs.start()
    assert client.get("/cases/").status_code == 302  # anonymous: sent to sign in
    assert not runs._seen.is_set()
    client.force_login(caseworker)
    assert client.get("/cases/").status_code == 200
    assert runs._seen.is_set()  # the positive control: the same URL, signed in


def _a_signed_in_request_switches_role(client, caseworker, monkeypatch, folder) -> bool:
    """Seen as the record of ADR 0066 sees it."""
    monkeypatch.setattr(CursorWrapper, "execute", CursorWrapper.execute)  # put back after
    runs = RestrictedRuns(str(folder))
    runs.watch()
    runs.start()
    client.force_login(caseworker)
    assert client.get("/cases/").status_code == 200
    return runs._seen.is_set()


@pytest.mark.gates_alone
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_a_leak_check_runs_without_row_level_security(client, caseworker, monkeypatch, tmp_path):
    """A test marked gates_alone runs with row-level security off, whatever the pass (ADR 0067):
    its requests never switch to the restricted role."""
    assert not _a_signed_in_request_switches_role(client, caseworker, monkeypatch, tmp_path)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_an_unmarked_test_runs_with_row_level_security_as_the_pass_has_it(
    client, caseworker, monkeypatch, settings, tmp_path
):
    """The positive control: the same request in a test without the mark, in the PostgreSQL
    pass (row-level security on), switches role."""
    settings.SAFEHOLD_ROW_LEVEL_SECURITY = True
    assert _a_signed_in_request_switches_role(client, caseworker, monkeypatch, tmp_path)
