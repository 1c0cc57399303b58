"""PostgreSQL stopping under a running Safehold (ADR 0063): a PostgreSQL server of the test's
own (never the shared one other tests use), gunicorn serving Safehold against it. While the
database is down a page and a form get 503 with the GOV.UK "Sorry, there is a problem with the
service" page and no stack trace; once it is back the next request works, and every write
acknowledged before it stopped (stopped as by a crash: `pg_ctl stop -m immediate`) is there.

Runs in the PostgreSQL pass only, as the other PostgreSQL-only tests; as root, the server runs
as the `postgres` user (PostgreSQL refuses to run as root).
"""

# ruff: noqa: S310, S603 -- our own commands, and our own server's URLs.

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path("/usr/lib/postgresql/15/bin")
SORRY = "Sorry, there is a problem with the service"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="stops a PostgreSQL server: the PostgreSQL pass"
    ),
    pytest.mark.skipif(not (BIN / "initdb").exists(), reason="PostgreSQL 15's server is needed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnPostgres:
    """A throwaway PostgreSQL cluster on a free port, run as `postgres` when we are root."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="safehold-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_user = []
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.folder, postgres.pw_uid, postgres.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.run(BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def run(self, *command) -> None:
        subprocess.run([*self.as_user, *map(str, command)], check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=on"
        self.run(BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.folder / "log",
                 "-w", "start")  # fmt: skip

    def stop(self, mode: str = "immediate") -> None:
        self.run(BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def url(self, name: str = "safehold") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        try:
            self.stop("fast")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def postgres():
    server = OwnPostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


class Browser:
    """Requests with cookies (the session, the CSRF token), never following redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def request(self, path: str, form: dict | None = None, token: str = "") -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        if form is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in_form(self, email: str) -> dict:
        """The sign-in form filled in with a wrong password (sent, a write: the failure is
        audited)."""
        _, page = self.request("/account/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page
        return {"csrfmiddlewaretoken": token.group(1), "username": email, "password": "wrong"}

    def failed_sign_in(self, email: str) -> tuple[int, str]:
        return self.request("/account/sign-in/", self.sign_in_form(email))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _failed_sign_ins(url: str) -> int:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        return db.execute(
            "SELECT count(*) FROM audit_auditevent WHERE action = 'login_failed'"
        ).fetchone()[0]


def test_a_stopped_database_gives_the_sorry_page_and_loses_nothing_acknowledged(postgres, tmp_path):
    postgres.run(BIN / "createdb", "-h", "127.0.0.1", "-p", postgres.port, "-U", "postgres",
                 "safehold")  # fmt: skip
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=postgres.url(),
        SAFEHOLD_TEST_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(ROOT),
    )
    subprocess.run([sys.executable, "-m", "safehold.cli", "migrate", "--noinput"], env=env,
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "w")
    # One process, one thread: every request after the first reuses its database connection,
    # the case where a restarted database is noticed only if Django checks the connection.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--threads", "1", "--timeout", "60"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    browser = Browser(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, (
                    tmp_path / "gunicorn.log"
                ).read_text()
                time.sleep(0.2)

        # Up: a write is acknowledged (the failed sign-in is refused, and recorded).
        status, page = browser.failed_sign_in("someone@example.org")
        assert status == 200 and "Enter a correct email address and password" in page
        assert _failed_sign_ins(postgres.url()) == 1
        assert browser.request("/")[0] == 302  # signed out: to the sign-in page
        filled_in = browser.sign_in_form("someone@example.org")  # before the stop

        postgres.stop("immediate")  # as a crash: no checkpoint, recovery from the WAL next time
        for path, form in (("/", None), ("/account/sign-in/", filled_in)):
            status, page = browser.request(path, form)
            assert status == 503, (path, status, page[:2000])
            assert SORRY in page and "Nothing you entered has been saved" in page
            assert "Traceback" not in page and "OperationalError" not in page
            assert "psycopg" not in page and str(postgres.port) not in page
        status, body = browser.request("/api/v1/cases/", token="not-a-token")
        assert status == 503 and "Traceback" not in body, body

        postgres.start()
        status, page = browser.failed_sign_in("someone@example.org")  # the very next request
        assert status == 200 and "Enter a correct email address and password" in page
        assert _failed_sign_ins(postgres.url()) == 2  # the one before the stop is still there
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
