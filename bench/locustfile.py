"""Locust users for bench/load_test.py: caseworkers who sign in (password and two-factor code)
and then read the case list, open cases and search, with a few seconds' thought between clicks.
`SoakCaseworker` (the `--soak` mode) also writes, through the pages' forms: chronology entries
and tasks on its agency's open cases.

Run by bench/load_test.py, which writes the users and targets file named by LOAD_TARGETS (each
user's agency, and each agency's cases, open cases and subjects' names: a user reads and writes
its own agency's cases). The statistics are reset once every user has signed in, so the figures
are of the pages read by 100 signed-in users, not of the sign-in rush (Argon2 is slow on
purpose); sign-in is measured before that and reported apart.

The users are Locust's `FastHttpUser` (geventhttpclient), not `HttpUser` (python-requests):
Locust runs on the same two cores as the server, and its own documentation recommends the
faster client for high load; a request costs it several times less CPU (ADR 0065, second
round). Its response's `url` is the address asked for, not where redirects ended, so the
sign-in checks the two-factor step's redirect itself.

Every write carries a unique marker (`soak-<hex>`, in the entry's summary or the task's title);
when the server acknowledges it (the form redirects to the case page, as after "Save"), the
marker is appended to the file named by LOAD_ACKS. load_test.py counts them in the database at
the end: an acknowledged write that is not there is a lost write.
"""

import datetime
import itertools
import json
import os
import random
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
from locust import FastHttpUser, between, task

TARGETS = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text())
_next_user = itertools.count()
_signed_in = itertools.count(1)
EVERYONE = int(os.environ.get("LOAD_USERS", "0"))


class Caseworker(FastHttpUser):
    # A person reading a page before the next click; DESIGN.md's budget is for 100 of them.
    wait_time = between(1, 5)

    def on_start(self):
        me = TARGETS["users"][next(_next_user) % len(TARGETS["users"])]
        self.mine = TARGETS["agencies"][me["agency"]]  # this user's agency's cases
        self.client.get("/account/sign-in/", name="sign-in")
        self._post(
            "/account/sign-in/", {"username": me["email"], "password": me["password"]}, "sign-in"
        )
        code = pyotp.TOTP(me["secret"]).now()
        response = self._post(
            "/account/two-factor/", {"code": code}, "sign-in", allow_redirects=False
        )
        # Signed in: the two-factor step sends the user on to the home page, which is read as
        # a browser would (a wrong code shows the form again instead).
        location = response.headers.get("Location", "") if response.headers else ""
        if response.status_code != 302 or urlsplit(location).path != "/":
            raise RuntimeError(f"sign-in of {me['email']}: {response.status_code} {location!r}")
        self.client.get(location, name="sign-in")
        if next(_signed_in) == EVERYONE:
            print(f"all {EVERYONE} users signed in: statistics reset", flush=True)
            self.environment.runner.stats.reset_all()

    def _csrf_token(self) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def _post(self, path: str, data: dict, name: str, **options):
        return self.client.post(
            path,
            data | {"csrfmiddlewaretoken": self._csrf_token()},
            headers={"Referer": self.host + path},
            name=name,
            **options,
        )

    def _read(self, path: str, name: str, expect: str) -> None:
        """A page counts as a success only if it is the page asked for (not a sign-in page)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200 or expect not in (response.text or ""):
                error = getattr(response, "error", None)
                why = repr(error) if error else f"no {expect!r}"
                response.failure(f"{response.status_code} {response.url}: {why}")

    @task(3)
    def case_list(self):
        self._read(f"/cases/?page={random.randint(1, 50)}", "case list", "<h1")

    @task(5)
    def case_detail(self):
        self._read(f"/cases/{random.choice(self.mine['cases'])}/", "case detail", "Chronology")

    @task(1)
    def case_search(self):
        name = random.choice(self.mine["names"])
        self._read(f"/cases/?q={name}", "case search", name)

    @task(1)
    def person_search(self):
        name = random.choice(self.mine["names"])
        self._read(f"/people/?q={name}", "person search", name)


ACKS = os.environ.get("LOAD_ACKS")


def _date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


class SoakCaseworker(Caseworker):
    """A caseworker who also writes (the soak: `load_test.py --soak`): about one click in six
    adds a chronology entry or a task to one of the agency's open cases, through its form."""

    def _write(self, case: str, path: str, name: str, data: dict, marker: str) -> None:
        """Post a form; acknowledged = redirected to the case page (the service committed)."""
        with self.client.post(
            path,
            data | {"csrfmiddlewaretoken": self._csrf_token()},
            headers={"Referer": self.host + path},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or not location.rstrip("/").endswith(case):
                error = getattr(response, "error", None)
                why = repr(error) if error else "not saved"
                response.failure(f"{response.status_code} {location}: {why}")
                return
        with open(ACKS, "a", encoding="utf-8") as out:
            out.write(marker + "\n")

    @task(1)
    def add_entry(self):
        case, marker = random.choice(self.mine["open"]), f"soak-{uuid.uuid4().hex}"
        data = {"kind": "visit", "summary": f"Soak visit {marker}", "time": "", "item": ""}
        data |= _date_fields("occurred_on", datetime.date.today())
        self._write(case, f"/cases/{case}/chronology/add/", "add chronology entry", data, marker)

    @task(1)
    def add_task(self):
        case, marker = random.choice(self.mine["open"]), f"soak-{uuid.uuid4().hex}"
        data = {"title": f"Soak task {marker}", "owner": ""}
        data |= _date_fields("due_on", datetime.date.today() + datetime.timedelta(days=7))
        self._write(case, f"/cases/{case}/tasks/add/", "add task", data, marker)
