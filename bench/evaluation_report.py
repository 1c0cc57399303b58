"""Benchmark: the evaluation report over N generated cases (default 100,000).

    .venv/bin/python bench/evaluation_report.py [CASES] [--database-url URL]

Generates cases (with subjects, areas, sources, interventions, enforcement and chronology) with
bulk inserts, then times the report as JSON and as the HTML page (the page through Django's
test client, signed in, so the whole request is measured), best of three, and counts the SQL
queries of each. Budget (DESIGN.md): under 2 s for 100,000 cases on 2 cores. Synthetic data.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(n: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from safehold.accounts.tests.factories import UserFactory
    from safehold.cases.models import (
        Case,
        ChronologyEntry,
        EnforcementAction,
        Intervention,
        ReferralSource,
    )
    from safehold.cases.services.cases import create_programme
    from safehold.geography.models import NeighbourhoodArea
    from safehold.people.models import Person

    rng = random.Random(11)
    user = UserFactory(email="analyst@bench.test", role="caseworker")
    agency = user.agency
    from safehold.accounts.tests.factories import TeamFactory

    programme = create_programme(
        name="Bench", lead_agency=agency, triage_team=TeamFactory(agency=agency), by=None
    )
    areas = list(NeighbourhoodArea.objects.all())
    sources = [ReferralSource.objects.create(name=f"Source {i}") for i in range(8)]
    types = ["cuckooing"] * 5 + ["financial", "sexual", "family", "criminal", "other"]
    reasons = ["positively_resolved"] * 6 + ["moved", "no_engagement", "no_exploitation", "other"]
    start = datetime.date(2016, 1, 1)
    batch = 5000
    with transaction.atomic():
        for offset in range(0, n, batch):
            size = min(batch, n - offset)
            people = [
                Person(owning_agency=agency, given_name="Subject", family_name=f"{offset + i:06d}")
                for i in range(size)
            ]
            Person.objects.bulk_create(people, batch_size=batch)
            cases = []
            for i, person in enumerate(people):
                referred = start + datetime.timedelta(days=rng.randint(0, 3650))
                closed = (
                    referred + datetime.timedelta(days=rng.randint(5, 400))
                    if rng.random() < 0.8
                    else None
                )
                cases.append(Case(
                    programme=programme, owning_agency=agency, reference=f"B-{offset + i:07d}",
                    referral_date=referred, referral_source=rng.choice(sources), subject=person,
                    area=rng.choice(areas), exploitation_type=rng.choice(types), status="closed" if closed else "open",
                    closed_on=closed, closure_reason=rng.choice(reasons) if closed else "",
                    tenancy_sustained=rng.random() < 0.5 if closed else None,
                ))  # fmt: skip
            Case.objects.bulk_create(cases, batch_size=batch)
            Intervention.objects.bulk_create(
                [
                    Intervention(case=c, type_id=rng.choice(["target_hardening", "wraparound_support", "move_property", "payg_phone"]),
                                 agency=agency, started_on=c.referral_date)
                    for c in cases if rng.random() < 0.6
                ], batch_size=batch,
            )  # fmt: skip
            EnforcementAction.objects.bulk_create(
                [
                    EnforcementAction(case=c, kind=rng.choice(["arrest", "cpw", "warning", "perpetrator_excluded"]),
                                      agency=agency, started_on=c.referral_date)
                    for c in cases if rng.random() < 0.3
                ], batch_size=batch,
            )  # fmt: skip
            now = timezone.now()
            ChronologyEntry.objects.bulk_create(
                [
                    ChronologyEntry(case=c, kind="visit", occurred_at=now, summary="Visit")
                    for c in cases
                    if c.closed_on is None
                ],
                batch_size=batch,
            )
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="safehold-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DATA_DIR"] = workdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from safehold.geography.services import load_stockport_extract

    load_stockport_extract()
    t0 = time.perf_counter()
    user = generate(args.cases)
    print(
        f"generated {args.cases:,} cases in {time.perf_counter() - t0:.1f} s ({os.environ['DATABASE_URL'].split(':')[0]})"
    )

    from safehold.cases.models import Case
    from safehold.reports.evaluation import evaluation_report
    from safehold.reports.formats import as_dict

    period = {"date_from": datetime.date(2016, 1, 1), "date_to": datetime.date(2025, 12, 31)}

    def json_report():
        report = evaluation_report(
            Case.objects.all(), average_void_cost=None, service_cost=None, **period
        )
        return as_dict(report)

    client = Client()
    client.force_login(user)
    query = {
        "date_from_day": "1",
        "date_from_month": "1",
        "date_from_year": "2016",
        "date_to_day": "31",
        "date_to_month": "12",
        "date_to_year": "2025",
    }

    from safehold.cases.models import Programme

    query["programme"] = str(Programme.objects.get().pk)

    def html_page():
        response = client.get("/reports/evaluation/", query)
        if b"<svg" not in response.content:
            Path(workdir) / "page.html".write_bytes(response.content)
            raise AssertionError(
                "the page shows no report: see the page.html in the benchmark folder"
            )
        assert response.status_code == 200, response.status_code
        return response

    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx("html_page()", globals(), locals(), str(Path(workdir) / "bench.prof"))
        pstats.Stats(str(Path(workdir) / "bench.prof")).sort_stats("cumulative").print_stats(25)
        return
    for name, work in (("JSON report", json_report), ("HTML page", html_page)):
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                result = work()
                times.append(time.perf_counter() - started)
        if name == "JSON report":
            print(f"  cases received: {result['cases_received']:,}")
        print(
            f"{name}: best {min(times):.2f} s, worst {max(times):.2f} s, {len(ctx.captured_queries)} SQL queries"
        )
        if os.environ.get("BENCH_QUERIES"):
            for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:6]:
                print(f"   {q['time']} s  {q['sql'][:150]}")


if __name__ == "__main__":
    main()
