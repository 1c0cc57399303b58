"""Issue 15, item 7: the demo's three monthly meetings, with an action done between the first
and the second (off the second's agenda) and one still open at the second and the third."""

from safehold.accounts.models import User
from safehold.cases.models import ChronologyEntry
from safehold.demo import meetings, partnership
from safehold.meetings.agenda import agenda_for
from safehold.meetings.models import Meeting


def _carried(meeting, user):
    return [
        line.text
        for section in agenda_for(meeting, user).sections
        if section.name == "actions"
        for line in section.lines
    ]


def test_three_monthly_meetings_carry_an_open_action_and_drop_a_done_one(db):
    partnership.load(seed=2022)
    meetings.load()
    assert meetings.is_loaded()
    first, second, third = Meeting.objects.order_by("held_on")
    assert [first.status, second.status, third.status] == ["closed", "closed", "open"]
    chair = User.objects.get(email=meetings.CHAIR)
    warrant = "Apply for and execute a drugs warrant at the flat"
    closure = "Prepare the evidence for a partial closure order with Stockport Homes"
    assert warrant not in _carried(second, chair) and closure in _carried(second, chair)
    assert closure in _carried(third, chair)
    assert ChronologyEntry.objects.filter(
        summary__startswith="Discussed at " + meetings.SERIES
    ).exists()
