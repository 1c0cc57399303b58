"""The restore drill (issue 19, item 5; ADR 0062): real processes on databases and data folders
of their own.

Casework of every kind (a case with chronology, enforcement and a document, shared and closed;
cases imported from a CSV; a housing provider's people and tenancies extracts in the analytics
store) is loaded; pages, a document, a report, the top indicators list and `audit verify` are
read; a backup is made with `safehold backup create`; it is restored with `safehold backup
restore` into a new empty database and data folder; the same reads give the same answers
there, and the audit chain verifies with the backup's and the restore's events on it.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[3]

LOAD = """
    import csv, io, json
    from django.db import transaction
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import AgencyFactory, UserFactory
    from safehold.cases.imports import COLUMNS
    from safehold.cases.tests.factories import CaseFactory
    from safehold.governance.tests.factories import casework
    from safehold.imports import services
    from safehold.risk.tests.factories import extract, tenancy

    work = casework()
    for n in range(3):
        CaseFactory(programme=work.case.programme, owning_agency=work.agency)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    for n in range(1, 21):
        writer.writerow({"reference": f"EXP-2022-{n:04d}", "referral_date": "2022-03-14",
                         "exploitation_type": "cuckooing", "status": "open",
                         "subject_name": f"Sam Example{n}"})
    with transaction.atomic():  # imported at once (no worker in this drill)
        run = services.start_run(kind="cases", data=out.getvalue().encode(),
                                 file_name="historic.csv", by=work.caseworker,
                                 params={"programme": str(work.case.programme.pk)})
    homes = AgencyFactory(name="Stockport Homes")
    extract(homes, "people", [("H-1", "Ada", "Lovelace", "", "SK1 1EB", "")])
    extract(homes, "tenancies", [tenancy("T-1", "H-1", weeks="10", start="2026-05-01")])
    given = {"user": work.caseworker.email, "case": str(work.case.pk), "run": str(run.pk),
             "document": str(work.document.pk)}
"""

READ = """
    import hashlib, io, json, re, html, sys
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from safehold.accounts.models import User

    setup_test_environment()
    answers = {}
    out = io.StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except Exception as exc:
        out.write(f"FAILED {exc}")
    answers["audit verify"] = out.getvalue()
    client = Client()
    client.force_login(User.objects.get(email=given["user"]))
    for url in ["/cases/", f"/cases/{given['case']}/", f"/cases/import/{given['run']}/",
                "/reports/evaluation/"]:
        response = client.get(url)
        page = response.content.decode()
        main = page[page.find("<main"):page.find("</main>")]
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())
        answers[url] = [response.status_code, text]
    document = client.get(f"/cases/documents/{given['document']}/")
    content = b"".join(document.streaming_content) if document.streaming else document.content
    answers["document"] = [document.status_code, hashlib.sha256(content).hexdigest()]
    out = io.StringIO()
    call_command("risk", "list", "--as-of", "2026-06-30", "--format", "json", stdout=out)
    answers["risk list"] = out.getvalue()
    print(json.dumps({"given": given, "answers": answers}))
"""
GIVEN = """
    import json, sys
    given = json.loads(sys.argv[1])
"""


def _python(env: dict, code: str, *args: str) -> str:
    program = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    done = subprocess.run(  # noqa: S603 -- Safehold's own code
        [sys.executable, "-c", program, *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1]


def _safehold(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- Safehold's own command
        [sys.executable, "-m", "safehold.cli", *args],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip


def _env(database_url: str, data: Path) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url,
        SAFEHOLD_TEST_DATA_DIR=str(data),
        SAFEHOLD_IMPORT_IN_BACKGROUND="0",
    )


def _postgres_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


@pytest.fixture(scope="module")
def databases(django_db_setup, django_db_blocker, tmp_path_factory):
    """(URL of a migrated, empty database, URL of a database that does not exist yet), both of
    this module's own, copied from the session's migrated test database (migrating another
    would take most of a minute) before any test's transaction opens; dropped afterwards."""
    folder = tmp_path_factory.mktemp("drill-databases")
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            source = folder / "source.sqlite3"
            connection.ensure_connection()
            copy = sqlite3.connect(source)
            connection.connection.backup(copy)
            copy.close()
            yield f"sqlite:///{source}", f"sqlite:///{folder / 'restored.sqlite3'}"
            return
        template = connection.settings_dict["NAME"]
        source, target = f"{template}_drill_source", f"{template}_drill_restored"

        def drop():
            with connection._nodb_cursor() as cursor:
                for name in (source, target):
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        drop()
        connections.close_all()  # a template database must have no other session
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{source}" TEMPLATE "{template}"')
        try:
            yield _postgres_url(source), _postgres_url(target)
        finally:
            drop()


@pytest.mark.django_db  # so that the session's test database is made
def test_a_restored_backup_gives_the_same_pages_reports_and_audit_answers(databases, tmp_path):
    source_url, target_url = databases
    before = _env(source_url, tmp_path / "data")
    # Loaded and read in one process (each start of Django costs seconds).
    loaded = json.loads(_python(before, LOAD + READ))
    given, read_before = json.dumps(loaded["given"]), loaded["answers"]
    assert read_before["audit verify"].startswith("Audit chain intact")
    for url, answer in read_before.items():
        if url.startswith("/"):
            assert answer[0] == 200, (url, answer)
    assert "Zebedee Quartermaine" in read_before[f"/cases/{json.loads(given)['case']}/"][1]
    assert "EXP-2022-0020" in read_before["/cases/"][1]
    assert "Stockport Homes" in read_before["risk list"]
    assert read_before["document"][0] == 200

    made = _safehold(before, "backup", "create", "--output", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    stored = {entry["path"] for entry in manifest["files"]}
    assert any(p.startswith("data/partners/") and p.endswith(".parquet") for p in stored)
    assert any(p.startswith("data/documents/enforcement/") for p in stored)

    after = _env(target_url, tmp_path / "restored-data")
    restored = _safehold(after, "backup", "restore", str(folder))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Audit chain intact" in restored.stdout
    read_after = json.loads(_python(after, GIVEN + READ, given))["answers"]

    # The chain holds the reads before, the backup's event and the restore's: two more.
    checked = [int(re.search(r"(\d+) event", read[("audit verify")]).group(1))
               for read in (read_before, read_after)]  # fmt: skip
    assert read_after["audit verify"].startswith("Audit chain intact")
    assert checked[1] > checked[0] + 2
    for key in read_before:
        if key != "audit verify":
            assert read_after[key] == read_before[key], key
    restored_files = {
        f"data/{p.relative_to(tmp_path / 'restored-data').as_posix()}"
        for p in (tmp_path / "restored-data").rglob("*")
        if p.is_file() and "cache" not in p.parts and not p.name.endswith(".lock")
    }
    assert stored - {manifest["database"]["file"]} <= restored_files
