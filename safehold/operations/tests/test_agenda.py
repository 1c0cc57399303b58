"""The meeting agenda's "Operations since the last meeting": the operations the reader's
agency led or took part in, from the day after the previous meeting to the meeting's day, each
with its results; another agency's are not there; one query whatever the number."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehold.meetings import agenda
from safehold.meetings.tests.conftest import HELD_ON, Partnership
from safehold.operations.services import results
from safehold.operations.tests.factories import OperationFactory, OperationPartnerFactory

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(6, 0), tzinfo=datetime.UTC)


def _operation(world, name, day, *, arrests=2):
    operation = OperationFactory(owning_agency=world.police, name=name, starts_at=_at(day))
    OperationPartnerFactory(operation=operation, agency=world.council)
    results.record_results(
        operation=operation, by=world.officer, warrants_executed=1,
        offences=["Supply of class A"] * arrests, safeguarding_referrals=1,
        closure_notices_served=3, cash_seized=Decimal("0"),
    )  # fmt: skip
    return operation


def _section(meeting, user):
    built = agenda.agenda_for(meeting, user)
    return next(s for s in built.sections if s.name == "operations")


def test_operations_since_the_last_meeting_are_listed_with_their_results():
    world = Partnership()
    _operation(world, "Operation Larch", HELD_ON - datetime.timedelta(days=10))
    _operation(world, "Operation Before", HELD_ON - datetime.timedelta(days=60))
    lines = _section(world.meeting, world.officer).lines
    assert [line.text for line in lines] == ["Operation Larch"]
    assert lines[0].detail == (
        "Led by Police: 1 warrant executed, 2 arrests, 1 safeguarding referral, "
        "3 closure notices served, 0 closure orders"
    )
    # The council took part: its chair sees it too; the landlord took no part and does not.
    assert [line.text for line in _section(world.meeting, world.chair).lines] == ["Operation Larch"]
    assert _section(world.meeting, world.housing).lines == []


def test_the_section_is_one_query_whatever_the_number_of_operations():
    world = Partnership()
    day = HELD_ON - datetime.timedelta(days=5)
    _operation(world, "Operation 1", day)

    def count():
        with CaptureQueriesContext(connection) as captured:
            _section(world.meeting, world.officer)
        return len(captured), len(_section(world.meeting, world.officer).lines)

    one, shown = count()
    for n in range(2, 7):
        _operation(world, f"Operation {n}", day, arrests=n)
    many, shown_many = count()
    assert (shown, shown_many) == (1, 6)
    assert many == one
