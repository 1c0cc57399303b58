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

    def pandas_report():
        """The alternative an analyst would use: read the tables into pandas and aggregate."""
        import pandas as pd

        from safehold.cases.choices import OUTCOME_ENFORCEMENT, OUTCOME_INTERVENTIONS

        cols = "id, referral_date, closed_on, closure_reason, exploitation_type, area_id, referral_source_id, tenancy_sustained"
        cases = pd.read_sql_query(f"SELECT {cols} FROM cases_case", connection.connection)  # noqa: S608
        cases["referral_date"] = pd.to_datetime(cases["referral_date"]).dt.date
        in_period = cases[
            (cases.referral_date >= period["date_from"])
            & (cases.referral_date <= period["date_to"])
        ]
        ids = set(in_period["id"])
        interventions = pd.read_sql_query(
            "SELECT case_id, type_id FROM cases_intervention", connection.connection
        )
        actions = pd.read_sql_query(
            "SELECT case_id, kind FROM cases_enforcementaction", connection.connection
        )
        measures = {}
        for measure, types in OUTCOME_INTERVENTIONS.items():
            hit = interventions[interventions.type_id.isin(types) & interventions.case_id.isin(ids)]
            measures[measure.value] = hit.case_id.nunique()
        for measure, kinds in OUTCOME_ENFORCEMENT.items():
            hit = actions[actions.kind.isin([str(k) for k in kinds]) & actions.case_id.isin(ids)]
            measures[measure.value] = hit.case_id.nunique()
        closed = in_period[in_period.closed_on.notna()]
        return {
            "cases_received": len(in_period),
            "by_source": in_period.groupby("referral_source_id").size().to_dict(),
            "by_type": in_period.groupby("exploitation_type").size().to_dict(),
            "by_area": in_period.groupby("area_id").size().to_dict(),
            "closures": closed.groupby("closure_reason").size().to_dict(),
            "tenancies": int(in_period.tenancy_sustained.fillna(False).astype(bool).sum()),
            "measures": measures,
        }

    results = {}
    results_cases = Case.objects.filter(
        referral_date__gte=period["date_from"], referral_date__lte=period["date_to"]
    ).count()
    for name, work in (
        ("JSON report", json_report),
        ("HTML page", html_page),
        ("pandas (same figures)", pandas_report),
    ):
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                result = work()
                times.append(time.perf_counter() - started)
        results[name] = min(times)
        if name == "JSON report":
            print(f"  cases received: {result['cases_received']:,}")
            safehold_measures = {m["measure"]: m["cases"] for m in result["outcome_measures"]}
        if name.startswith("pandas"):
            assert result["cases_received"] == results_cases, "pandas and Safehold disagree"
            print(f"  pandas outcome measures: {sorted(result['measures'].values())}")
            print(f"  Safehold outcome measures: {sorted(safehold_measures.values())}")
        print(
            f"{name}: best {min(times):.2f} s, worst {max(times):.2f} s, {len(ctx.captured_queries)} SQL queries"
        )
        if os.environ.get("BENCH_QUERIES"):
            for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:6]:
                print(f"   {q['time']} s  {q['sql'][:150]}")

    print(
        f"ratio: pandas takes {results['pandas (same figures)'] / results['JSON report']:.1f}x "
        "the time of Safehold's JSON report (best of three each)"
    )


if __name__ == "__main__":
    main()
