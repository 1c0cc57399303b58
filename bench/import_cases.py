"""Benchmark: import N synthetic historic cases (default 10,000) into a fresh database.

    .venv/bin/python bench/import_cases.py [ROWS] [--database-url URL]

Times validation, the import itself and a re-import of the same file (all unchanged), and
prints rows per second. Synthetic data only.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def synthetic_file(rows: int, areas: list[str]) -> bytes:
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([
        "reference", "referral_date", "referral_source", "area", "exploitation_type", "status",
        "closed_date", "closure_reason", "tenancy_sustained", "outcome_measures", "subject_name",
        "subject_dob", "address", "postcode",
    ])  # fmt: skip
    for n in range(1, rows + 1):
        year = 2015 + n % 10
        closed = rng.random() < 0.8
        writer.writerow([
            f"EXP-{year}-{n // 10 + 1:04d}",
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(["Greater Manchester Police", "Stockport Homes", "Adult Social Care"]),
            rng.choice(areas),
            rng.choice(["cuckooing", "cuckooing", "financial", "sexual", "family"]),
            "closed" if closed else "open",
            f"{year + 1}-01-15" if closed else "",
            rng.choice(["positively_resolved", "moved", "no_engagement"]) if closed else "",
            rng.choice(["yes", "no", ""]) if closed else "",
            ";".join(rng.sample(["arrest_conviction", "target_hardening_support", "cpw_cpn", "warning"], rng.randint(0, 2))),
            f"Person{n} Surname{n % 997}",
            f"{rng.randint(1940, 2004)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            f"{rng.randint(1, 200)} Example Street",
            f"SK{rng.randint(1, 8)} {rng.randint(1, 9)}AB",
        ])  # fmt: skip
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="safehold-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DATA_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from safehold.accounts.tests.factories import AgencyFactory, TeamFactory
    from safehold.cases import imports
    from safehold.cases.services.cases import create_programme
    from safehold.geography.models import NeighbourhoodArea
    from safehold.geography.services import load_stockport_extract

    load_stockport_extract()
    agency = AgencyFactory(name="Bench Homes")
    programme = create_programme(
        name="Bench", lead_agency=agency, triage_team=TeamFactory(agency=agency), by=None
    )
    data = synthetic_file(args.rows, list(NeighbourhoodArea.objects.values_list("name", flat=True)))

    started = time.perf_counter()
    plan = imports.validate(data=data, programme=programme)
    validated = time.perf_counter()
    assert not plan.errors, plan.errors[:3]
    imports.apply(plan=plan, by=None)
    applied = time.perf_counter()
    again = imports.validate(data=data, programme=programme)
    imports.apply(plan=again, by=None)
    repeated = time.perf_counter()
    print(f"rows: {args.rows:,}  database: {os.environ['DATABASE_URL'].split(':')[0]}")
    print(f"validate: {validated - started:.2f} s")
    print(
        f"import:   {applied - validated:.2f} s  ({args.rows / (applied - validated):,.0f} rows/s)"
    )
    print(f"re-import (all unchanged): {repeated - applied:.2f} s")


if __name__ == "__main__":
    main()
