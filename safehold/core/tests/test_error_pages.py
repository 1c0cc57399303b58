"""The demo (`make run`, on `config.settings.dev`) shows the service's own "Page not found" and
"Sorry, there is a problem" pages, never Django's technical pages (which name the URL patterns,
settings and source), and still serves its static files. Checked in a fresh process with the
settings `make run` uses, as it starts them (no DEBUG in the environment)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import json
from unittest import mock

import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
missing = client.get("/no-such-page/")
with mock.patch("safehold.accounts.views.SignInView.get", side_effect=RuntimeError("boom")):
    broken = client.get("/account/sign-in/")
css = client.get("/static/safehold/safehold.css")
govuk = client.get("/static/govuk/govuk-frontend.min.js")
print(json.dumps({
    "debug": settings.DEBUG,
    "missing": [missing.status_code, missing.content.decode()],
    "broken": [broken.status_code, broken.content.decode()],
    "static": [css.status_code, govuk.status_code],
}))
"""


def test_make_runs_settings_show_the_services_error_pages_and_serve_static_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    done = subprocess.run(  # noqa: S603 — Python running Safehold's own settings
        [sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False
    status, page = seen["missing"]
    assert status == 404 and "Page not found" in page
    assert "URLconf" not in page and "DEBUG = True" not in page
    status, page = seen["broken"]
    assert status == 500 and "Sorry, there is a problem" in page
    assert "Traceback" not in page and "boom" not in page
    assert seen["static"] == [200, 200]
