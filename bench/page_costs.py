"""What one request costs, page by page, on a loaded database (ADR 0065): wall time, Python CPU,
time in the database and the number of queries, medians over a run of requests one at a time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/safehold_perf \
        .venv/bin/python bench/page_costs.py [--runs 40]

The database is one `bench/load_test.py` built (its users `caseworker000@load.test`...); the two
writes add chronology entries and tasks to its open cases, so run it on a copy.
"""

import argparse
import datetime
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--user", default="caseworker000@load.test")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    from django.db import connection
    from django.test import Client

    from safehold.accounts.models import User
    from safehold.cases.models import Case
    from safehold.sharing.middleware import unrestricted

    user = User.objects.get(email=args.user)
    with unrestricted():
        mine = Case.objects.filter(owning_agency=user.agency_id)
        ids = [str(i) for i in mine.values_list("pk", flat=True)[:2000]]
        open_ids = [str(i) for i in mine.filter(status="open").values_list("pk", flat=True)[:500]]
        names = list(mine.values_list("subject__family_name", flat=True)[:200])
    client = Client()
    client.force_login(user)
    random.seed(1)
    today = datetime.date.today()

    def entry(case):
        day = {"occurred_on_day": today.day, "occurred_on_month": today.month}
        data = {"kind": "visit", "summary": "Page costs visit", "time": "", "item": ""}
        return client.post(
            f"/cases/{case}/chronology/add/", data | day | {"occurred_on_year": today.year}
        )

    def task(case):
        due = today + datetime.timedelta(days=7)
        data = {
            "title": "Page costs task",
            "owner": "",
            "due_on_day": due.day,
            "due_on_month": due.month,
            "due_on_year": due.year,
        }
        return client.post(f"/cases/{case}/tasks/add/", data)

    pages = [
        ("case list", lambda: client.get(f"/cases/?page={random.randint(1, 50)}"), 200),
        ("case detail", lambda: client.get(f"/cases/{random.choice(ids)}/"), 200),
        ("case search", lambda: client.get(f"/cases/?q={random.choice(names)}"), 200),
        ("person search", lambda: client.get(f"/people/?q={random.choice(names)}"), 200),
        ("add entry", lambda: entry(random.choice(open_ids)), 302),
        ("add task", lambda: task(random.choice(open_ids)), 302),
    ]
    print(
        f"{'page':14s} {'wall':>7s} {'p90':>7s} {'cpu':>7s} {'db':>7s} {'queries':>7s}  (ms, medians)"
    )
    for name, request, status in pages:
        for _ in range(3):
            request()
        walls, cpus, dbs, counts = [], [], [], []
        for _ in range(args.runs):
            spent = []

            def timed(execute, sql, params, many, context, spent=spent):
                t0 = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent.append(time.perf_counter() - t0)

            with connection.execute_wrapper(timed):
                t0, p0 = time.perf_counter(), time.process_time()
                response = request()
                walls.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - p0)
            assert response.status_code == status, (name, response.status_code)
            dbs.append(sum(spent))
            counts.append(len(spent))
        p90 = sorted(walls)[int(len(walls) * 0.9)]
        print(
            f"{name:14s} {1000 * statistics.median(walls):7.1f} {1000 * p90:7.1f}"
            f" {1000 * statistics.median(cpus):7.1f} {1000 * statistics.median(dbs):7.1f}"
            f" {statistics.median(counts):7.0f}"
        )


if __name__ == "__main__":
    main()
