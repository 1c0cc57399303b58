"""Real processes on a database file and a data folder of their own, for the crash tests
(ADR 0063): start Safehold's code in a subprocess, pause it at a named point or before its
Nth write step (safehold.core.testhooks), kill it with SIGKILL there, and look at what is left.
"""

# ruff: noqa: S603 -- our own interpreter and our own SQL over test files.

import fcntl
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from safehold.core.testhooks import PAUSE_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
PAUSED = re.compile(r"safehold: paused at (\S+) \(pid (\d+)\)")
STEPS = re.compile(r"safehold: (\d+) write steps")


class Place:
    """A database file and a data folder: one Safehold installation on disk."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.database = folder / "safehold.sqlite3"
        self.data = folder / "data"
        self.logs = folder / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=f"sqlite:///{self.database}",
            SAFEHOLD_TEST_DATA_DIR=str(self.data),
            SAFEHOLD_IMPORT_IN_BACKGROUND="1",  # the database queue, as in production
            SAFEHOLD_IMPORT_HEARTBEAT_SECONDS="0.25",  # silent for 1 s: stalled
            PYTHONUNBUFFERED="1",
            PYTHONPATH=str(ROOT),
        )
        env.pop(PAUSE_VARIABLE, None)
        env.pop("SAFEHOLD_TEST_COUNT_WRITES", None)
        return env | extra

    def copy_to(self, folder: Path) -> "Place":
        """A copy of this installation (no process may be writing to it)."""
        other = Place(folder)
        shutil.copy(self.database, other.database)
        if self.data.exists():
            shutil.copytree(self.data, other.data, symlinks=True)
        return other

    def query(self, sql: str, *args) -> list[tuple]:
        with sqlite3.connect(self.database, timeout=30) as db:
            return db.execute(sql, args).fetchall()

    def one(self, sql: str, *args):
        rows = self.query(sql, *args)
        return rows[0] if rows else None

    def python(self, code: str, *, log: str, pause: str | None = None, count=False):
        """Start Safehold's code in a process of its own (its output in logs/<log>.log)."""
        extra = {PAUSE_VARIABLE: pause} if pause else {}
        if count:
            extra["SAFEHOLD_TEST_COUNT_WRITES"] = "1"
        program = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        path = self.logs / f"{log}.log"
        out = open(path, "w")
        process = subprocess.Popen(
            [sys.executable, "-c", program], env=self.env(**extra), cwd=ROOT,
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        out.close()
        process.log = path
        return process

    def finish(self, code: str, *, log: str, timeout: float = 120, count=False) -> str:
        """Run code to its end; its output (it must succeed)."""
        process = self.python(code, log=log, count=count)
        try:
            process.wait(timeout=timeout)
        finally:
            if process.poll() is None:
                process.kill()
        output = process.log.read_text()
        assert process.returncode == 0, f"{log} failed:\n{output}"
        return output

    def crash_at(self, code: str, point: str, *, log: str, timeout: float = 120) -> bool:
        """Run code paused at `point`, then kill it with SIGKILL there. False: it never got
        there (it finished: the point is after its last step)."""
        process = self.python(code, log=log, pause=point)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if PAUSED.search(process.log.read_text()):
                    return True
                if process.poll() is not None:
                    assert process.returncode == 0, process.log.read_text()
                    return False
                time.sleep(0.02)
            raise AssertionError(f"{log} neither paused nor ended:\n{process.log.read_text()}")
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)


def steps_of(output: str) -> int:
    """The write steps a process counted (SAFEHOLD_TEST_COUNT_WRITES)."""
    found = STEPS.findall(output)
    assert found, output
    return int(found[-1])


# A worker runs what is queued and exits; `recover` first takes over the runs of a worker
# that died (as every worker does as it starts), once they are silent.
WORKER = """
    import time
    from django.core.management import call_command
    from safehold.imports.models import ImportRun
    from safehold.imports.services import heartbeat_seconds, recover_stalled_runs
    if {recover}:
        time.sleep(heartbeat_seconds() * 4 + 0.1)  # a dead worker's run is silent by now
        recover_stalled_runs()
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload",
                 "--recover-every", "3600", "--interval", "0.05")
    {after}
"""
VERIFY = """
    from django.core.management import call_command
    call_command("audit", "verify")
"""


def worker(*, recover: bool = False, verify: bool = False) -> str:
    return WORKER.format(recover=recover, after=VERIFY if verify else "")


def migrated_template(tmp_path_factory) -> Place:
    """One migrated installation for the whole session (and every pytest-xdist worker: the
    first makes it under a lock, the others copy it), since migrating takes ~15 s."""
    shared = tmp_path_factory.getbasetemp().parent / "crash-template"
    shared.mkdir(exist_ok=True)
    place = Place(shared)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "ready").exists():
            place.database.unlink(missing_ok=True)
            subprocess.run(
                [sys.executable, "-m", "safehold.cli", "migrate", "--noinput"],
                env=place.env(), cwd=ROOT, check=True, capture_output=True,
            )  # fmt: skip
            (shared / "ready").touch()
    return place
