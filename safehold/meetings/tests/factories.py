"""Meetings for tests. Rows are made directly here (no disclosure is made by a factory); the
services are tested with the services."""

import datetime
import itertools

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.meetings.models import Action, AgendaItem, Meeting, MeetingSeries
from safehold.sharing.tests.factories import AgreementFactory

_numbers = itertools.count(1)


def SeriesFactory(*, agency=None, parties=(), **fields) -> MeetingSeries:
    """A series chaired by `agency`, under a live agreement with `parties`."""
    agency = agency or AgencyFactory()
    agreement = AgreementFactory(parties=[agency, *parties])
    return MeetingSeries.objects.create(
        name=fields.pop("name", f"Organised crime partnership meeting {next(_numbers)}"),
        owning_agency=agency,
        agreement=agreement,
        **fields,
    )


def MeetingFactory(
    *, series=None, agency=None, attending=(), held_on=datetime.date(2023, 6, 6), **fields
) -> Meeting:
    """A meeting of the series (a new one chaired by `agency` without it), attended by the
    chairing agency and `attending`."""
    series = series or SeriesFactory(agency=agency, parties=attending)
    chair = fields.pop("chair", None) or UserFactory(
        agency=series.owning_agency, role=Role.CASEWORKER
    )
    meeting = Meeting.objects.create(series=series, held_on=held_on, chair=chair, **fields)
    meeting.attending_agencies.set([series.owning_agency, *attending])
    return meeting


def ActionFactory(*, meeting=None, case=None, owning_agency=None, **fields) -> Action:
    meeting = meeting or MeetingFactory(agency=owning_agency)
    values = {
        "description": "Visit the flat with the housing officer",
        "owning_agency": owning_agency or meeting.series.owning_agency,
        "due_on": meeting.held_on + datetime.timedelta(days=14),
        **fields,
    }
    return Action.objects.create(meeting=meeting, case=case, **values)


def flagged(meeting, case, level="full") -> AgendaItem:
    """A case on a meeting's agenda, without the shares the service makes."""
    return AgendaItem.objects.create(meeting=meeting, case=case, level=level, title="")
