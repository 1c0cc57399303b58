"""For a generated file in the case CSV format, import then `report evaluation --format json`
agrees with a computation over the file's rows themselves (the same rules, Decimal money)."""

import csv
import datetime
import io
import json
import math
import random
import statistics
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from safehold.cases.choices import ExploitationType, OutcomeMeasure
from safehold.cases.imports import COLUMNS, import_cases
from safehold.cases.tests.factories import ProgrammeFactory
from safehold.geography.services import load_stockport_extract

WINDOWS = {3: 91, 6: 182, 12: 365}
AREAS = ["Adswood", "Brinnington", "Reddish", "Edgeley", ""]
SOURCES = ["Greater Manchester Police", "Housing teams", "A&E", ""]
MEASURES = [m.value for m in OutcomeMeasure]


def generated_rows(n: int = 300) -> list[dict]:
    rng = random.Random(20230831)
    rows = []
    for i in range(n):
        referred = datetime.date(2021, 10, 1) + datetime.timedelta(days=rng.randint(0, 900))
        closed = rng.random() < 0.7
        closed_on = referred + datetime.timedelta(days=rng.randint(0, 300)) if closed else None
        if closed_on and closed_on > datetime.date(2024, 6, 30):
            closed_on = datetime.date(2024, 6, 30)
        # 40 repeat subjects (same name and date of birth), the rest one-off.
        subject = rng.randint(0, 39) if rng.random() < 0.35 else 1000 + i
        rows.append(
            {
                "reference": f"EXP-{referred.year}-{i + 1:04d}",
                "referral_date": referred.isoformat(),
                "referral_source": rng.choice(SOURCES),
                "area": rng.choice(AREAS),
                "exploitation_type": rng.choice(ExploitationType.values),
                "status": "closed" if closed else "open",
                "closed_date": closed_on.isoformat() if closed else "",
                "closure_reason": rng.choice(
                    ["positively_resolved", "moved", "no_engagement", "no_exploitation", "other"]
                ) if closed else "",
                "tenancy_sustained": rng.choice(["yes", "no", ""]) if closed else "",
                "outcome_measures": ";".join(rng.sample(MEASURES, rng.randint(0, 3))),
                "subject_name": f"Subject {subject:04d}",
                "subject_dob": "1980-01-01" if subject < 1000 else "",
                "address": "",
                "postcode": "",
            }
        )  # fmt: skip
    return rows


def expected(
    rows: list[dict], start, end, void_cost: Decimal, service_cost: Decimal, to=Decimal("0.01")
) -> dict:
    d = datetime.date.fromisoformat
    period = [r for r in rows if start <= d(r["referral_date"]) <= end]

    def closed_by_end(r):
        return r["closed_date"] and d(r["closed_date"]) <= end

    def subject(r):  # the import joins people by name and date of birth only
        return (r["subject_name"], r["subject_dob"]) if r["subject_dob"] else r["reference"]

    reasons = Counter(r["closure_reason"] for r in period if closed_by_end(r))
    tenancies = sum(r["tenancy_sustained"] == "yes" for r in period)
    per_subject = Counter(subject(r) for r in period)
    durations = sorted(
        (d(r["closed_date"]) - d(r["referral_date"])).days for r in period if closed_by_end(r)
    )

    def re_referred(r, days):
        return any(
            other is not r
            and subject(other) == subject(r)
            and other["closed_date"]
            and 0 <= (d(r["referral_date"]) - d(other["closed_date"])).days <= days
            for other in rows
        )

    def table(column, label=lambda v: v or "Not recorded"):
        return Counter(label(r[column]) for r in period)

    return {
        "cases_received": len(period),
        "by_source": table("referral_source"),
        "by_area": table("area"),
        "by_type": table("exploitation_type", lambda v: ExploitationType(v).label),
        # The victim no longer exploited: closed as positively resolved or moved for safety.
        "positively_resolved": reasons["positively_resolved"] + reasons["moved"],
        "moved": reasons["moved"],
        "no_engagement": reasons["no_engagement"],
        "no_exploitation": reasons["no_exploitation"],
        "other": reasons["other"],
        "ongoing": sum(not closed_by_end(r) for r in period),
        "outcome_measures": {
            OutcomeMeasure(m).label: sum(m in r["outcome_measures"].split(";") for r in period)
            for m in MEASURES
        },
        "cost_benefit": {
            "tenancies_sustained": tenancies,
            "saving": f"{(tenancies * void_cost - service_cost).quantize(to, ROUND_HALF_UP):.2f}",
        },
        "repeat_referrals": {
            "people": sum(1 for n in per_subject.values() if n > 1),
            "cases": sum(n for n in per_subject.values() if n > 1),
        },
        "days_to_closure": {
            "cases": len(durations),
            "median": str(Decimal(str(statistics.median(durations)))) if durations else None,
            "p90": durations[math.ceil(0.9 * len(durations)) - 1] if durations else None,
        },
        "re_referrals": {
            f"within_{m}_months": sum(re_referred(r, days) for r in period)
            for m, days in WINDOWS.items()
        },
        # Imported cases have no chronology: every ongoing case has had no recent contact.
        "open_without_recent_contact": sum(not closed_by_end(r) for r in period),
    }


PERIODS = [
    ("2022-01-01", "2023-08-31"),
    ("2022-04-01", "2022-06-30"),
    ("2023-01-15", "2023-02-14"),
    ("2021-01-01", "2024-12-31"),
    ("2024-02-29", "2024-02-29"),
]


@pytest.fixture
def imported(db):
    load_stockport_extract()
    programme = ProgrammeFactory()
    rows = generated_rows()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    import_cases(data=out.getvalue(), programme=programme, by=None)
    return programme, rows


def test_the_command_agrees_with_an_independent_computation_over_the_file(
    imported, tmp_path, capsys
):
    programme, rows = imported
    void_cost, service_cost = Decimal("4659.1029"), Decimal("27705.00")
    for start, end in PERIODS:
        call_command(
            "report", "evaluation", "--from", start, "--to", end, "--format", "json",
            "--average-void-cost", str(void_cost), "--service-cost", str(service_cost),
            "--programme", programme.name,
        )  # fmt: skip
        got = json.loads(capsys.readouterr().out)
        want = expected(
            rows,
            datetime.date.fromisoformat(start),
            datetime.date.fromisoformat(end),
            void_cost,
            service_cost,
        )
        assert got["cases_received"] == want["cases_received"], start
        for key, column in (("by_source", "source"), ("by_area", "area"), ("by_type", "type")):
            assert {x[column]: x["cases"] for x in got[key]} == dict(want[key]), (start, key)
        for key in (
            "positively_resolved", "moved", "no_engagement", "no_exploitation", "other",
            "ongoing", "repeat_referrals", "days_to_closure", "re_referrals",
            "open_without_recent_contact",
        ):  # fmt: skip
            assert got[key] == want[key], (start, key)
        assert {x["measure"]: x["cases"] for x in got["outcome_measures"]} == want[
            "outcome_measures"
        ]
        assert (
            got["cost_benefit"]["tenancies_sustained"]
            == want["cost_benefit"]["tenancies_sustained"]
        )
        assert got["cost_benefit"]["saving"] == want["cost_benefit"]["saving"], start
    # The file does exercise the rules that need it: repeats, re-referral, closures after the end.
    whole = expected(
        rows, datetime.date(2022, 1, 1), datetime.date(2023, 8, 31), void_cost, service_cost
    )
    assert whole["re_referrals"]["within_3_months"] > 0
    assert whole["repeat_referrals"]["people"] > 0
    assert sum(r["closed_date"] > "2023-08-31" for r in rows if r["referral_date"] <= "2023-08-31")


def test_the_saving_rounded_to_the_pound_agrees_with_the_file(imported, capsys):
    programme, rows = imported
    void_cost, service_cost = Decimal("4659.10"), Decimal("27705.00")
    start, end = "2022-01-01", "2023-08-31"
    call_command(
        "report", "evaluation", "--from", start, "--to", end, "--format", "json",
        "--average-void-cost", str(void_cost), "--service-cost", str(service_cost),
        "--round-saving-to", "pound", "--programme", programme.name,
    )  # fmt: skip
    got = json.loads(capsys.readouterr().out)["cost_benefit"]
    d = datetime.date.fromisoformat
    want = expected(rows, d(start), d(end), void_cost, service_cost, to=Decimal("1"))
    assert got["saving"] == want["cost_benefit"]["saving"]
    assert got["saving"].endswith(".00") and got["saving_rounded_to"] == "pound"
    # The file's figures do exercise the rounding: to the penny the saving is different.
    to_the_penny = expected(rows, d(start), d(end), void_cost, service_cost)["cost_benefit"]
    assert to_the_penny["saving"] != got["saving"]
