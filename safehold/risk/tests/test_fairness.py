"""The fairness report against an independent count: a generated base population (a landlord's
people and tenancies extracts, Safehold people, one tenant and person the linkage run holds to
be one) whose groups and flags are known; the report's counts by group equal a plain count over
it, with counts of 1 to 4 suppressed for anyone beyond the analysts (a group of 4 flagged reads
"fewer than 5", a group of 5 its number)."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ExploitationType
from safehold.cases.tests.factories import CaseFactory
from safehold.geography.models import Lsoa, Ward
from safehold.geography.services import load_stockport_extract
from safehold.linkage.tests.factories import current_run, extract_record, person_record
from safehold.partners.tests.factories import ExtractFactory
from safehold.people.tests.factories import LocationFactory
from safehold.risk import fairness
from safehold.risk.choices import Decision
from safehold.risk.models import Review
from safehold.risk.tests.factories import AS_OF, extract, flagged, tenancy

pytestmark = pytest.mark.django_db

PEOPLE = "record_id,first_name,surname,date_of_birth,sex,postcode,ethnicity\n"


def born_aged(years: int) -> datetime.date:
    return AS_OF.replace(year=AS_OF.year - years) - datetime.timedelta(days=10)


def generate() -> list[dict]:
    """The base population, one dict per subject with its groups and whether it is flagged."""
    homes = AgencyFactory(name="Stockport Homes")
    load_stockport_extract()  # the wards, LSOAs and Census 2021 residents, committed
    ward = Ward.objects.filter(lsoas__population__isnull=False).order_by("code").first()
    rows, tenancies, subjects = [], [], []
    # Group A: 9 women aged 30, 5 in arrears (flagged); group B: 7 men aged 70, 4 in arrears.
    for group, sex, age, count, in_arrears in (("A", "F", 30, 9, 5), ("B", "M", 70, 7, 4)):
        for i in range(count):
            rid = f"{group}-{i}"
            rows.append(f"{rid},First,Last,{born_aged(age).isoformat()},{sex},,Group {group}\n")
            tenancies.append(tenancy(f"T-{rid}", rid, weeks="10" if i < in_arrears else "0"))
            subjects.append(
                {
                    "key": f"{homes.pk}/{rid}",
                    "Ward": "Not recorded",
                    "Age band": "25 to 34" if age == 30 else "65 and over",
                    "Sex": "Female" if sex == "F" else "Male",
                    "Ethnic group": f"Group {group}",
                    "Disability": fairness.NOT_HELD,
                    "flagged": i < in_arrears,
                }
            )
    people = ExtractFactory(
        owning_agency=homes, kind="people", data=PEOPLE + "".join(rows), extract_date=AS_OF
    )
    extract(homes, "tenancies", tenancies)
    # Safehold people: 4 with a learning disability (flagged), 2 with none, four of them with a
    # case at a place in the ward (3 flagged); each a woman aged 40.
    for i in range(6):
        person = flagged(
            *(["learning_disability"] if i < 4 else []),
            gender="female",
            date_of_birth=born_aged(40),
        )
        if i % 3 < 2:
            CaseFactory(
                subject=person,
                referral_date=datetime.date(2025, 3, 1),
                exploitation_type=ExploitationType.FINANCIAL,
                location=LocationFactory(ward=ward),
            )
        subjects.append(
            {
                "key": f"safehold/{person.pk}",
                "Ward": ward.name if i % 3 < 2 else "Not recorded",
                "Age band": "35 to 49",
                "Sex": "Female",
                "Ethnic group": "Not recorded",
                "Disability": fairness.DISABLED if i < 4 else fairness.NOT_DISABLED,
                "flagged": i < 4,
            }
        )
    # The linkage run holds tenant A-8 (not in arrears) and a man with a learning disability to
    # be one person: one subject, flagged, with the extract's groups (its key comes first) and
    # the Safehold record's disability.
    linked = flagged("learning_disability", gender="male", date_of_birth=born_aged(50))
    run = current_run()
    tenant = f"{homes.pk}/A-8"
    cluster = min(tenant, f"safehold/{linked.pk}")
    for record in (person_record(run, linked), extract_record(run, people, "A-8")):
        record.cluster_id = cluster
        record.save(update_fields=["cluster_id"])
    (merged,) = [s for s in subjects if s["key"] == tenant]
    merged.update(key=cluster, flagged=True, Disability=fairness.DISABLED)
    return subjects


def independent_counts(subjects: list[dict]) -> dict:
    counts = {}
    for grouping in fairness.GROUPINGS:
        for s in subjects:
            for group in (s[grouping], "Everyone"):
                population, flagged_n = counts.get((grouping, group), (0, 0))
                counts[(grouping, group)] = (population + 1, flagged_n + s["flagged"])
    return counts


def _csv(*extra) -> list[dict]:
    out = io.StringIO()
    call_command(
        "risk", "fairness", "--as-of", AS_OF.isoformat(), "--no-backtest", *extra, stdout=out
    )
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_the_counts_by_group_equal_an_independent_count_for_the_analysts():
    subjects = generate()
    want = independent_counts(subjects)
    rows = _csv("--small-numbers")
    got = {
        (r["grouping"], r["group"]): (int(r["base_population"]), int(r["flagged"])) for r in rows
    }
    assert got == want
    everyone = want[("Sex", "Everyone")]
    female = next(r for r in rows if (r["grouping"], r["group"]) == ("Sex", "Female"))
    rate = want[("Sex", "Female")][1] / want[("Sex", "Female")][0]
    assert female["flag_rate"] == f"{rate:.2f}"
    assert female["ratio_to_overall"] == f"{rate / (everyone[1] / everyone[0]):.2f}"
    # 4 flagged in group B, shown to the analysts.
    assert got[("Ethnic group", "Group B")] == (7, 4)


def test_counts_under_5_are_suppressed_beyond_the_analysts_and_5_is_shown():
    subjects = generate()
    want = independent_counts(subjects)
    rows = {(r["grouping"], r["group"]): r for r in _csv()}
    group_a, group_b = rows[("Ethnic group", "Group A")], rows[("Ethnic group", "Group B")]
    assert want[("Ethnic group", "Group A")] == (9, 6)
    assert (group_a["base_population"], group_a["flagged"]) == ("9", "6")
    assert (group_b["base_population"], group_b["flagged"]) == ("7", "fewer than 5")
    assert group_b["flag_rate"] == group_b["ratio_to_overall"] == "fewer than 5"
    # Exactly 5: shown.
    assert want[("Disability", fairness.DISABLED)] == (5, 5)
    assert rows[("Disability", fairness.DISABLED)]["flagged"] == "5"
    # Every count of 1 to 4 anywhere in the shared file is suppressed.
    for (grouping, group), (population, flagged_n) in want.items():
        row = rows[(grouping, group)]
        for value, cell in ((population, row["base_population"]), (flagged_n, row["flagged"])):
            assert cell == ("fewer than 5" if 0 < value < 5 else str(value))
    event = AuditEvent.objects.filter(object_type="risk.fairness").get()
    assert "small numbers suppressed" in event.purpose and not event.object_ids


def test_wards_carry_their_census_2021_residents():
    subjects = generate()
    ward = next(s["Ward"] for s in subjects if s["Ward"] != "Not recorded")
    residents = sum(
        Lsoa.objects.filter(ward__name=ward).values_list("population", flat=True), start=0
    )
    (row,) = [r for r in _csv("--small-numbers") if r["group"] == ward]
    assert int(row["census_2021_residents"]) == residents > 0
    assert row["flagged_per_1000_residents"] == f"{1000 * 3 / residents:.2f}"


def test_the_backtests_recall_by_group():
    caught = flagged("care_leaver", gender="female", recorded=datetime.date(2025, 1, 6))
    missed = flagged(gender="male", recorded=datetime.date(2025, 1, 6))
    for person in (caught, missed):
        CaseFactory(subject=person, referral_date=datetime.date(2026, 2, 1))
    made = fairness.report(AS_OF, suppress=False)
    sex = next(t for t in made.tables if t.grouping == "Sex")
    rows = {r.group: (r.cases, r.caught) for r in sex.rows}
    assert (rows["Female"], rows["Male"]) == ((1, 1), (1, 0))
    assert (sex.everyone.cases, sex.everyone.caught) == (2, 1)
    assert made.backtest == (datetime.date(2025, 1, 31), datetime.date(2025, 12, 31), 6)


def test_review_rates_equal_an_independent_count_of_the_latest_decision_by_group():
    """Each flagged subject's latest review on or before the report's date, counted by
    decision in each group; a review after the date and a review of a subject not on the list
    count nowhere."""
    subjects = generate()
    reviewer = UserFactory(role=Role.CASEWORKER)
    on_list = [s for s in subjects if s["flagged"]]
    off_list = next(s for s in subjects if not s["flagged"])
    decided = {}

    def review(subject, decision, on):
        Review.objects.create(
            subject_ref=subject["key"], fingerprint="f", decision=decision, reason="checked",
            decided_by=reviewer, agency=reviewer.agency, as_of=on, indicators_version=1,
            score=1,
        )  # fmt: skip
        if subject["flagged"] and on <= AS_OF:
            decided[subject["key"]] = decision

    day = datetime.timedelta(days=1)
    review(on_list[0], Decision.WATCH, AS_OF - 9 * day)
    review(on_list[0], Decision.TENANCY_SUPPORT, AS_OF - day)  # the latest counts
    review(on_list[1], Decision.TENANCY_SUPPORT, AS_OF)
    review(on_list[2], Decision.NO_ACTION, AS_OF - day)
    review(on_list[-1], Decision.REFER, AS_OF - day)
    review(on_list[3], Decision.NO_ACTION, AS_OF + day)  # after the report's date
    review(off_list, Decision.WATCH, AS_OF - day)  # not on the list
    made = fairness.report(AS_OF, with_backtest=False, suppress=False)
    labels = dict(Decision.choices)
    assert made.decisions == [str(label) for label in labels.values()]
    for table in made.tables:
        want = {}
        for s in subjects:
            if s["key"] in decided:
                for group in (s[table.grouping], "Everyone"):
                    counts = want.setdefault(group, {})
                    label = str(labels[decided[s["key"]]])
                    counts[label] = counts.get(label, 0) + 1
        got = {
            row.group: {d: n for d, n in row.reviewed.items() if n}
            for row in [*table.rows, table.everyone]
            if any(row.reviewed.values())
        }
        assert got == want, table.grouping
    assert sum(want["Everyone"].values()) == 4
