"""The demo partnership: Stockport's agencies, teams and users, and synthetic people.

Deterministic for a given seed. Every person and address is invented by Faker (en_GB): no
real people. Everything is written through the same services the pages use, so the demo
leaves a real audit trail.
"""

import datetime
import random
import zlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from faker import Faker

from safehold.accounts import services as accounts
from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.models import Agency, User
from safehold.cases.choices import ExploitationType, OpenTasksOnClosing
from safehold.cases.models import Case, InterventionType, Programme, ReferralSource, Sign
from safehold.cases.services import cases, casework, enforcement, referrals, tasks
from safehold.core import dates
from safehold.geography import postcodes
from safehold.geography.models import Lsoa
from safehold.geography.services import load_stockport_extract
from safehold.people import services as people
from safehold.people.choices import Gender, Tenure
from safehold.people.models import Vulnerability
from safehold.sharing import services as sharing
from safehold.sharing.choices import DisclosureLevel
from safehold.sharing.models import InformationSharingAgreement

DEMO_PASSWORD = "stockport-demo-2026"  # noqa: S105 — printed on purpose; demo only

AGENCIES = [
    (
        "Greater Manchester Police",
        AgencyKind.POLICE,
        ["Stockport Neighbourhood Policing", "Challenger Team", "Analysis Unit"],
    ),
    (
        "Stockport Council",
        AgencyKind.COUNCIL,
        ["Community Safety Partnership", "Information Governance", "ASB Team"],
    ),
    (
        "Stockport Homes",
        AgencyKind.HOUSING,
        ["Exploitation Team", "Safer Neighbourhoods", "Housing Management"],
    ),
    ("Stockport Adult Social Care", AgencyKind.ADULT_SOCIAL_CARE, ["Safeguarding Adults"]),
    ("Victim Services Stockport", AgencyKind.VICTIM_SERVICES, ["Victim Support"]),
    ("Stepping Hill Hospital A&E", AgencyKind.HEALTH, ["Emergency Department"]),
    ("Pathways Drug and Alcohol Service", AgencyKind.CHARITY, ["Outreach"]),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    agency: str
    team: str
    role: str
    job_title: str


USERS = [
    DemoUser(
        "epo@homes.demo.safehold.test",
        "Jordan Hale",
        "Stockport Homes",
        "Exploitation Team",
        Role.CASEWORKER,
        "Exploitation protection officer",
    ),
    DemoUser(
        "supervisor@homes.demo.safehold.test",
        "Priya Nandra",
        "Stockport Homes",
        "Safer Neighbourhoods",
        Role.SUPERVISOR,
        "Safer neighbourhoods manager",
    ),
    DemoUser(
        "housing@homes.demo.safehold.test",
        "Tom Beckett",
        "Stockport Homes",
        "Housing Management",
        Role.REFERRER,
        "Housing officer",
    ),
    DemoUser(
        "admin@homes.demo.safehold.test",
        "Grace Okafor",
        "Stockport Homes",
        "Housing Management",
        Role.ADMINISTRATOR,
        "Systems administrator",
    ),
    DemoUser(
        "pc@gmp.demo.safehold.test",
        "Sam Whitfield",
        "Greater Manchester Police",
        "Challenger Team",
        Role.CASEWORKER,
        "Police constable, Challenger",
    ),
    DemoUser(
        "pcso@gmp.demo.safehold.test",
        "Ellie Marsh",
        "Greater Manchester Police",
        "Stockport Neighbourhood Policing",
        Role.REFERRER,
        "Police community support officer",
    ),
    DemoUser(
        "analyst@gmp.demo.safehold.test",
        "Ravi Chauhan",
        "Greater Manchester Police",
        "Analysis Unit",
        Role.ANALYST,
        "Crime analyst",
    ),
    DemoUser(
        "performance@council.demo.safehold.test",
        "Helen Doyle",
        "Stockport Council",
        "Community Safety Partnership",
        Role.ANALYST,
        "Performance officer",
    ),
    DemoUser(
        "ig@council.demo.safehold.test",
        "Marcus Lowe",
        "Stockport Council",
        "Information Governance",
        Role.IG_OFFICER,
        "Information governance officer",
    ),
    DemoUser(
        "admin@council.demo.safehold.test",
        "Aisha Rahman",
        "Stockport Council",
        "Community Safety Partnership",
        Role.ADMINISTRATOR,
        "Partnership administrator",
    ),
    DemoUser(
        "socialworker@asc.demo.safehold.test",
        "Nia Edwards",
        "Stockport Adult Social Care",
        "Safeguarding Adults",
        Role.CASEWORKER,
        "Social worker",
    ),
    DemoUser(
        "advocate@victims.demo.safehold.test",
        "Owen Price",
        "Victim Services Stockport",
        "Victim Support",
        Role.CASEWORKER,
        "Victim advocate",
    ),
    DemoUser(
        "nurse@ae.demo.safehold.test",
        "Fiona Grant",
        "Stepping Hill Hospital A&E",
        "Emergency Department",
        Role.REFERRER,
        "Emergency department nurse",
    ),
    DemoUser(
        "outreach@pathways.demo.safehold.test",
        "Dan Kerr",
        "Pathways Drug and Alcohol Service",
        "Outreach",
        Role.CASEWORKER,
        "Outreach worker",
    ),
    DemoUser(
        "ig@homes.demo.safehold.test",
        "Lena Fischer",
        "Stockport Homes",
        "Housing Management",
        Role.IG_OFFICER,
        "Data protection officer",
    ),
    # The top indicators list's readers and reviewers (issue 18, ADR 0059).
    DemoUser(
        "tenancy@homes.demo.safehold.test",
        "Sam Whitaker",
        "Stockport Homes",
        "Housing Management",
        Role.CASEWORKER,
        "Tenancy sustainment officer",
    ),
    DemoUser(
        "analyst@homes.demo.safehold.test",
        "Ruth Adeyemi",
        "Stockport Homes",
        "Housing Management",
        Role.ANALYST,
        "Housing intelligence analyst",
    ),
]

# How many synthetic people and places each agency holds.
PEOPLE_PER_AGENCY = {
    "Stockport Homes": 40,
    "Greater Manchester Police": 12,
    "Stockport Adult Social Care": 8,
}
POSTCODE_DISTRICTS = ["SK1", "SK2", "SK3", "SK4", "SK5", "SK6", "SK7", "SK8"]
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def is_loaded() -> bool:
    return Agency.objects.filter(name=AGENCIES[0][0]).exists()


@transaction.atomic
def load(*, seed: int = 2022) -> dict[str, int]:
    """Create the demo partnership. Refuses to run twice (the caller checks `is_loaded`)."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    load_stockport_extract()

    agencies, teams = {}, {}
    for name, kind, team_names in AGENCIES:
        agencies[name] = accounts.create_agency(name=name, kind=kind)
        for team_name in team_names:
            teams[(name, team_name)] = accounts.create_team(agency=agencies[name], name=team_name)
    for u in USERS:
        accounts.create_user(
            email=u.email, full_name=u.full_name, agency=agencies[u.agency], role=u.role,
            password=DEMO_PASSWORD, teams=[teams[(u.agency, u.team)]], job_title=u.job_title,
        )  # fmt: skip

    _sharing_agreement(agencies)
    cases.create_programme(
        name="Stockport exploitation project",
        lead_agency=agencies["Stockport Homes"],
        triage_team=teams[("Stockport Homes", "Exploitation Team")],
        asb_team=teams[("Stockport Homes", "Safer Neighbourhoods")],
        by=None,
    )

    vulnerabilities = list(Vulnerability.objects.all())
    lsoas = list(Lsoa.objects.select_related("ward").order_by("code"))
    real_postcodes = postcodes.shipped_postcodes_by_lsoa()
    people_count = places = 0
    held: dict[str, list] = {}
    for agency_name, count in PEOPLE_PER_AGENCY.items():
        agency = agencies[agency_name]
        for _ in range(count):
            gender = rng.choice([Gender.FEMALE, Gender.MALE, Gender.MALE, Gender.NOT_KNOWN])
            given = fake.first_name_female() if gender == Gender.FEMALE else fake.first_name_male()
            person = people.create_person(
                owning_agency=agency,
                given_name=given,
                family_name=fake.last_name(),
                date_of_birth=fake.date_of_birth(minimum_age=18, maximum_age=85)
                if rng.random() < 0.85
                else None,
                gender=gender,
                vulnerabilities=rng.sample(vulnerabilities, rng.randint(0, 3)),
                aliases=[fake.first_name()] if rng.random() < 0.2 else [],
                by=None,
            )
            people_count += 1
            lsoa = rng.choice(lsoas)
            social = rng.random() < 0.6
            inward = (
                f"{rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
            )
            postcode = f"{rng.choice(POSTCODE_DISTRICTS)} {inward}"
            # A real postcode of the LSOA (picked without drawing from `rng`, so the rest of
            # the demo stays as it was), so the place is found on its map (ADR 0037).
            if real := real_postcodes.get(lsoa.code):
                postcode = real[zlib.crc32(postcode.encode()) % len(real)]
            location = people.create_location(
                owning_agency=agency,
                address_line_1=f"{rng.randint(1, 180)} {fake.street_name()}",
                town="Stockport",
                postcode=postcode,
                ward=lsoa.ward,
                lsoa=lsoa,
                tenure=Tenure.SOCIAL_RENT
                if social
                else rng.choice([Tenure.PRIVATE_RENT, Tenure.OWNER]),
                landlord="Stockport Homes" if social else "",
                by=None,
            )
            places += 1
            held.setdefault(agency_name, []).append((person, location))
    case_count = _casework(rng=rng, fake=fake, held=held["Stockport Homes"], agencies=agencies)
    _share_some_cases(agencies)
    load_performance()
    return {
        "agencies": len(agencies),
        "users": len(USERS),
        "people": people_count,
        "places": places,
        "cases": case_count,
    }


def load_performance() -> None:
    """The board report's indicators: the Safer Stockport Partnership's 2016/17 framework
    (published figures, entered as the demo's performance officer) and the indicators Safehold
    computes from the demo casework. Idempotent, so `demo load` runs it on a loaded demo too."""
    from safehold.performance import computed
    from safehold.performance.fixture import load_ssp_2016_17

    load_ssp_2016_17(by=User.objects.get(email="performance@council.demo.safehold.test"))
    computed.refresh()


# Who signed the partnership's agreement for each agency (invented people).
SIGNATORIES = {
    "Greater Manchester Police": ("Carol Ashworth", "Superintendent, Stockport district"),
    "Stockport Council": ("Marcus Lowe", "Information governance officer"),
    "Stockport Homes": ("Lena Fischer", "Data protection officer"),
    "Stockport Adult Social Care": ("Imran Qureshi", "Head of safeguarding adults"),
    "Victim Services Stockport": ("Beth Collins", "Service manager"),
    "Stepping Hill Hospital A&E": ("Ruth Okoye", "Caldicott guardian"),
    "Pathways Drug and Alcohol Service": ("Mark Devlin", "Service manager"),
}


def _sharing_agreement(agencies: dict) -> None:
    """The partnership's information sharing agreement between all seven agencies, signed."""
    ig = User.objects.get(email="ig@council.demo.safehold.test")
    agreement = sharing.create_agreement(
        title="Stockport Community Safety Partnership information sharing agreement",
        purpose="Preventing and reducing crime, anti-social behaviour and exploitation (including "
        "cuckooing) in Stockport: referrals, joint casework, safeguarding and enforcement.",
        lawful_basis="UK GDPR Article 6(1)(e): public task",
        legal_gateway="Crime and Disorder Act 1998, section 115",
        special_category_condition="DPA 2018 Schedule 1, paragraphs 10 (preventing or detecting "
        "unlawful acts) and 18 (safeguarding of individuals at risk)",
        data_categories=["identity", "address", "casework", "vulnerabilities", "criminal_offence"],
        parties=list(agencies.values()), managed_by=agencies["Stockport Council"],
        start_date=datetime.date(2024, 4, 1), review_date=datetime.date(2027, 4, 1), by=ig,
    )  # fmt: skip
    for name, (signatory, job_title) in SIGNATORIES.items():
        sharing.add_signatory(
            agreement=agreement, agency=agencies[name], name=signatory, job_title=job_title,
            signed_on=datetime.date(2024, 3, 20), by=ig,
        )  # fmt: skip


# Which of Stockport Homes' cases (oldest referral first) it shares in full, and with whom, so that
# police and council users see some casework of the partnership (issue 14, defect 3).
SHARED_CASES = {
    "Greater Manchester Police": (0, 1, 3, 5, 8, 13),
    "Stockport Council": (1, 2, 5, 9),
}


def _share_some_cases(agencies: dict) -> None:
    """The exploitation protection officer shares a few cases with the police (enforcement)
    and the council (community safety), under the partnership's agreement."""
    epo = User.objects.get(email=USERS[0].email)
    agreement = InformationSharingAgreement.objects.get()
    held = list(
        Case.objects.filter(owning_agency=epo.agency_id).order_by("referral_date", "reference")
    )
    for agency_name, positions in SHARED_CASES.items():
        for position in positions:
            sharing.disclose(
                agreement=agreement, to_agency=agencies[agency_name], level=DisclosureLevel.FULL,
                case=held[position], by=epo,
                purpose="Joint work on the exploitation case (enforcement and community safety)",
            )  # fmt: skip


def _casework(*, rng: random.Random, fake: Faker, held: list, agencies: dict) -> int:
    """Open demo cases for the first people Stockport Homes holds, and leave referrals waiting."""
    programme = Programme.objects.get()
    users = {u.email: u for u in User.objects.all()}
    epo = users[USERS[0].email]
    interventions = list(InterventionType.objects.all())
    types = [t for t, _ in ExploitationType.choices]
    today = datetime.date(2026, 11, 1)
    count = 0
    for i, (person, location) in enumerate(held[:24]):
        referred = today - datetime.timedelta(days=rng.randint(20, 600))
        case = cases.open_case(
            programme=programme,
            referral_date=referred,
            referral_source=ReferralSource.objects.get_or_create(name=rng.choice(AGENCIES)[0])[0],
            subject=person,
            location=location,
            exploitation_type=types[0] if rng.random() < 0.55 else rng.choice(types),
            risk_level=rng.choice(["standard", "medium", "medium", "high"]),
            risk_rationale="Assessed at triage",
            lead_officer=epo,
            by=epo,
        )
        count += 1
        start = referred + datetime.timedelta(days=3)
        for kind, summary in (
            ("visit", "Home visit with the housing officer; resident spoke openly."),
            ("phone", "Follow-up call; resident reports fewer visitors."),
        ):
            casework.add_entry(
                case=case, by=epo, kind=kind, summary=summary,
                occurred_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(10, 30))),
            )  # fmt: skip
        for itype in rng.sample(interventions, rng.randint(1, 3)):
            casework.add_intervention(
                case=case, by=epo, type=itype, agency=case.owning_agency, started_on=start
            )
        if rng.random() < 0.4:
            enforcement.add_enforcement(
                case=case, by=epo, kind=rng.choice(["warning", "cpw", "cpn", "perpetrator_excluded", "arrest"]),
                status="in_force", agency=agencies["Greater Manchester Police"], started_on=start,
            )  # fmt: skip
        tasks.add_task(
            case=case, by=epo, title="Review visit", owner=epo,
            due_on=dates.today() + datetime.timedelta(days=rng.randint(-10, 30)),
        )  # fmt: skip
        if i % 3 == 0 and referred < today - datetime.timedelta(days=90):
            reason = rng.choice(
                ["positively_resolved", "positively_resolved", "moved", "no_engagement"]
            )
            # Closing ends the case's open tasks with it: no open task is left on a closed case.
            cases.close_case(
                case=case, by=epo, reason=reason, closed_on=referred + datetime.timedelta(days=rng.randint(30, 80)),
                tenancy_sustained=reason == "positively_resolved", open_tasks=OpenTasksOnClosing.CLOSE,
            )  # fmt: skip
    for email, urgency in (
        ("pcso@gmp.demo.safehold.test", "urgent"),
        ("nurse@ae.demo.safehold.test", "immediate"),
    ):
        referrer = users[email]
        draft = referrals.save_draft(
            programme=programme, by=referrer, subject_known=True,
            subject_given_name=fake.first_name(), subject_family_name=fake.last_name(),
            address_line_1=f"{rng.randint(1, 99)} {fake.street_name()}", town="Stockport", postcode="SK5 7AB",
            what_was_seen="Several young men visiting at all hours; the resident looked frightened.",
            suspected_types=["cuckooing"], consent="not_known", urgency=urgency,
            signs=Sign.objects.filter(code__in=["comings_and_goings", "resident_scared"]),
        )  # fmt: skip
        referrals.submit(referral=draft, by=referrer)
    count += _police_referral_with_a_dog(
        programme=programme, referrer=users["pcso@gmp.demo.safehold.test"], epo=epo
    )
    return count


def _police_referral_with_a_dog(*, programme, referrer, epo) -> int:
    """A police referral warning of a dog at the address, accepted into a case: the case page
    shows the warning as a staff-safety banner and links the referral (issue 14, defect 1)."""
    draft = referrals.save_draft(
        programme=programme, by=referrer, subject_known=True,
        subject_given_name="Dennis", subject_family_name="Hargreaves",
        address_line_1="7 Lark Hill Court", town="Stockport", postcode="SK5 7AA",
        what_was_seen="Two men with a large dog answering the door; the tenant stayed in the back room.",
        suspected_types=["cuckooing"], consent="no", urgency="urgent",
        risks_to_staff="A large aggressive dog (XL bully type) is kept at the address. Visit in pairs and ask for it to be shut away first.",
        signs=Sign.objects.filter(code__in=["comings_and_goings", "new_friends"]),
    )  # fmt: skip
    referral = referrals.submit(referral=draft, by=referrer)
    case = referrals.accept(
        referral=referral, by=epo, person=referrals.FROM_REFERRAL, location=referrals.FROM_REFERRAL,
        exploitation_type="cuckooing", risk_level="high",
        risk_rationale="Dealers present and a dangerous dog at the address",
    )  # fmt: skip
    tasks.add_task(
        case=case, by=epo, title="Joint visit with the police (dog at the address)", owner=epo,
        due_on=dates.today() + datetime.timedelta(days=3),
    )  # fmt: skip
    # A partial closure order made 80 days ago: it ends within the fortnight, so the home
    # page's "enforcement deadlines in the next 14 days" and the calendar have something.
    enforcement.add_enforcement(
        case=case, by=epo, kind="partial_closure_order", status="in_force",
        agency=case.owning_agency, started_on=dates.today() - datetime.timedelta(days=80),
        notes="Partial closure order: only the tenant and named support workers may enter.",
    )  # fmt: skip
    return 1
