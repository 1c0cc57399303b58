"""A task backend for tests and for running without a worker: each task runs at once where it
is queued, inside the caller's transaction, and an exception reaches the caller.

Django's ImmediateBackend records a failed task and carries on; an upload in a test must fail
as it did before the queue (the request sees the error, the run says it stopped), so the suite
keeps asserting what a failing import does. Production uses the database backend (ADR 0030).
"""

from django.utils import timezone

try:  # Django 6 has the tasks API built in; Django 5.2 has the django-tasks backport
    from django.tasks.backends.immediate import ImmediateBackend
    from django.tasks.base import TaskResultStatus
except ImportError:  # pragma: no cover - the backport, on Django 5.2
    from django_tasks.backends.immediate import ImmediateBackend
    from django_tasks.base import TaskResultStatus


class InProcessBackend(ImmediateBackend):
    def _execute_task(self, task_result) -> None:
        now = timezone.now()
        for name, value in (("enqueued_at", now), ("started_at", now), ("status", "RUNNING")):
            object.__setattr__(task_result, name, value)
        value = task_result.task.call(*task_result.args, **task_result.kwargs)
        object.__setattr__(task_result, "_return_value", value)
        object.__setattr__(task_result, "finished_at", timezone.now())
        object.__setattr__(task_result, "status", TaskResultStatus.SUCCESSFUL)
