"""Benchmark: the board report with N indicators (default 200) and M cases (default 20,000).

    .venv/bin/python bench/board_report.py [INDICATORS] [CASES] [--database-url URL]

Generates N annual indicators in 5 themes, each with 8 years of values and a comparison figure,
and M synthetic cases over 2019-2024 (for the computed indicators); then times `kpi refresh`
(every quarter), the board page (signed in, through Django's test client, so the whole request
including the refresh of the quarters shown), the JSON and the PDF, best of three, and counts
the SQL queries of each. Synthetic data.
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


def generate(indicators: int, cases: int):
    from django.db import transaction

    from safehold.accounts.tests.factories import TeamFactory, UserFactory
    from safehold.cases.models import Case
    from safehold.cases.services.cases import create_programme
    from safehold.people.models import Person
    from safehold.performance.models import Indicator, IndicatorValue, Theme

    rng = random.Random(6)
    user = UserFactory(email="analyst@bench.test", role="analyst")
    agency = user.agency
    programme = create_programme(
        name="Bench", lead_agency=agency, triage_team=TeamFactory(agency=agency), by=None
    )
    with transaction.atomic():
        themes = [Theme.objects.create(name=f"Theme {i}", position=i) for i in range(5)]
        made = Indicator.objects.bulk_create(
            Indicator(
                code=f"KPI-{i:04d}",
                name=f"Indicator {i}",
                theme=themes[i % 5],
                source="GMP",
                unit=rng.choice(["count", "percentage", "rate_per_1000"]),
                polarity=rng.choice(["higher_better", "lower_better", "none"]),
                frequency="annual",
                decimal_places=rng.randint(0, 2),
                position=i,
            )
            for i in range(indicators)
        )
        values = []
        for indicator in made:
            for year in range(2017, 2025):
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        period=f"{year}/{(year + 1) % 100:02d}",
                        period_start=datetime.date(year, 4, 1),
                        value=rng.randint(0, 5000),
                    )
                )
            values.append(
                IndicatorValue(
                    indicator=indicator,
                    area="national",
                    period="2024/25",
                    period_start=datetime.date(2024, 4, 1),
                    value=rng.randint(0, 5000),
                )
            )
        IndicatorValue.objects.bulk_create(values, batch_size=2000)
        people = Person.objects.bulk_create(
            [
                Person(owning_agency=agency, given_name="Subject", family_name=f"{i:06d}")
                for i in range(max(1, cases // 2))
            ],
            batch_size=2000,
        )
        start = datetime.date(2019, 4, 1)
        Case.objects.bulk_create(
            [
                Case(
                    programme=programme,
                    owning_agency=agency,
                    reference=f"EXP-2019-{i:06d}",
                    referral_date=start + datetime.timedelta(days=rng.randrange(6 * 365)),
                    subject=rng.choice(people),
                    exploitation_type="cuckooing",
                )
                for i in range(cases)
            ],
            batch_size=2000,
        )
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("indicators", nargs="?", type=int, default=200)
    parser.add_argument("cases", nargs="?", type=int, default=20_000)
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
    t0 = time.perf_counter()
    user = generate(args.indicators, args.cases)
    print(
        f"generated {args.indicators:,} indicators and {args.cases:,} cases in "
        f"{time.perf_counter() - t0:.1f} s ({os.environ['DATABASE_URL'].split(':')[0]})"
    )

    from safehold.performance import computed, formats
    from safehold.performance.periods import parse
    from safehold.performance.report import board_report

    client = Client()
    client.force_login(user)
    period = parse("2024/25")

    def refresh():
        return computed.refresh(today=datetime.date(2025, 4, 1))

    def page():
        response = client.get("/performance/", {"period": "2024/25"})
        assert response.status_code == 200 and b"performance-chart" in response.content
        return response

    def as_json():
        return formats.render(board_report(period), "json")

    def as_pdf():
        return formats.render(board_report(period), "pdf")

    for name, work in (
        ("kpi refresh (every quarter)", refresh),
        ("board page", page),
        ("JSON", as_json),
        ("PDF", as_pdf),
    ):
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                result = work()
                times.append(time.perf_counter() - started)
        extra = f", {result}" if name.startswith("kpi") else ""
        print(
            f"{name}: best {min(times):.2f} s, worst {max(times):.2f} s, "
            f"{len(ctx.captured_queries)} SQL queries{extra}"
        )


if __name__ == "__main__":
    main()
