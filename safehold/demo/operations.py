"""The demo partnership's operations (synthetic: invented names, flats and people).

- The Mottram Estate warrants day of the Stockport source story (`000_…txt`): GMP and Stockport
  Homes' Safer Neighbourhood Service execute warrants at three invented flats, arrest for
  possession with intent to supply, seize drugs, make a safeguarding referral (into the
  exploitation team's triage queue) and deliver reassurance letters door to door.
- A Wigan-style run of days of action from 1 May to 1 September 2023 (`004_…txt`), imported as
  a historic file through the operations import, whose results add up to the published
  "since May" figures: 31 arrests, 7 safeguarding referrals, 38 closure orders.

Loaded once by `safehold demo load` (after the partnership); loading again changes nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from safehold.accounts.models import Agency, User
from safehold.geography import postcodes
from safehold.geography.models import Lsoa, Ward
from safehold.operations.models import Operation
from safehold.operations.services import casework, planning, results
from safehold.operations.services.imports import import_operations
from safehold.people import services as people
from safehold.people.choices import Tenure

POLICE = "Greater Manchester Police"
HOMES = "Stockport Homes"
COUNCIL = "Stockport Council"
OFFICER = "pc@gmp.demo.safehold.test"
MOTTRAM = "Operation Harrier: Mottram Estate warrants"
CENTRAL_WARD = "E05000783"  # Brinnington and Central: Stockport town centre
UK = datetime.timezone(datetime.timedelta(hours=1))  # British Summer Time
PWITS = "Possession with intent to supply class A"

# The Wigan-style run: (day, ward, arrests, safeguarding referrals, closure orders).
RUN = [
    (datetime.date(2023, 5, 3), "E05000783", 3, 1, 4),
    (datetime.date(2023, 5, 17), "E05000797", 2, 0, 3),
    (datetime.date(2023, 5, 31), "E05000798", 4, 1, 3),
    (datetime.date(2023, 6, 14), "E05000781", 1, 0, 2),
    (datetime.date(2023, 6, 28), "E05000783", 3, 1, 4),
    (datetime.date(2023, 7, 5), "E05000792", 2, 1, 3),
    (datetime.date(2023, 7, 19), "E05000797", 5, 0, 5),
    (datetime.date(2023, 7, 26), "E05000791", 2, 1, 2),
    (datetime.date(2023, 8, 9), "E05000783", 3, 0, 3),
    (datetime.date(2023, 8, 16), "E05000798", 2, 1, 4),
    (datetime.date(2023, 8, 23), "E05000782", 2, 0, 2),
    (datetime.date(2023, 8, 30), "E05000783", 2, 1, 3),
]
RUN_TOTALS = {"arrests": 31, "safeguarding_referrals": 7, "closure_orders": 38}
FLATS = ["Flat 4, Larkhill House", "Flat 11, Larkhill House", "Flat 2, Fernlea Court"]
PEOPLE_OF_INTEREST = [("Dale", "Renshaw"), ("Kieran", "Holtby")]


def is_loaded() -> bool:
    return Operation.objects.filter(name=MOTTRAM).exists()


def run_file() -> str:
    """The Wigan-style run as an operations import file (docs/formats/operations.md)."""
    lines = [
        "key,name,kind,lead_agency,partner_agencies,starts_at,ward_code,phase,"
        "warrants_executed,arrests,arrest_offences,drugs,cash_seized,safeguarding_referrals,"
        "closure_notices_served,closure_orders_made,doors_knocked"
    ]
    for n, (day, ward, arrests, referrals, orders) in enumerate(RUN, start=1):
        offences = ";".join([PWITS] * (arrests - 1) + ["Being concerned in the supply of class A"])
        drugs = f"crack cocaine {4 + n}.5 g; heroin {n + 2} wraps"
        lines.append(
            f"DEMO-KESTREL-{n:02d},Operation Kestrel day of action {n},Day of action,{POLICE},"
            f"{COUNCIL};{HOMES},{day} 07:00,{ward},clear,{max(1, orders - 1)},{arrests},"
            f"{offences},{drugs},{150 * n}.00,{referrals},{orders},{orders},{20 + 3 * n}"
        )
    return "\n".join(lines) + "\n"


@transaction.atomic
def load() -> dict | None:
    """Load the demo operations once; None if they are already there."""
    if is_loaded() or not Agency.objects.filter(name=POLICE).exists():
        return None
    police, homes = Agency.objects.get(name=POLICE), Agency.objects.get(name=HOMES)
    officer = User.objects.get(email=OFFICER)
    imported = import_operations(data=run_file(), by=None)
    ward = Ward.objects.filter(code=CENTRAL_WARD).first()
    lsoa = Lsoa.objects.filter(ward=ward).order_by("code").first() if ward else None
    shipped = postcodes.shipped_postcodes_by_lsoa().get(lsoa.code, []) if lsoa else []
    operation = planning.plan_operation(
        by=officer, name=MOTTRAM, kind="warrant",
        starts_at=datetime.datetime(2024, 6, 18, 6, 0, tzinfo=UK), partners=[homes],
        briefing="About 40 officers with the Safer Neighbourhood Service. Reports of drug "
        "dealing, ASB and fighting, and concerns of cuckooing at these flats: multi-agency "
        "protective action for the residents. Reassurance letters and door-to-door visits to "
        "the neighbouring homes in the afternoon.",
        ward=ward, lsoa=lsoa, area_description="Mottram Estate, Stockport town centre",
        phase="clear",
    )  # fmt: skip
    premises = []
    for i, flat in enumerate(FLATS):
        location = people.create_location(
            owning_agency=police, by=officer, address_line_1=flat, town="Stockport",
            postcode=shipped[i % len(shipped)] if shipped else "", ward=ward, lsoa=lsoa,
            tenure=Tenure.SOCIAL_RENT, landlord=HOMES,
        )  # fmt: skip
        premises.append(planning.add_premises(operation=operation, location=location, by=officer))
    for given, family in PEOPLE_OF_INTEREST:
        person = people.create_person(
            owning_agency=police, given_name=given, family_name=family, by=officer
        )
        planning.add_person(operation=operation, person=person, by=officer)
    seized = [
        ([PWITS, PWITS], [("Crack cocaine", Decimal("14.20"), "g")], Decimal("2340.00"), 3),
        ([PWITS], [("Heroin", Decimal("9"), "wraps")], Decimal("0"), 1),
        ([], [], Decimal("0"), 1),
    ]
    for place, (offences, drugs, cash, phones) in zip(premises, seized, strict=True):
        results.record_results(
            operation=operation, premises=place, by=officer, warrants_executed=1,
            offences=offences, drugs=drugs, cash_seized=cash, phones_seized=phones,
            vulnerable_residents_found=1 if place is premises[2] else 0,
        )  # fmt: skip
    results.record_results(
        operation=operation, by=officer, letters_delivered=140, doors_knocked=96,
        vulnerable_residents_found=1,
    )  # fmt: skip
    casework.raise_referral(
        operation=operation, premises=premises[2], by=officer,
        what_was_seen="The tenant let officers in and said people she did not know had been "
        "staying and selling from the flat for weeks. She is frightened of them coming back.",
        urgency="urgent", consent="yes", subject_description="Woman in her fifties, the tenant",
        suspected_types=["cuckooing"],
    )  # fmt: skip
    return {"imported": imported.created, "mottram": 1}
