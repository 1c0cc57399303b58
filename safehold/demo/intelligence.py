"""The demo's partner intelligence (issue 16, item 1): Stockport Homes' exploitation officer and
a GMP constable submit what they saw, and the GMP analyst grades most of it. Invented events,
invented numbers (Ofcom's drama ranges: 07700 900xxx, 0161 496 0xxx), no real person.

Everything goes through the intelligence services, as the users would do it on the pages."""

import datetime

from django.db import transaction

from safehold.accounts.models import Agency, User
from safehold.cases.models import Case
from safehold.core import dates
from safehold.intelligence import services
from safehold.intelligence.models import Intelligence

EPO = "epo@homes.demo.safehold.test"
PC = "pc@gmp.demo.safehold.test"
ANALYST = "analyst@gmp.demo.safehold.test"


def is_loaded() -> bool:
    return Intelligence.objects.exists()


@transaction.atomic
def load() -> int:
    """Four submissions: two graded P, one graded C for the council only, one waiting."""
    users = {u.email: u for u in User.objects.filter(email__in=[EPO, PC, ANALYST])}
    epo, pc, analyst = users[EPO], users[PC], users[ANALYST]
    council = Agency.objects.get(name="Stockport Council")
    today = dates.today()
    flats = [
        case.location
        for case in Case.objects.filter(owning_agency=epo.agency_id, status="open")
        .exclude(location=None)
        .select_related("location")
        .order_by("referral_date", "reference")[:2]
    ]
    cuckooed = flats[0] if flats else None

    visitors = services.submit_intelligence(
        by=epo,
        what="Neighbours report young people calling at the flat every few minutes in the "
        "evening, staying a minute or two. A silver hatchback waits outside with its engine "
        "running. The tenant told me a man he calls 'Dee' has been staying and uses the phone "
        "number below.",
        where="The flat and the car park behind the block",
        location=cuckooed,
        occurred_on=today - datetime.timedelta(days=9),
        occurred_until=today - datetime.timedelta(days=3),
        who="'Dee', a man in his twenties; young people calling",
        source_relationship="professional",
        source_relationship_detail="Home visit to the tenant, and what two neighbours told me",
        mentions=[
            ("phone", "07700 900461"),
            ("vehicle", "ma19 xyz"),
            ("person", "Dee"),
            *([("address", cuckooed.one_line)] if cuckooed else []),
        ],
    )
    services.start_assessment(intelligence=visitors, by=analyst)
    services.grade_intelligence(
        intelligence=visitors, by=analyst, source_evaluation="1", assessment="B",
        handling_code="P", serious_harm=True, status="actioned",
        sanitised_text="Intelligence suggests a Stockport Homes address is being used to supply "
        "drugs by people from outside the area, with a vehicle in support.",
        action_taken="Linked to the county line phone 07700 900461 already known; passed to the "
        "Challenger team for a warrant application.",
    )  # fmt: skip

    phone = services.submit_intelligence(
        by=pc,
        what="During a stop in the town centre a youth had two phones; one showed repeated "
        "messages from 07700 900461 offering 'food' in Brinnington.",
        where="Mersey Square, Stockport",
        occurred_on=today - datetime.timedelta(days=20),
        occurred_time=datetime.time(16, 40),
        who="A boy of about 15",
        source_relationship="witnessed",
        mentions=[("phone", "07700 900461"), ("phone", "0161 496 0733")],
    )
    services.grade_intelligence(
        intelligence=phone, by=analyst, source_evaluation="1", assessment="A",
        handling_code="C", handling_conditions="For safeguarding only: not to be disclosed to "
        "the young person or his family.", share_with=[council], serious_harm=True,
        sanitised_text="A child in Stockport town centre is believed to be at risk of criminal "
        "exploitation by a county line.",
        action_taken="Safeguarding referral made; phone number added to the line's profile.",
        status="actioned",
    )  # fmt: skip

    cars = services.submit_intelligence(
        by=epo,
        what="A caller says a black 4x4 parks outside the second flat most nights and people "
        "go in with bags.",
        location=flats[1] if len(flats) > 1 else None,
        occurred_on=today - datetime.timedelta(days=14),
        source_relationship="told",
        mentions=[("vehicle", "YD21 ABC")],
    )
    services.grade_intelligence(
        intelligence=cars, by=analyst, source_evaluation="2", assessment="C",
        handling_code="P", status="graded",
        sanitised_text="Unconfirmed reports of vehicle visits at night to a second Stockport "
        "Homes address.",
    )  # fmt: skip

    services.submit_intelligence(
        by=epo,
        what="Graffiti tag 'DLine' painted by the bin store; the tenant says it marks the block.",
        where="Bin store, rear of the block",
        occurred_on=today - datetime.timedelta(days=1),
        source_relationship="witnessed",
        mentions=[("social_media", "@dline_sk5"), ("other", "Tag 'DLine'")],
    )
    return Intelligence.objects.count()
