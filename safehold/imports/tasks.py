"""The job queue's one task for imports: run a kept upload with its kind's process (ADR 0030).
Its arguments are JSON (the database backend stores them with the task)."""

from django.conf import settings

from safehold.core import maintenance
from safehold.imports import services

try:  # Django 6 has the tasks API built in; Django 5.2 has the django-tasks backport
    from django.tasks import task
except ImportError:  # pragma: no cover - the backport, on Django 5.2
    from django_tasks import task


@task()
def run_import(
    run_id: str, channel: str = "web", request_id: str = "", ip_address: str | None = None
) -> str:
    """Check and import one run's kept file; returns the run's status. On a worker, not while
    Safehold is in maintenance: it waits, the run unclaimed, until maintenance ends (ADR 0062)."""
    if settings.SAFEHOLD_IMPORT_IN_BACKGROUND:
        maintenance.wait_until_off(poll_seconds=services.heartbeat_seconds())
    return services.process_run(
        run_id=run_id, channel=channel, request_id=request_id, ip_address=ip_address
    )
