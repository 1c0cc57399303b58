"""Load test: the case list, case pages and search under 100 concurrent users, on a
100,000-case PostgreSQL database (DESIGN.md budget: p95 under 300 ms).

    .venv/bin/python bench/load_test.py [--cases 100000] [--users 100] [--duration 60]
        [--workers 3] [--threads 4] [--database-url postgres://postgres@127.0.0.1:5432/safehold_load]

Drops and re-creates the database, migrates it, generates the cases (bench/evaluation_report.py's
generator: one agency, subjects, interventions, enforcement, chronology) and `--users`
caseworkers of that agency with their two-factor devices; then starts gunicorn on a free port
and runs Locust headless (bench/locustfile.py: each user signs in with password and code, then
reads with 1-5 s between clicks). The statistics restart once every user has signed in; then
`--duration` seconds of reading. Prints the p50/p95/p99 of each page.

The server runs `config.settings.dev` with DEBUG off: the production settings differ only by
HTTPS redirects and secure cookies, which plain HTTP on 127.0.0.1 cannot carry. Synthetic data.
"""

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BUDGET_MS = 300


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(cases: int, users: int, targets_file: Path) -> None:
    """Migrate, generate the cases and the users, and write what the Locust users need."""
    import django

    django.setup()
    import pyotp
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from evaluation_report import generate

    from safehold.accounts.choices import Role
    from safehold.accounts.models import TotpDevice, User
    from safehold.cases.models import Case
    from safehold.geography.services import load_stockport_extract

    call_command("migrate", verbosity=0)
    load_stockport_extract()
    started = time.perf_counter()
    first = generate(cases)
    print(f"generated {cases:,} cases in {time.perf_counter() - started:.0f} s", flush=True)
    password = secrets.token_urlsafe(12)
    people = []
    for i in range(users):
        user = User.objects.create_user(
            email=f"caseworker{i:03d}@load.test",
            password=password,
            full_name=f"Load Caseworker {i:03d}",
            agency=first.agency,
            role=Role.CASEWORKER,
        )
        secret = pyotp.random_base32()
        TotpDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
        people.append({"email": user.email, "password": password, "secret": secret})
    sample = list(Case.objects.order_by("?").values_list("pk", "subject__family_name")[:2000])
    targets_file.write_text(
        json.dumps(
            {
                "users": people,
                "cases": [str(pk) for pk, _ in sample],
                "names": [name for _, name in sample[:500]],
            }
        )
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own server)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load after ramp-up")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/safehold_load"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="safehold-load-"))
    env = os.environ | {
        "DATABASE_URL": args.database_url,
        "DATA_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    os.environ.update(env)
    recreate_database(args.database_url)
    targets = workdir / "targets.json"
    prepare(args.cases, args.users, targets)

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"), "config.wsgi", "--workers", str(args.workers),
            "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning",
        ],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for(host + "/account/sign-in/")
        ramp = max(1, args.users // 10)  # users started per second
        run_time = args.duration + args.users // ramp + 30  # the sign-ins, then the reading
        print(
            f"locust: {args.users} users ({ramp}/s), {run_time} s against gunicorn "
            f"({args.workers} workers x {args.threads} threads)",
            flush=True,
        )
        subprocess.run(
            [
                str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                "--users", str(args.users), "--spawn-rate", str(ramp), "--run-time",
                f"{run_time}s", "--host", host, "--csv", str(workdir / "result"),
                "--only-summary", "--loglevel", "WARNING",
            ],
            cwd=ROOT, env=env | {"LOAD_TARGETS": str(targets), "LOAD_USERS": str(args.users)},
            check=False,
        )  # fmt: skip
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    report(workdir / "result_stats.csv")


def report(stats_file: Path) -> None:
    rows = list(csv.DictReader(stats_file.open()))
    print(f"\n{'page':<22}{'requests':>9}{'failures':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    over = []
    for row in rows:
        if row["Request Count"] == "0":
            continue  # sign-in, before the statistics restarted
        name = f"{row['Name']} ({row['Type']})" if row["Type"] else "all pages"
        print(
            f"{name:<22}{row['Request Count']:>9}{row['Failure Count']:>9}{row['50%']:>8}"
            f"{row['95%']:>8}{row['99%']:>8}"
        )
        if row["Name"] not in ("sign-in", "Aggregated") and float(row["95%"]) > BUDGET_MS:
            over.append(name)
    print(
        f"\nbudget: p95 under {BUDGET_MS} ms for each page: "
        + ("met" if not over else f"NOT met for {', '.join(over)}")
    )


if __name__ == "__main__":
    main()
