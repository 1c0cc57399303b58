"""The engine's list as a whole: its order, each entry's fingerprint (what a review compares to
take an entry off the list until something new appears), and its fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehold.accounts.tests.factories import AgencyFactory
from safehold.risk.engine import score
from safehold.risk.engine.evidence import fingerprint_of
from safehold.risk.engine.extracts import months_before
from safehold.risk.tests.factories import AS_OF, extract, flagged, tenancy

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_the_list_is_ordered_by_score_then_subject():
    low, high = flagged("older_person"), flagged("learning_disability", "mental_health")
    also_low = flagged("older_person")
    refs = [(e.subject_ref, e.score) for e in score(AS_OF).entries]
    assert refs[0] == (f"safehold/{high.pk}", 5)
    assert refs[1:] == sorted([(f"safehold/{low.pk}", 1), (f"safehold/{also_low.pk}", 1)])


def test_the_fingerprint_stays_while_the_evidence_does_and_changes_when_something_new_appears():
    health = AgencyFactory(name="Stockport NHS")
    visits = [("N-1", AS_OF - d * DAY, "A&E") for d in (1, 2, 3)]
    extract(health, "attendances", visits, on=AS_OF - DAY)
    (first,) = score(AS_OF).entries
    (again,) = score(AS_OF).entries
    assert first.fingerprint == again.fingerprint == fingerprint_of(first.reasons)
    extract(health, "attendances", [*visits, ("N-1", AS_OF, "A&E")], on=AS_OF)
    (later,) = score(AS_OF).entries
    assert later.score == first.score
    assert later.fingerprint != first.fingerprint


def test_the_engine_makes_a_fixed_number_of_queries_whatever_the_number_of_subjects(
    django_assert_max_num_queries,
):
    homes = AgencyFactory(name="Stockport Homes")
    extract(homes, "tenancies", [tenancy(f"T-{i}", f"H-{i}", weeks="9") for i in range(3)])
    flagged("care_leaver")
    score(AS_OF)
    with CaptureQueriesContext(connection) as small:
        assert len(score(AS_OF).entries) == 4
    extract(homes, "tenancies", [tenancy(f"T-{i}", f"H-{i}", weeks="9") for i in range(300)])
    for _ in range(20):
        flagged("care_leaver")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(score(AS_OF).entries) == 321


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 6, 30), 6, datetime.date(2025, 12, 30)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 8, 31), 6, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 1, 15), 1, datetime.date(2025, 12, 15)),
        (datetime.date(2026, 3, 31), 13, datetime.date(2025, 2, 28)),
    ],
)
def test_months_before_is_the_same_day_or_the_months_last(day, months, expected):
    assert months_before(day, months) == expected
