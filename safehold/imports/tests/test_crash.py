"""An upload survives `kill -9` (ADR 0030): real processes on a database file of their own.

The upload is queued and committed as the upload request does it, then the process that made
it is killed; a worker starts the import and is killed with SIGKILL in the middle of writing
the cases; a second worker finds the run silent, starts it again from the kept file, and
finishes it: every case once, nothing from the first attempt (it died with its transaction).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROWS = 1500
pytestmark = pytest.mark.database_free  # a database file of its own: once, in the SQLite pass


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'safehold.sqlite3'}",
        SAFEHOLD_TEST_DATA_DIR=str(tmp_path / "data"),
        SAFEHOLD_IMPORT_IN_BACKGROUND="1",  # the database queue, as in production
        SAFEHOLD_IMPORT_HEARTBEAT_SECONDS="0.5",  # silent for 2 s: stalled
        PYTHONUNBUFFERED="1",
    )


def _python(env: dict, code: str) -> subprocess.Popen:
    program = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", program],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "safehold.cli", "worker", "--no-reload", "--interval", "0.1",
         "--no-startup-delay", "--recover-every", "1"],
        env=env, cwd=ROOT, stdout=open(log, "w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def _query(database: Path, sql: str):
    with sqlite3.connect(database, timeout=30) as db:
        return db.execute(sql).fetchone()


def _wait_for(what: str, check, seconds: float, *logs: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.05)
    output = "\n".join(f"--- {log.name}\n{log.read_text()}" for log in logs if log.exists())
    raise AssertionError(f"Timed out waiting for {what}\n{output}")


UPLOAD = f"""
    import io, csv
    from django.db import transaction
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import UserFactory
    from safehold.cases.imports import COLUMNS
    from safehold.cases.tests.factories import ProgrammeFactory
    from safehold.imports import services

    programme = ProgrammeFactory(name="Exploitation project")
    officer = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    for n in range(1, {ROWS} + 1):
        writer.writerow({{"reference": f"EXP-2022-{{n:04d}}", "referral_date": "2022-03-14",
                         "exploitation_type": "cuckooing", "status": "open",
                         "subject_name": f"Sam Example{{n}}"}})
    with transaction.atomic():  # as the upload request: the run and its task commit together
        run = services.start_run(kind="cases", data=out.getvalue().encode(),
                                 file_name="historic.csv", by=officer,
                                 params={{"programme": str(programme.pk)}})
    print(run.pk, flush=True)
    import time
    time.sleep(600)  # the "web server" stays up until it is killed
"""


def test_an_upload_survives_kill_9_of_the_server_and_of_its_worker(tmp_path):
    env = _env(tmp_path)
    database = tmp_path / "safehold.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "safehold.cli", "migrate", "--noinput"],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip

    # The upload is committed by a process that is then killed with SIGKILL.
    server = _python(env, UPLOAD)
    run_id = server.stdout.readline().strip()
    assert len(run_id) == 36, run_id + server.stdout.read()
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=10)
    hex_id = run_id.replace("-", "")
    run_of = f"FROM cases_importrun WHERE id = '{hex_id}'"
    kept = tmp_path / "data" / "imports" / f"{run_id}.csv"
    assert _query(database, f"SELECT status, attempts {run_of}") == ("validating", 0)
    assert kept.exists()
    assert _query(database, "SELECT count(*) FROM django_tasks_database_dbtaskresult") == (1,)

    # The first worker starts the import and is killed while it writes the cases.
    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    first = _worker(env, first_log)
    try:
        _wait_for(
            "the first worker to be importing",
            lambda: _query(database, f"SELECT status {run_of}") == ("importing",),
            120,
            first_log,
        )
        time.sleep(0.5)  # well into writing the cases, inside the import's transaction
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert _query(database, f"SELECT status, attempts {run_of}") == ("importing", 1)
    assert _query(database, "SELECT count(*) FROM cases_case") == (0,)  # died uncommitted
    assert kept.exists()

    # The next worker finds the run silent, starts it again from the kept file and finishes.
    second = _worker(env, second_log)
    try:
        _wait_for(
            "the second worker to finish the run",
            lambda: _query(database, f"SELECT status {run_of}") in {("done",), ("invalid",)},
            180,
            first_log,
            second_log,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    status, attempts, created, errors = _query(
        database, f"SELECT status, attempts, created_cases, errors {run_of}"
    )
    assert (status, attempts, created, errors) == ("done", 2, ROWS, "[]"), second_log.read_text()
    assert _query(database, "SELECT count(*) FROM cases_case") == (ROWS,)  # each case once
    assert not kept.exists()
    tasks = _query(
        database,
        "SELECT group_concat(status, ',') FROM "
        "(SELECT status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at)",
    )
    assert tasks == ("FAILED,SUCCESSFUL",)  # the dead worker's task is not left "running"
