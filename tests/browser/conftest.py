"""A real Safehold server for browser tests: its own fresh database, migrated and loaded with
the demo partnership, served by `safehold runserver` in a separate process, driven by Debian's
Chromium through Playwright (never a downloaded browser)."""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pyotp
import pytest

from safehold.demo.partnership import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SAFEHOLD = [sys.executable, "-m", "safehold.cli"]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, base_url: str, env: dict[str, str]):
        self.base_url = base_url
        self.env = env
        self.log_path: Path | None = None  # every request line the server answered

    def safehold(self, *args: str) -> str:
        """Run a `safehold` command against the server's database and return its output."""
        done = subprocess.run(
            [*SAFEHOLD, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise AssertionError(f"safehold {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def authenticator_code(self, email: str) -> str:
        """The code a user's authenticator app shows now, from the secret their app shares with
        the server (as `safehold demo code EMAIL` prints it, tested in safehold/demo/tests, but
        read straight from the server's database: a command's start-up costs seconds, and
        the tests sign in dozens of times)."""
        sql = (
            "SELECT d.secret FROM accounts_totpdevice d JOIN accounts_user u ON u.id = d.user_id"
            " WHERE lower(u.email) = lower(%s)"
        )
        url = self.env["DATABASE_URL"]
        if url.startswith("postgres"):
            import psycopg

            with psycopg.connect(url) as conn:
                row = conn.execute(sql, [email]).fetchone()
        else:
            import sqlite3

            with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
                row = conn.execute(sql.replace("%s", "?"), [email]).fetchone()
        assert row is not None, f"{email} has no authenticator app"
        return pyotp.TOTP(row[0]).now()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        PYTHONUNBUFFERED="1",
        SAFEHOLD_IMPORT_IN_BACKGROUND="1",
        # The server and `safehold demo load` see the same Parquet files (demo incidents).
        SAFEHOLD_TEST_DATA_DIR=str(tmp_path_factory.mktemp("data")),
    )
    url = os.environ.get("DATABASE_URL", "")
    admin_url = None
    if url.startswith("postgres"):
        import psycopg

        name = f"safehold_browser_{uuid.uuid4().hex[:8]}"
        parts = urlsplit(url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'safehold.sqlite3'}"
    port = _free_port()
    server = Server(f"http://127.0.0.1:{port}", env)
    server.safehold("migrate", "--noinput")
    server.safehold("demo", "load")
    log = open(tmp_path_factory.mktemp("server") / "server.log", "w")
    server.log_path = Path(log.name)
    process = subprocess.Popen(
        [*SAFEHOLD, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Uploads go on the job queue, as in production: a worker beside the server imports them.
    worker_log = open(Path(log.name).with_name("worker.log"), "w")
    worker = subprocess.Popen(
        [*SAFEHOLD, "worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        env=env,
        cwd=ROOT,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"Safehold did not start; see {log.name}") from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        worker.terminate()
        process.wait(timeout=10)
        worker.wait(timeout=60)  # a worker ends the import it is running first
        log.close()
        worker_log.close()
        if admin_url:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                name = urlsplit(env["DATABASE_URL"]).path[1:]
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            "Browser tests need Debian's chromium package (make browser-deps installs it)"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


# Every page a test loads is checked for Content-Security-Policy violations: the browser
# reports each as a securitypolicyviolation event, which this script logs to the console.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.href}:${e.lineNumber}`);
});
"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "CSP violation" in message.text or "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


# The widths every swept page must fit without sideways scrolling: a phone and a laptop.
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


def _widest(page) -> str:
    """The innermost elements reaching past the screen's right edge, to say what to fix."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth
                && !e.parentElement?.closest('.safehold-table-wrapper')
                && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth))
            .slice(0, 3)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + [...e.classList].join('.') : '')
                + ' "' + e.textContent.trim().slice(0, 40) + '"')
            .join('; ') || 'nothing'"""
    )


def layout_problems(page) -> list[str]:
    """Whether the page fits a 390 px phone and a 1280 px screen without scrolling sideways,
    and its menu keeps to one line at 1280 px (the viewport is left at 1280 px)."""
    problems = []
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1]:
            problems.append(
                f"wider than {size['width']} px: scrollWidth {wide[0]}, {_widest(page)}"
            )
    lines = page.evaluate(
        """() => new Set([...document.querySelectorAll('.govuk-service-navigation__item')]
            .map(item => Math.round(item.getBoundingClientRect().top))).size"""
    )
    if lines > 1:
        problems.append(f"the menu wraps onto {lines} lines at 1280 px")
    return problems


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core on the page and describe each serious or critical violation, and each way
    it does not fit a phone's or a laptop's width (`layout_problems`)."""
    # Playwright's add_script_tag inserts an inline script the page's Content-Security-Policy
    # refuses; a script carrying the page's own nonce runs.
    page.evaluate(
        """source => {
            const script = document.createElement("script");
            script.nonce = document.querySelector("script[nonce], style[nonce]").nonce;
            script.textContent = source;
            document.head.appendChild(script);
        }""",
        AXE.read_text(encoding="utf-8"),
    )
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ] + layout_problems(page)


def follow(locator) -> None:
    """Click what leads to another page (a link, a form's button) and wait for that page to
    load. Playwright's click does not wait for the navigation it starts, so a check made straight
    after it can read the page being left (CI once found no error summary after a form's button)."""
    with locator.page.expect_navigation():
        locator.click()


# The 30-second step of each user's last two-factor code: a step is accepted once only, so a
# user signing in again within the same step waits for the next one.
_last_step: dict[str, int] = {}
_waited = [0.0, 0]  # seconds spent waiting for a user's next step, and how many waits
_sessions: dict[str, list] = {}  # each user's cookies from their last sign-in
SESSION_COOKIES = {"sessionid", "csrftoken"}
CODE_LABEL = "Code from your authenticator app"


def _step() -> int:
    return int(time.time() // 30)


def sign_in(page, server, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in as a person does: the password, then two-factor sign-in. The first time a user
    signs in, set it up from the secret on the page (and save the recovery codes); after that,
    take the current code from the server's database with `safehold demo code`.

    A user signing in again within the 30 seconds of the code they last used would wait for the
    next one (a code is accepted once): instead, like a person with Safehold open in another
    tab, the page takes that user's session from their last sign-in, if it is still signed in
    (a test may have signed out). 14 waits, 114 s of a browser run, before (ADR 0057)."""
    if _step() <= _last_step.get(email, -1) and email in _sessions:
        page.context.add_cookies(_sessions[email])
        page.goto(server.base_url + "/")
        if page.url == server.base_url + "/":
            return
        page.context.clear_cookies()
    page.goto(server.base_url + "/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account/two-factor/(set-up/)?$"))
    if page.url.endswith("/set-up/"):
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.get_by_label(CODE_LABEL).fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/account/two-factor/recovery-codes/$"))
        page.get_by_role("button", name="I have saved my recovery codes").click()
    else:
        if _step() <= _last_step.get(email, -1):
            began = time.monotonic()
            while _step() <= _last_step.get(email, -1):
                time.sleep(0.25)
            _waited[0] += time.monotonic() - began
            _waited[1] += 1
        page.get_by_label(CODE_LABEL).fill(server.authenticator_code(email))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(server.base_url + "/")
    _last_step[email] = _step()
    _sessions[email] = [c for c in page.context.cookies() if c["name"] in SESSION_COOKIES]


def pytest_terminal_summary(terminalreporter):
    """What signing in again within a code's 30 seconds cost the run (CI's time, ADR 0057)."""
    if _waited[1]:
        terminalreporter.write_line(
            f"browser tests: {_waited[1]} sign-ins waited for the next two-factor step, "
            f"{_waited[0]:.0f} s in all"
        )
