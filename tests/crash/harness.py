"""Real processes on a database file and a data folder of their own, for the crash tests
(ADR 0063): start Safehold's code in a subprocess, pause it at a named point or before its
Nth write step (safehold.core.testhooks), kill it with SIGKILL there, and look at what is left.
"""

# ruff: noqa: S603 -- our own interpreter and our own SQL over test files.

import fcntl
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from safehold.core.testhooks import COUNT_VARIABLE, PAUSE_VARIABLE

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
        env.pop(COUNT_VARIABLE, None)
        return env | extra

    def copy_to(self, folder: Path) -> "Place":
        """A copy of this installation (no process may be writing to it)."""
        other = Place(folder)
        for suffix in ("", "-wal", "-shm"):  # SQLite's write-ahead log holds recent commits
            source = self.database.with_name(self.database.name + suffix)
            if source.exists():
                shutil.copy(source, other.database.with_name(other.database.name + suffix))
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
        """Start Safehold's code in a process of its own (its output in logs/<log>.log),
        forked from the session's set-up process."""
        extra = {PAUSE_VARIABLE: pause} if pause else {}
        if count:
            extra[COUNT_VARIABLE] = "1"
        return Forked.start(
            code=textwrap.dedent(code),
            log=self.logs / f"{log}.log",
            env=extra,
            database=str(self.database),
            data=str(self.data),
        )

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
                if process.log.exists() and PAUSED.search(process.log.read_text()):
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
    shared = tmp_path_factory.getbasetemp()  # this session's (not kept from an older one)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder, shared by its workers
    shared = shared / "crash-template"
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


# --- Processes forked from one set-up process ----------------------------------------------
# Starting Python and setting Django up takes 2-3 s on a busy CI machine, and each kill needs
# a few processes; so one process sets Django up once (opening no database) and forks each
# process the tests ask for. Each is a process of its own (its own pid, database connection,
# threads and SIGKILL), pointed at its installation's database file and data folder before
# it runs anything; then it runs the code (the worker command, a recovery) as `safehold` would.

FORK_SERVER = """
import json, os, sys, threading, traceback
from pathlib import Path
import django
django.setup()
from django.db import connections
connections.close_all()  # a child opens its own, to its own file
out = sys.stdout

def reap():
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            threading.Event().wait(0.05)
            continue
        out.write(json.dumps({"exit": pid, "code": os.waitstatus_to_exitcode(status)}) + "\\n")
        out.flush()

threading.Thread(target=reap, daemon=True).start()
for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid:
        out.write(json.dumps({"started": pid}) + "\\n")
        out.flush()
        continue
    code = 1
    try:
        log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        # Fresh streams: the reaper thread may have held the old one's lock as we forked.
        sys.stdout = open(1, "w", buffering=1, closefd=False)
        sys.stderr = open(2, "w", buffering=1, closefd=False)
        os.environ.update(job["env"])
        from django.conf import settings
        connections["default"].close()
        connections["default"].settings_dict["NAME"] = job["database"]
        settings.DATA_DIR = Path(job["data"])
        settings.MEDIA_ROOT = settings.DATA_DIR / "documents"
        settings.CACHES["imports"]["LOCATION"] = str(settings.DATA_DIR / "cache" / "imports")
        from safehold.core import testhooks
        testhooks.install_from_environment()
        exec(compile(job["code"], "<crash test>", "exec"), {"__name__": "__main__"})
        if os.environ.get(testhooks.COUNT_VARIABLE):
            sys.stderr.write(f"safehold: {testhooks.write_steps()} write steps\\n")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
"""


class Forked:
    """A process forked by the set-up process: poll, wait and kill it like a Popen."""

    server: "subprocess.Popen | None" = None
    ended: dict[int, int] = {}
    started: list[int] = []
    lock = threading.Condition()

    def __init__(self, pid: int, log: Path):
        self.pid, self.log = pid, log

    @classmethod
    def serve(cls, env: dict[str, str]) -> None:
        cls.server = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER], env=env, cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        threading.Thread(target=cls._read, daemon=True).start()

    @classmethod
    def _read(cls) -> None:
        for line in cls.server.stdout:
            message = json.loads(line)
            with cls.lock:
                if "started" in message:
                    cls.started.append(message["started"])
                else:
                    cls.ended[message["exit"]] = message["code"]
                cls.lock.notify_all()

    @classmethod
    def stop_serving(cls) -> None:
        if cls.server is not None:
            cls.server.stdin.close()
            cls.server.wait(timeout=30)
            cls.server = None

    @classmethod
    def start(cls, **job) -> "Forked":
        job["log"] = str(job["log"])
        with cls.lock:
            cls.server.stdin.write(json.dumps(job) + "\n")
            cls.server.stdin.flush()
            assert cls.lock.wait_for(lambda: cls.started, timeout=30), "the fork server is gone"
            return cls(cls.started.pop(0), Path(job["log"]))

    @property
    def returncode(self) -> int | None:
        with self.lock:
            return self.ended.get(self.pid)

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float) -> int:
        with self.lock:
            if not self.lock.wait_for(lambda: self.pid in self.ended, timeout=timeout):
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            return self.ended[self.pid]

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)

    def send_signal(self, sig: int) -> None:
        os.kill(self.pid, sig)
