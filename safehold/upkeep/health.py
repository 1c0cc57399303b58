"""The health of one Safehold server, for a load balancer and for monitoring (ADR 0062).

Four checks, none of which reads personal data: the database answers, the data folder takes a
file, the job queue's depth (and how long its oldest task has waited), and how long ago a
worker last said it was alive. The overall status is "failing" (HTTP 503: take this server
out of the balancer) when the server itself cannot work — its database or its data folder —
and "degraded" (still 200: the server can serve pages) when only the workers are behind or
gone, which monitoring should alert on but a balancer must not act on: every server shares the
same workers, so taking them all out would stop the service for a worker's fault.
"""

import os
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from safehold.analytics.store import data_dir
from safehold.core import maintenance
from safehold.imports import health as queue

OK, DEGRADED, FAILING = "ok", "degraded", "failing"


@dataclass
class Report:
    """The checks' results, as the endpoint's JSON."""

    checks: dict = field(default_factory=dict)

    @property
    def status(self) -> str:
        failed = {name for name, check in self.checks.items() if not check["ok"]}
        if failed & {"database", "data_folder"}:
            return FAILING
        return DEGRADED if failed else OK

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "maintenance": maintenance.is_on(),
            "checks": self.checks,
        }


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except Exception as exc:  # what failed is the answer, not an error page
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _data_folder() -> dict:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f".health.{os.getpid()}.tmp"
    probe.write_bytes(b"ok")
    probe.unlink()
    return {}


def _queue() -> dict:
    depth, oldest = queue.queue_depth()
    return {"depth": depth, "oldest_waiting_seconds": None if oldest is None else round(oldest)}


def _worker() -> dict:
    if not settings.SAFEHOLD_IMPORT_IN_BACKGROUND:
        return {"needed": False}  # imports run inside the request: no worker to wait for
    age = queue.worker_heartbeat_age()
    stalled_after = queue.worker_stalled_after()
    result = {"heartbeat_age_seconds": None if age is None else round(age, 1)}
    if age is None or age > stalled_after:
        result.update(ok=False, error=f"no worker heartbeat in the last {stalled_after:g} s")
    return result


def check() -> Report:
    report = Report()
    for name, run in (
        ("database", _database),
        ("data_folder", _data_folder),
        ("queue", _queue),
        ("worker", _worker),
    ):
        report.checks[name] = _timed(run)
    if not report.checks["database"]["ok"]:
        report.checks["queue"] = {"ok": False, "error": "the database is not answering"}
    return report
