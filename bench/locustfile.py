"""Locust users for bench/load_test.py: caseworkers who sign in (password and two-factor code)
and then read the case list, open cases and search, with a few seconds' thought between clicks.

Run by bench/load_test.py, which writes the users and targets file named by LOAD_TARGETS. The
statistics are reset once every user has signed in, so the figures are of the pages read by
100 signed-in users, not of the sign-in rush (Argon2 is slow on purpose); sign-in is measured
before that and reported apart.
"""

import itertools
import json
import os
import random
from pathlib import Path

import pyotp
from locust import HttpUser, between, task

TARGETS = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text())
_next_user = itertools.count()
_signed_in = itertools.count(1)
EVERYONE = int(os.environ.get("LOAD_USERS", "0"))


class Caseworker(HttpUser):
    # A person reading a page before the next click; DESIGN.md's budget is for 100 of them.
    wait_time = between(1, 5)

    def on_start(self):
        me = TARGETS["users"][next(_next_user) % len(TARGETS["users"])]
        self.client.get("/account/sign-in/", name="sign-in")
        self._post(
            "/account/sign-in/", {"username": me["email"], "password": me["password"]}, "sign-in"
        )
        code = pyotp.TOTP(me["secret"]).now()
        response = self._post("/account/two-factor/", {"code": code}, "sign-in")
        if not response.url.rstrip("/").endswith(self.host.rstrip("/")):
            raise RuntimeError(f"sign-in of {me['email']} ended on {response.url}")
        if next(_signed_in) == EVERYONE:
            print(f"all {EVERYONE} users signed in: statistics reset", flush=True)
            self.environment.runner.stats.reset_all()

    def _post(self, path: str, data: dict, name: str):
        token = self.client.cookies.get("csrftoken", "")
        return self.client.post(
            path,
            data | {"csrfmiddlewaretoken": token},
            headers={"Referer": self.host + path},
            name=name,
        )

    def _read(self, path: str, name: str, expect: str) -> None:
        """A page counts as a success only if it is the page asked for (not a sign-in page)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200 or expect not in response.text:
                response.failure(f"{response.status_code} {response.url}: no {expect!r}")

    @task(3)
    def case_list(self):
        self._read(f"/cases/?page={random.randint(1, 50)}", "case list", "<h1")

    @task(5)
    def case_detail(self):
        self._read(f"/cases/{random.choice(TARGETS['cases'])}/", "case detail", "Chronology")

    @task(1)
    def case_search(self):
        name = random.choice(TARGETS["names"])
        self._read(f"/cases/?q={name}", "case search", name)

    @task(1)
    def person_search(self):
        name = random.choice(TARGETS["names"])
        self._read(f"/people/?q={name}", "person search", name)
