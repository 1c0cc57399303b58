"""`safehold worker`: run the job queue's tasks (import runs of every kind) as they are queued.

The database backend's own worker (`db_worker`, from django-tasks-db) with three things
added: as it starts and every minute while it runs, it recovers the runs whose worker died
(killed, or its machine stopped) — started again from the kept file, or failed with "nothing
was imported" (safehold.imports.services.recover_stalled_runs, ADR 0030); it says it is alive
every heartbeat interval, for the health endpoint (safehold.imports.health); and it takes no
new task while Safehold is in maintenance (ADR 0062). `make run` starts one beside the
server; in production, run it as a service next to the web server.
"""

import logging
import os
import threading

from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from safehold.imports.health import beat_worker
from safehold.imports.services import heartbeat_seconds, recover_stalled_runs

logger = logging.getLogger(__name__)


def _recover_every(seconds: float, stopped: threading.Event) -> None:
    while True:
        try:
            recover_stalled_runs()
        except Exception:  # the database may be briefly away; the next round tries again
            logger.exception("Recovering stalled import runs failed")
        finally:
            close_old_connections()
        if stopped.wait(seconds):
            return


def _beat_every(seconds: float, stopped: threading.Event) -> None:
    """Say the worker is alive, for the health endpoint (safehold.imports.health)."""
    while True:
        try:
            beat_worker()
        except Exception:  # a shared cache briefly away: the next beat tries again
            logger.exception("The worker's heartbeat could not be written")
        if stopped.wait(seconds):
            return


class Command(DatabaseWorkerCommand):
    help = (
        "Run queued tasks (import runs of every kind) as they come, and start again (or fail) "
        "the runs whose worker died."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--recover-every",
            type=float,
            default=60,
            help="Seconds between looks for runs whose worker died (default: %(default)s).",
        )

    def handle(self, *args, recover_every: float, **options) -> None:
        # With the autoreloader the parent process only watches files: the child recovers.
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            stopped = threading.Event()
            threading.Thread(
                target=_recover_every, args=(recover_every, stopped), daemon=True
            ).start()
            threading.Thread(
                target=_beat_every, args=(heartbeat_seconds(), stopped), daemon=True
            ).start()
        super().handle(*args, **options)
