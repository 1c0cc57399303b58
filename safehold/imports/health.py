"""How the job queue is doing, for the health endpoint (ADR 0062): how many tasks wait, how
long the oldest has waited, and when a worker last said it was alive.

Each `safehold worker` beats every heartbeat interval (`beat_worker`) into the "imports"
cache the web servers share with it (files in DATA_DIR on one machine, a shared cache such as
Redis on several), so a web server can tell a running worker from a dead one without asking it.
"""

import time

from django.core.cache import caches
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safehold.imports.services import heartbeat_seconds

WORKER_KEY = "safehold:worker-alive"


def beat_worker() -> None:
    """Say that a worker is alive now."""
    caches["imports"].set(WORKER_KEY, time.time(), timeout=None)


def worker_heartbeat_age() -> float | None:
    """Seconds since any worker last beat, or None if none ever has."""
    beat = caches["imports"].get(WORKER_KEY)
    return None if beat is None else max(0.0, time.time() - float(beat))


def worker_stalled_after() -> float:
    """A worker silent for four beats is taken to be gone (as a run is, ADR 0030)."""
    return 4 * heartbeat_seconds()


def queue_depth() -> tuple[int, float | None]:
    """(tasks waiting to run, seconds the oldest of them has waited or None)."""
    waiting = DBTaskResult.objects.ready()
    count = waiting.count()
    if not count:
        return 0, None
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return count, (timezone.now() - oldest).total_seconds()
