"""Each indicator met, and not met just past the edge of its window or threshold; and only data
dated on or before the list's date counts (a backtest replays history)."""

import datetime

import pytest

from safehold.accounts.tests.factories import AgencyFactory
from safehold.cases.choices import ClosureReason, ExploitationType
from safehold.cases.tests.factories import CaseFactory
from safehold.incidents.imports import import_incidents
from safehold.networks.choices import LinkType
from safehold.networks.tests.factories import OCGMemberFactory, link
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.risk.engine import score
from safehold.risk.tests.factories import AS_OF, extract, flagged, months_ago, tenancy

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def codes(as_of=AS_OF) -> dict[str, set[str]]:
    """Each subject's indicators on the list of `as_of`."""
    return {e.subject_ref: {r.code for r in e.reasons} for e in score(as_of).entries}


def key(agency, record_id: str) -> str:
    return f"{agency.pk}/{record_id}"


def safehold_key(person) -> str:
    return f"safehold/{person.pk}"


@pytest.fixture
def homes():
    return AgencyFactory(name="Stockport Homes")


# Vulnerability flags


@pytest.mark.parametrize(
    "flag",
    [
        "learning_disability",
        "mental_health",
        "substance_misuse",
        "older_person",
        "care_leaver",
        "previous_exploitation",
    ],
)
def test_a_vulnerability_flag_recorded_by_the_date_is_an_indicator(flag):
    person = flagged(flag)
    assert codes()[safehold_key(person)] == {flag}


def test_a_flag_not_held_or_recorded_after_the_date_is_not_an_indicator():
    later = flagged("learning_disability", recorded=AS_OF + DAY)
    other = flagged("physical_disability")  # not an indicator
    found = codes()
    assert safehold_key(later) not in found
    assert safehold_key(other) not in found
    assert safehold_key(later) in codes(datetime.date(2026, 7, 1))


# Rent arrears


def _series(agency, balances: list[str], *, last=AS_OF, ref="T-1", tenants="H-1"):
    """A tenancies extract for each balance, monthly, the last dated `last`."""
    months = len(balances)
    for i, balance in enumerate(balances):
        extract(
            agency,
            "tenancies",
            [tenancy(ref, tenants, start="2020-01-06", balance=balance)],
            on=months_ago(months - 1 - i, last),
        )


def test_arrears_rising_at_each_of_the_last_three_extracts_is_an_indicator(homes):
    _series(homes, ["10", "100", "200", "300"])
    assert codes()[key(homes, "H-1")] == {"arrears_rising"}


def test_arrears_that_fell_once_in_the_last_three_extracts_are_not_rising(homes):
    _series(homes, ["10", "100", "90", "300"])
    assert key(homes, "H-1") not in codes()


def test_arrears_rising_needs_four_extracts_of_the_tenancy(homes):
    _series(homes, ["100", "200", "300"])
    assert key(homes, "H-1") not in codes()


def test_every_tenant_of_a_tenancy_with_rising_arrears_is_a_subject(homes):
    _series(homes, ["10", "100", "200", "300"], tenants="H-1;H-2")
    found = codes()
    assert found[key(homes, "H-1")] == found[key(homes, "H-2")] == {"arrears_rising"}


def test_an_extract_dated_after_the_list_is_not_read(homes):
    _series(homes, ["10", "100", "200", "300"], last=months_ago(1))
    extract(homes, "tenancies", [tenancy("T-1", "H-1", balance="5")], on=AS_OF + DAY)
    assert codes()[key(homes, "H-1")] == {"arrears_rising"}
    assert key(homes, "H-1") not in codes(AS_OF + DAY)


def test_arrears_above_eight_weeks_is_an_indicator_and_eight_is_not(homes):
    extract(
        homes,
        "tenancies",
        [tenancy("T-1", "H-1", weeks="8.5"), tenancy("T-2", "H-2", weeks="8")],
    )
    found = codes()
    assert found[key(homes, "H-1")] == {"arrears_weeks"}
    assert key(homes, "H-2") not in found


def test_only_the_latest_extract_by_the_date_counts_for_arrears_weeks(homes):
    extract(homes, "tenancies", [tenancy("T-1", "H-1", weeks="12")], on=months_ago(1))
    extract(homes, "tenancies", [tenancy("T-1", "H-1", weeks="2")])
    assert key(homes, "H-1") not in codes()
    assert codes(months_ago(1))[key(homes, "H-1")] == {"arrears_weeks"}


# A tenancy started recently


def test_a_tenancy_started_within_six_months_is_an_indicator(homes):
    extract(
        homes,
        "tenancies",
        [
            tenancy("T-1", "H-1", start="2025-12-31"),  # within six months (from 30 December)
            tenancy("T-2", "H-2", start="2025-12-30"),  # exactly six months before: not within
            tenancy("T-3", "H-3", start="2026-03-01", end="2026-05-01"),  # ended
            tenancy("T-4", "H-4", start="2026-07-01"),  # after the list's date
        ],
    )
    found = codes()
    assert found[key(homes, "H-1")] == {"new_tenancy"}
    assert {key(homes, f"H-{i}") for i in (2, 3, 4)}.isdisjoint(found)


# Incidents at the address


def test_two_incidents_at_the_address_within_ninety_days_are_an_indicator(homes):
    police = AgencyFactory(name="Greater Manchester Police")
    extract(
        homes,
        "people",
        [("H-1", "Ada", "Lovelace", "", "SK1 3XE", ""), ("H-2", "Al", "T", "", "SK4 1AA", "")],
    )
    extract(
        police,
        "incidents",
        [
            ("P-9", AS_OF - 89 * DAY, "ASB", "SK1 3XE"),
            ("P-8", AS_OF, "Police: disturbance", "SK1 3XE"),
            ("P-7", AS_OF - 89 * DAY, "ASB", "SK4 1AA"),
            ("P-6", AS_OF - 90 * DAY, "ASB", "SK4 1AA"),  # outside the window
        ],
    )
    found = codes()
    assert found[key(homes, "H-1")] == {"incidents_at_address"}
    assert key(homes, "H-2") not in found


# Repeat A&E attendances


def test_three_ae_attendances_within_ninety_days_are_an_indicator(homes):
    health = AgencyFactory(name="Stockport NHS")
    extract(
        health,
        "attendances",
        [
            ("N-1", AS_OF - 89 * DAY, "A&E"),
            ("N-1", AS_OF - 10 * DAY, "A&E attendance"),
            ("N-1", AS_OF, "a&e"),
            ("N-2", AS_OF - 90 * DAY, "A&E"),  # outside the window
            ("N-2", AS_OF - 10 * DAY, "A&E"),
            ("N-2", AS_OF, "A&E"),
            ("N-2", AS_OF, "Treatment appointment"),  # not A&E
        ],
    )
    found = codes()
    assert found[key(health, "N-1")] == {"repeat_ae"}
    assert key(health, "N-2") not in found


# The network


def test_a_new_associate_within_ninety_days_is_an_indicator():
    recent, old, friend = PersonFactory(), PersonFactory(), PersonFactory()
    link(recent, friend, type=LinkType.ASSOCIATE_OF, date_from=AS_OF - 89 * DAY)
    link(old, friend, type=LinkType.ASSOCIATE_OF, date_from=AS_OF - 90 * DAY)
    found = codes()
    assert found[safehold_key(recent)] == {"new_associates"}
    assert safehold_key(old) not in found


def test_a_visitor_reported_at_a_persons_home_is_an_indicator():
    tenant, visitor = PersonFactory(), PersonFactory()
    home = LocationFactory()
    CaseFactory(
        subject=tenant,
        location=home,
        referral_date=datetime.date(2025, 1, 5),
        exploitation_type=ExploitationType.FINANCIAL,
    )
    link(visitor, home, type=LinkType.VISITED, date_from=AS_OF - DAY)
    found = codes()
    assert "new_associates" in found[safehold_key(tenant)]
    assert "new_associates" in found[safehold_key(visitor)]


def test_a_link_to_an_ocg_member_is_an_indicator():
    member = OCGMemberFactory(date_from=datetime.date(2025, 1, 1))
    linked, later = PersonFactory(), PersonFactory()
    link(linked, member.person, date_from=datetime.date(2025, 6, 1))
    link(later, member.person, date_from=AS_OF + DAY)
    found = codes()
    assert found[safehold_key(linked)] == {"ocg_or_cuckooing_link"}
    assert safehold_key(later) not in found


def test_living_at_a_premises_with_a_cuckooing_case_is_an_indicator(homes):
    premises = LocationFactory(uprn="100011223344")
    CaseFactory(
        location=premises, referral_date=AS_OF, exploitation_type=ExploitationType.CUCKOOING
    )
    CaseFactory(
        location=LocationFactory(uprn="100099999999"),
        referral_date=AS_OF + DAY,
        exploitation_type=ExploitationType.CUCKOOING,
    )
    extract(
        homes,
        "people",
        [
            ("H-1", "Ada", "L", "", "SK1 3XE", "100011223344"),
            ("H-2", "B", "C", "", "", "100099999999"),
        ],
    )
    found = codes()
    assert found[key(homes, "H-1")] == {"ocg_or_cuckooing_link"}
    assert key(homes, "H-2") not in found


# Cases


def test_a_case_closed_without_engagement_within_two_years_is_an_indicator():
    recent = CaseFactory(
        status="closed", closure_reason=ClosureReason.NO_ENGAGEMENT, closed_on=AS_OF - 729 * DAY
    )
    old = CaseFactory(
        status="closed", closure_reason=ClosureReason.NO_ENGAGEMENT, closed_on=AS_OF - 730 * DAY
    )
    other = CaseFactory(
        status="closed", closure_reason=ClosureReason.POSITIVELY_RESOLVED, closed_on=AS_OF
    )
    found = codes()
    assert "closed_without_engagement" in found[safehold_key(recent.subject)]
    assert safehold_key(old.subject) not in found
    assert safehold_key(other.subject) not in found


def test_incidents_in_a_partners_incident_log_at_the_address_count_too(homes):
    log = "reference,occurred_at,type,postcode,source\n" + "".join(
        f"L-{i},{day.isoformat()}T22:30,Anti-social behaviour,{postcode},Stockport Homes ASB\n"
        for i, (day, postcode) in enumerate(
            [
                (AS_OF - 10 * DAY, "SK1 1EB"),
                (AS_OF, "SK1 1EB"),
                (AS_OF - 10 * DAY, "SK1 3XE"),
                (AS_OF + DAY, "SK1 3XE"),  # after the list's date
            ]
        )
    )
    import_incidents(data=log, file_name="asb.csv")
    extract(
        homes,
        "people",
        [("H-1", "Ada", "L", "", "SK1 1EB", ""), ("H-2", "B", "C", "", "SK1 3XE", "")],
    )
    entries = {e.subject_ref: e for e in score(AS_OF).entries}
    assert set(entries) == {key(homes, "H-1")}
    (reason,) = entries[key(homes, "H-1")].reasons
    assert reason.code == "incidents_at_address"
    assert {(e.holder, e.holder_id, e.date) for e in reason.evidence} == {
        ("incident_log", "Stockport Homes ASB", AS_OF - 10 * DAY),
        ("incident_log", "Stockport Homes ASB", AS_OF),
    }
