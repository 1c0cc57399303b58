"""The demo partnership's monthly meeting (issue 15, item 7): a Wigan-style organised crime
partnership meeting chaired by the council, three months running. An action done between the
first and the second meeting drops off; one agreed at the first is still open at the third.

Everything goes through the meetings' services, as the chair and the attending officers would
do it on the pages. The dates follow today's, so the third meeting is always a week ahead."""

import datetime

from django.db import transaction

from safehold.accounts.models import Agency, User
from safehold.cases.models import Case
from safehold.core import dates
from safehold.meetings import services
from safehold.meetings.models import MeetingSeries
from safehold.sharing.choices import DisclosureLevel
from safehold.sharing.models import InformationSharingAgreement

SERIES = "Stockport organised crime partnership meeting"
CHAIR = "admin@council.demo.safehold.test"
EPO = "epo@homes.demo.safehold.test"
PC = "pc@gmp.demo.safehold.test"
ATTENDING = [
    "Greater Manchester Police",
    "Stockport Council",
    "Stockport Homes",
    "Stockport Adult Social Care",
]


def is_loaded() -> bool:
    return MeetingSeries.objects.filter(name=SERIES).exists()


@transaction.atomic
def load() -> dict[str, int]:
    users = {u.email: u for u in User.objects.filter(email__in=[CHAIR, EPO, PC])}
    chair, epo, pc = users[CHAIR], users[EPO], users[PC]
    agencies = {a.name: a for a in Agency.objects.filter(name__in=ATTENDING)}
    police, council = agencies["Greater Manchester Police"], agencies["Stockport Council"]
    series = services.create_series(
        name=SERIES, agreement=InformationSharingAgreement.objects.get(), by=chair
    )
    third = dates.today() + datetime.timedelta(days=7)
    held = [third - datetime.timedelta(days=56), third - datetime.timedelta(days=28), third]
    meetings = [
        services.schedule_meeting(
            series=series,
            held_on=day,
            attending_agencies=list(agencies.values()),
            by=chair,
            apologies="Victim Services Stockport" if n == 1 else "",
        )
        for n, day in enumerate(held)
    ]
    open_cases = list(
        Case.objects.filter(owning_agency=epo.agency_id, status="open").order_by(
            "referral_date", "reference"
        )
    )
    first, second, third_meeting = meetings

    # The first meeting: the exploitation officer flags a cuckooed flat, and keeps it shared
    # after the meeting (enforcement goes on: the actions on it are followed at later meetings).
    flagged = services.flag_case(
        meeting=first, case=open_cases[2], level=DisclosureLevel.FULL, by=epo, keep_sharing=True
    )
    services.record_minute(
        item=flagged, by=chair,
        text="Resident's flat used by a county line; resident frightened but engaging with the "
        "exploitation officer. Police to seek a drugs warrant; council to plan a partial "
        "closure order with Homes if the warrant finds the flat in use.",
    )  # fmt: skip
    warrant = services.add_action(
        meeting=first, item=flagged, by=chair, owner=pc, owning_agency=police,
        description="Apply for and execute a drugs warrant at the flat",
        due_on=held[0] + datetime.timedelta(days=14),
    )  # fmt: skip
    services.add_action(
        meeting=first, item=flagged, by=chair, owning_agency=council,
        description="Prepare the evidence for a partial closure order with Stockport Homes",
        due_on=held[1] + datetime.timedelta(days=42),
    )  # fmt: skip
    topic = services.add_item(meeting=first, title="Hot spots and patrol plans", by=chair)
    services.record_minute(
        item=topic, by=chair,
        text="Reports of drug dealing up around the precinct; patrols moved to evenings.",
    )  # fmt: skip
    services.close_meeting(meeting=first, by=chair)
    # Done before the second meeting: it drops off that agenda.
    services.complete_action(action=warrant, by=pc, done_on=held[0] + datetime.timedelta(days=10))

    # The second meeting: the closure-order action is still open and carried over.
    topic = services.add_item(meeting=second, title="Results since the last meeting", by=chair)
    services.record_minute(
        item=topic, by=chair,
        text="Warrant executed: two arrests, drugs and cash seized. Closure order evidence in hand.",
    )  # fmt: skip
    services.add_action(
        meeting=second, by=chair, owner=epo, owning_agency=epo.agency,
        description="Offer the resident a move and support to keep the tenancy",
        due_on=held[2] + datetime.timedelta(days=14),
    )  # fmt: skip
    services.close_meeting(meeting=second, by=chair)

    # The third meeting, a week ahead: another case flagged, shared in full until it closes.
    services.flag_case(
        meeting=third_meeting, case=open_cases[4], level=DisclosureLevel.FULL, by=epo
    )
    services.add_item(meeting=third_meeting, title="Operations planned for next month", by=chair)
    return {"meetings": len(meetings)}
