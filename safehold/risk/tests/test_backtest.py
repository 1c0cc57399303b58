"""The backtest against an independent computation: on a generated history (monthly tenancies
extracts with arrears, people flagged on dates of their own, some tenants linked to people by
the linkage run, and cases that opened later), `safehold risk backtest` gives the same recall,
lead times and precision as plain Python over the generated data, which ranks the subjects
itself (the catalogue's weights, most first, ties by reference) without the engine."""

import calendar
import csv
import datetime
import io
import json
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehold.accounts.tests.factories import AgencyFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ExploitationType
from safehold.cases.tests.factories import CaseFactory
from safehold.geography.models import Ward
from safehold.geography.services import load_stockport_extract
from safehold.linkage.tests.factories import current_run, extract_record, person_record
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.risk import backtest
from safehold.risk.services import current_version
from safehold.risk.tests.factories import extract, flagged, tenancy

pytestmark = pytest.mark.django_db

FLAGS = ("learning_disability", "mental_health", "older_person", "care_leaver")
MONTHS = [(2025, m) for m in range(1, 7)]  # the points: the ends of January to June 2025
HORIZON = 3
TOPS = (3, 6)


def end_of(year: int, month: int) -> datetime.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def generate(seed: int) -> dict:
    """A history: people with flags recorded on their own dates, 8 tenants whose arrears change
    month by month (an extract at each month's end from November 2024 to September 2025), two
    tenants linked to people, and cases opened on dates spread over 2025."""
    rng = random.Random(seed)
    homes = AgencyFactory(name=f"Homes {seed}")
    load_stockport_extract()  # the wards, LSOAs and Census 2021 residents, committed
    wards = list(Ward.objects.order_by("code")[:2])
    people = []
    for _ in range(10):
        flags = rng.sample(FLAGS, rng.randint(0, 3))
        recorded = datetime.date(2024, 10, 1) + datetime.timedelta(days=rng.randint(0, 270))
        person = flagged(*flags, recorded=recorded) if flags else PersonFactory()
        if not flags:  # recorded long ago, with nothing to flag
            recorded = None
        people.append({"person": person, "flags": flags, "recorded": recorded})
    arrears = {
        end_of(2024, 11 + i): [rng.choice([0, 3, 9, 12]) for _ in range(8)] for i in range(11)
    }
    extracts = {
        day: extract(
            homes,
            "tenancies",
            [tenancy(f"T-{t}", f"H-{t}", weeks=str(w)) for t, w in enumerate(weeks)],
            on=day,
        )
        for day, weeks in arrears.items()
    }
    run = current_run()
    links = {}
    for t, p in ((0, 0), (1, 1)):
        key = f"{homes.pk}/H-{t}"
        person = people[p]["person"]
        cluster = min(key, f"safehold/{person.pk}")
        for record in (
            person_record(run, person),
            extract_record(run, next(iter(extracts.values())), f"H-{t}"),
        ):
            record.cluster_id = cluster
            record.save(update_fields=["cluster_id"])
        links[key] = links[f"safehold/{person.pk}"] = cluster
    cases = []
    for p in rng.sample(range(10), 7):
        opened = datetime.date(2025, 1, 10) + datetime.timedelta(days=rng.randint(0, 250))
        ward = rng.choice([None, *wards])
        person = people[p]["person"]
        CaseFactory(
            subject=person,
            referral_date=opened,
            exploitation_type=ExploitationType.FINANCIAL,
            location=LocationFactory(ward=ward) if ward else None,
        )
        key = f"safehold/{person.pk}"
        cases.append((links.get(key, key), opened, ward.name if ward else "Not known"))
    # A case before the first point counts for nothing.
    CaseFactory(subject=people[2]["person"], referral_date=datetime.date(2024, 12, 1))
    return {"homes": homes, "people": people, "arrears": arrears, "links": links, "cases": cases}


def expected(world: dict) -> dict:
    """Plain Python: each point's subjects and codes from the generated data, ranked by the
    catalogue's weights; then each case's catch, lead time and the top k's precision."""
    weights = {code: s["weight"] for code, s in current_version().enabled().items()}
    weeks_over = current_version().settings["arrears_weeks"]["params"]["weeks"]
    points = [end_of(y, m) for y, m in MONTHS]
    ranked = {}
    for point in points:
        codes: dict[str, set[str]] = {}
        for p in world["people"]:
            if p["flags"] and p["recorded"] <= point:
                key = f"safehold/{p['person'].pk}"
                codes.setdefault(world["links"].get(key, key), set()).update(p["flags"])
        latest = max(day for day in world["arrears"] if day <= point)
        for t, weeks in enumerate(world["arrears"][latest]):
            if weeks > weeks_over:
                key = f"{world['homes'].pk}/H-{t}"
                codes.setdefault(world["links"].get(key, key), set()).add("arrears_weeks")
        scores = {s: sum(weights[c] for c in cs) for s, cs in codes.items()}
        ranked[point] = {
            "list": sorted(scores, key=lambda s: (-scores[s], s)),
            "learning_disability": sorted(s for s, cs in codes.items() if "learning_disability" in cs),
            "baseline": sorted(
                (s for s, cs in codes.items() if cs & set(FLAGS)),
                key=lambda s: (-len(codes[s] & set(FLAGS)), s),
            ),
        }  # fmt: skip
    found: dict = {"areas": {}}
    for subject, opened, area in world["cases"]:
        before = [p for p in points if p < opened <= end_of(p.year, p.month + HORIZON)]
        if before:
            cases, caught = found["areas"].get(area, (0, 0))
            hit = any(subject in ranked[p]["list"][: TOPS[0]] for p in before)
            found["areas"][area] = (cases + 1, caught + hit)
    for ranking in ("list", "learning_disability", "baseline"):
        for k in (*TOPS, None):
            counted, leads, flagged_n, positives = 0, [], 0, 0
            for subject, opened, _ in world["cases"]:
                before = [p for p in points if p < opened <= end_of(p.year, p.month + HORIZON)]
                if not before:
                    continue
                counted += 1
                hits = [p for p in before if subject in ranked[p][ranking][:k]]
                if hits:
                    leads.append((opened.year - hits[0].year) * 12 + opened.month - hits[0].month)
            for p in points:
                top = set(ranked[p][ranking][:k])
                ahead = {
                    s for s, o, _ in world["cases"] if p < o <= end_of(p.year, p.month + HORIZON)
                }
                flagged_n += len(top)
                positives += len(top & ahead)
            found[(ranking, k)] = {
                "cases": counted,
                "on_list": len(leads),
                "leads": sorted(leads),
                "flagged": flagged_n,
                "positives": positives,
            }
    return found


def _run_json() -> dict:
    out = io.StringIO()
    call_command(
        "risk", "backtest", "--from", "2025-01", "--to", "2025-06", "--horizon", f"{HORIZON}m",
        "--top", ",".join(map(str, TOPS)), "--format", "json", stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_backtests_recall_lead_times_and_precision_equal_an_independent_computation(seed):
    world = generate(seed)
    want = expected(world)
    got = _run_json()
    assert got["cases"] == want[("list", None)]["cases"]
    assert want[("list", None)]["cases"] > 0
    figures = {(f["ranking"], f["top"]): f for f in got["figures"]}
    for (ranking, k), w in ((key, w) for key, w in want.items() if key != "areas"):
        f = figures[(ranking, k)]
        leads = sorted(
            int(m) for m, n in f["lead_months"]["cases_by_months"].items() for _ in range(n)
        )
        assert (f["cases"], f["on_list"], leads) == (w["cases"], w["on_list"], w["leads"]), (
            ranking, k,
        )  # fmt: skip
        assert (f["flagged"], f["with_case_opened"]) == (w["flagged"], w["positives"])
        if w["cases"]:
            assert f["recall"] == pytest.approx(w["on_list"] / w["cases"])
    by_area = {
        area: next(r for r in rows if r["ranking"] == "list" and r["top"] == TOPS[0])
        for area, rows in got["by_area"].items()
    }
    assert {a: (r["cases"], r["on_list"]) for a, r in by_area.items() if r["cases"]} == want[
        "areas"
    ]


def test_a_case_caught_two_months_ahead_has_a_lead_time_of_two_months():
    person = flagged("learning_disability", recorded=datetime.date(2025, 1, 5))
    CaseFactory(subject=person, referral_date=datetime.date(2025, 3, 3))
    made = backtest.run(
        first=datetime.date(2025, 1, 1), last=datetime.date(2025, 3, 1), horizon=6, tops=(1,)
    )
    (figures,) = [f for f in made.of("list") if f.k == 1]
    assert (figures.cases, figures.caught, figures.leads) == (1, 1, [2])
    # The list at the end of March was made after the case opened: it is not a catch.
    assert [p.found[1] for p in made.points] == [1, 1, 0]


def test_data_dated_after_a_point_does_not_reach_its_list():
    person = flagged("learning_disability", recorded=datetime.date(2025, 2, 10))
    CaseFactory(subject=person, referral_date=datetime.date(2025, 2, 20))
    made = backtest.run(
        first=datetime.date(2025, 1, 1), last=datetime.date(2025, 1, 1), horizon=6, tops=(1,)
    )
    (figures,) = [f for f in made.of("list") if f.k == 1]
    assert (figures.cases, figures.caught) == (1, 0)


def test_the_csv_has_a_row_for_every_ranking_and_k_and_the_read_is_audited():
    CaseFactory(subject=flagged("mental_health"), referral_date=datetime.date(2025, 2, 1))
    out = io.StringIO()
    call_command(
        "risk", "backtest", "--from", "2025-01", "--to", "2025-01", "--horizon", "6m",
        "--format", "csv", stdout=out,
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(backtest.CSV_COLUMNS)
    every = [r for r in rows if r["area"] == ""]
    assert {(r["ranking"], r["top"]) for r in every} == {
        (name, top)
        for name in ["list", "baseline", *(i.code for i in backtest.INDICATORS)]
        for top in ("20", "50", "100", "all")
    }
    row = next(r for r in every if r["ranking"] == "list" and r["top"] == "20")
    assert (row["cases"], row["on_list"], row["recall"]) == ("1", "1", "1.0000")
    event = AuditEvent.objects.filter(object_type="risk.backtest").get()
    assert not event.object_ids and "counts only" in event.purpose


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-13", "--to", "2025-06"], "not a month"),
        (["--from", "2025-06", "--to", "2025-01"], "before the first"),
        (["--from", "2025-01", "--to", "2025-06", "--horizon", "0m"], "not a number of months"),
        (["--from", "2025-01", "--to", "2025-06", "--top", "a"], "--top"),
        (["--from", "2025-01", "--to", "2025-06", "--area", "Atlantis"], "not a ward"),
    ],
)
def test_a_bad_period_gets_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("risk", "backtest", *args)
