"""A database that cannot be reached gives the service's "Sorry, there is a problem with the
service" page with 503 and Retry-After (the API: its JSON error), never a stack trace, whether
the failure comes from a view or a middleware (the session, the sign-in form). Checked in a
fresh process whose database file cannot be opened (ADR 0063; the PostgreSQL server stopped
under a running server: tests/crash/test_database_stops.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.database_free

SCRIPT = """
import json
import django
django.setup()
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
client.cookies["sessionid"] = "a" * 32  # a session to look up: the middleware reads the database
seen = {}
for name, response in (
    ("page", client.get("/")),
    ("form", client.post("/account/sign-in/", {"username": "a@example.org", "password": "x"})),
    ("api", client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Bearer abc")),
):
    seen[name] = [response.status_code, response.get("Retry-After"), response.content.decode()]
print(json.dumps(seen))
"""


def test_a_database_that_cannot_be_reached_gives_503_and_the_sorry_page(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        # A folder that does not exist: SQLite cannot open the file (OperationalError).
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gone' / 'safehold.sqlite3'}",
        "SAFEHOLD_TEST_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(  # noqa: S603 — Python running Safehold's own settings
        [sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    for name in ("page", "form"):
        status, retry_after, body = seen[name]
        assert (status, retry_after) == (503, "30"), (name, status, body[:500])
        assert "Sorry, there is a problem with the service" in body
        assert "Nothing you entered has been saved" in body
        assert "Traceback" not in body and "OperationalError" not in body and "sqlite" not in body
    status, retry_after, body = seen["api"]
    assert (status, retry_after) == (503, "30")
    assert json.loads(body) == {
        "detail": "Sorry, there is a problem with the service. Try again later."
    }
