"""Import runs of any kind: the registry, the one read gate, the queue's task and what happens
to a run whose worker died (the crash itself, with real processes: test_crash.py)."""

import datetime

import pytest
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.services import audit_context
from safehold.imports import registry, services
from safehold.imports.models import ImportRun
from safehold.imports.selectors import runs_visible_to

KIND = "test-echo"
calls: list[tuple] = []


def _echo(run: ImportRun, data: bytes, *, fail: bool = False) -> None:
    calls.append((run.pk, data))
    if fail:
        raise RuntimeError("the import broke")
    run.status = ImportRun.Status.DONE
    run.result = {"bytes": len(data)}
    run.save()


@pytest.fixture
def echo_kind():
    """A kind registered for the test (as an app does in ready()), removed after it."""
    calls.clear()
    registry.register_kind(
        registry.ImportKind(
            name=KIND,
            label="Echo",
            process=_echo,
            may_import=lambda user: user.role == Role.ANALYST,
        )
    )
    yield
    registry._kinds.pop(KIND, None)


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST)


def test_a_run_is_kept_queued_and_imported_by_its_kind(echo_kind, analyst):
    run = services.start_run(kind=KIND, data=b"a,b\n1,2\n", file_name="f.csv", by=analyst)
    run.refresh_from_db()
    assert calls == [(run.pk, b"a,b\n1,2\n")]
    assert (run.status, run.result, run.attempts, run.agency) == (
        "done",
        {"bytes": 8},
        1,
        analyst.agency,
    )
    assert run.task_id  # the queue's task is noted on the run
    assert not services.upload_path(run.pk).exists()  # the kept file goes once imported


def test_an_unregistered_kind_is_refused_before_anything_is_kept(db, analyst):
    with pytest.raises(LookupError):
        services.start_run(kind="nothing", data=b"x", file_name="f.csv", by=analyst)
    assert not ImportRun.objects.exists()


def test_a_run_that_breaks_says_nothing_was_imported_and_the_error_reaches_the_caller(
    echo_kind, analyst
):
    with pytest.raises(RuntimeError, match="the import broke"):
        services.start_run(
            kind=KIND, data=b"x", file_name="f.csv", by=analyst, params={"fail": True}
        )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INVALID
    assert run.errors == [{"row": 0, "column": "", "message": services.STOPPED}]


def test_a_task_delivered_twice_imports_once(echo_kind, analyst):
    run = services.start_run(kind=KIND, data=b"x", file_name="f.csv", by=analyst)
    assert services.process_run(run_id=run.pk, channel="web") == "done"
    assert len(calls) == 1


def test_the_workers_audit_events_name_the_upload_that_started_the_run(echo_kind, analyst):
    from safehold.imports.tasks import run_import

    seen = []

    def watching(run, data):
        from safehold.audit.services import current_context

        seen.append(current_context())
        _echo(run, data)

    registry.register_kind(
        registry.ImportKind(name=KIND, label="Echo", process=watching, may_import=bool)
    )
    with audit_context(channel="web", request_id="req-1", ip_address="192.0.2.1"):
        services.start_run(kind=KIND, data=b"x", file_name="f.csv", by=analyst)
    assert (seen[0].channel, seen[0].request_id, seen[0].ip_address) == (
        "web",
        "req-1",
        "192.0.2.1",
    )
    assert run_import.module_path == "safehold.imports.tasks.run_import"


# --- The read gate ---------------------------------------------------------------------------


def test_runs_are_seen_by_their_agency_and_only_by_those_who_may_import_the_kind(
    echo_kind, analyst
):
    run = services.start_run(kind=KIND, data=b"x", file_name="f.csv", by=analyst)
    colleague = UserFactory(agency=analyst.agency, role=Role.ANALYST)
    assert list(runs_visible_to(colleague, kind=KIND)) == [run]
    assert list(runs_visible_to(colleague)) == [run]  # every kind the user may see
    assert not runs_visible_to(UserFactory(agency=AgencyFactory(), role=Role.ANALYST)).exists()
    caseworker = UserFactory(agency=analyst.agency, role=Role.CASEWORKER)
    assert not runs_visible_to(caseworker, kind=KIND).exists()
    assert not runs_visible_to(caseworker).filter(kind=KIND).exists()


# --- A worker that died ----------------------------------------------------------------------


def _stalled(analyst, *, attempts: int, keep_file: bool = True) -> ImportRun:
    """A run a worker started and then stopped saying it was alive a while ago."""
    run = ImportRun.objects.create(
        kind=KIND, uploaded_by=analyst, agency=analyst.agency, file_name="f.csv",
        status=ImportRun.Status.IMPORTING, attempts=attempts,
    )  # fmt: skip
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    ImportRun.objects.filter(pk=run.pk).update(modified_at=long_ago)
    if keep_file:
        services.upload_path(run.pk).parent.mkdir(parents=True, exist_ok=True)
        services.upload_path(run.pk).write_bytes(b"kept")
    return run


def test_a_run_whose_worker_died_is_started_again_from_the_kept_file(echo_kind, analyst):
    run = _stalled(analyst, attempts=1)
    assert services.recover_stalled_runs() == [run]
    run.refresh_from_db()
    assert (run.status, run.attempts, run.result) == ("done", 2, {"bytes": 4})
    assert calls == [(run.pk, b"kept")]


def test_a_run_whose_worker_died_twice_is_failed_and_says_nothing_was_imported(echo_kind, analyst):
    run = _stalled(analyst, attempts=services.MAX_ATTEMPTS)
    services.recover_stalled_runs()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID
    assert run.errors == [{"row": 0, "column": "", "message": services.STOPPED}]
    assert not services.upload_path(run.pk).exists() and calls == []


def test_a_run_whose_kept_file_is_gone_is_failed(echo_kind, analyst):
    run = _stalled(analyst, attempts=1, keep_file=False)
    services.recover_stalled_runs()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID and calls == []


def test_a_running_run_with_a_live_worker_and_a_queued_run_are_left_alone(echo_kind, analyst):
    alive = _stalled(analyst, attempts=1)
    services._cache().set(services.ALIVE_KEY.format(alive.pk), "now", 60)
    queued = _stalled(analyst, attempts=0)  # no worker has started it yet
    assert services.recover_stalled_runs() == []
    assert {r.status for r in ImportRun.objects.filter(pk__in=[alive.pk, queued.pk])} == {
        "importing"
    }
    assert calls == []
