"""The demo's organised crime network (issue 16, item 8): eleven invented groups in Stockport (the
seed's count), their members (invented people, recorded by the police), the phones that join the
cuckooed addresses of the demo's Stockport Homes cases shared with the police, premises, threat
assessments and 4P plans, and the Crime Concordat agreement under which Stockport Homes and the
police see each other's network records. Invented names and numbers only (Ofcom's drama range,
07700 900xxx); no real person.

Everything goes through the services, as the police constable and the exploitation officer
would do it on the pages."""

import datetime
import random

from django.db import transaction

from safehold.accounts.models import Agency, User
from safehold.cases.models import Case
from safehold.core import dates
from safehold.intelligence.choices import GRADED_STATUSES
from safehold.intelligence.models import Intelligence
from safehold.networks import services
from safehold.networks.choices import Activity, FourP, MemberRole
from safehold.networks.models import OrganisedCrimeGroup
from safehold.people.services import create_person
from safehold.sharing import services as sharing

PC = "pc@gmp.demo.safehold.test"
EPO = "epo@homes.demo.safehold.test"
IG = "ig@homes.demo.safehold.test"
ANALYST = "analyst@gmp.demo.safehold.test"

# (name, activities, ward codes): Stockport's wards, invented groups.
GROUPS = [
    ("Brinnington Line", [Activity.COUNTY_LINES, Activity.CUCKOOING, Activity.DRUG_SUPPLY],
     ["E05000782"]),
    ("Edgeley Crew", [Activity.DRUG_SUPPLY, Activity.EXPLOITATION], ["E05000789"]),
    ("Reddish Boys", [Activity.DRUG_SUPPLY, Activity.CUCKOOING], ["E05000796", "E05000797"]),
    ("Cheadle Heath Network", [Activity.CANNABIS_CULTIVATION], ["E05000786"]),
    ("Offerton Firm", [Activity.ILLEGAL_MONEY_LENDING, Activity.EXPLOITATION], ["E05000795"]),
    ("Marple Ring", [Activity.FRAUD], ["E05000793"]),
    ("Hazel Grove Line", [Activity.COUNTY_LINES, Activity.DRUG_SUPPLY], ["E05000791"]),
    ("Bramhall Associates", [Activity.FRAUD, Activity.ILLEGAL_MONEY_LENDING], ["E05000783"]),
    ("Davenport Crew", [Activity.DRUG_SUPPLY], ["E05000788"]),
    ("Heaton Mersey Group", [Activity.CANNABIS_CULTIVATION, Activity.DRUG_SUPPLY], ["E05000790"]),
    ("Adswood Line", [Activity.COUNTY_LINES, Activity.CUCKOOING], ["E05000781"]),
]  # fmt: skip
GIVEN = ["Kai", "Tyler", "Jordan", "Reece", "Callum", "Liam", "Mason", "Aaron", "Connor", "Jay"]
FAMILY = ["Example", "Sample", "Demo", "Fictional", "Madeup", "Placeholder", "Testcase"]
ROLES = [MemberRole.PRINCIPAL, MemberRole.LIEUTENANT, MemberRole.RUNNER, MemberRole.RUNNER,
         MemberRole.ENABLER]  # fmt: skip


def is_loaded() -> bool:
    return OrganisedCrimeGroup.objects.exists()


def _concordat(gmp: Agency, homes: Agency) -> None:
    """The landlord and the police share intelligence (the Crime Concordat, seed 002)."""
    ig = User.objects.get(email=IG)
    agreement = sharing.create_agreement(
        title="Crime Concordat: intelligence sharing between Stockport Homes and GMP",
        purpose="Disrupting organised crime and cuckooing in Stockport Homes' properties: the "
        "landlord and the police share intelligence and map the groups together.",
        lawful_basis="UK GDPR Article 6(1)(e): public task",
        legal_gateway="Crime and Disorder Act 1998, section 115",
        special_category_condition="DPA 2018 Schedule 1, paragraph 10 (preventing or detecting "
        "unlawful acts)",
        data_categories=["identity", "address", "criminal_offence", "police_intelligence"],
        parties=[gmp, homes], managed_by=homes, start_date=datetime.date(2025, 4, 1),
        review_date=datetime.date(2027, 4, 1), by=ig,
    )  # fmt: skip
    for agency, name, title in (
        (homes, "Sarah Whitfield", "Director of neighbourhoods"),
        (gmp, "Chief Superintendent Alan Brooks", "Stockport district commander"),
    ):
        sharing.add_signatory(
            agreement=agreement, agency=agency, name=name, job_title=title,
            signed_on=datetime.date(2025, 3, 25), by=ig,
        )  # fmt: skip


@transaction.atomic
def load(seed: int = 16) -> int:
    """The groups, members, phones and links; how many groups were loaded."""
    rng = random.Random(seed)
    pc = User.objects.get(email=PC)
    gmp = pc.agency
    homes = User.objects.get(email=EPO).agency
    _concordat(gmp, homes)
    today = dates.today()
    # The cuckooed addresses: Stockport Homes' cases the police were given in full.
    places = [
        case.location
        for case in Case.objects.filter(
            owning_agency=homes, location__isnull=False, disclosures__to_agency=gmp,
            disclosures__level="full", disclosures__revoked_at__isnull=True,
        ).select_related("location").order_by("referral_date", "reference").distinct()
    ]  # fmt: skip
    groups = []
    for n, (name, activities, areas) in enumerate(GROUPS):
        group = services.create_group(name=name, activities=activities, areas=areas, by=pc)
        groups.append(group)
        for m in range(3 + n % 3):
            person = create_person(
                owning_agency=gmp, given_name=GIVEN[(n + m) % len(GIVEN)],
                family_name=f"{FAMILY[(n * 3 + m) % len(FAMILY)]}-{n + 1}{m + 1}",
                date_of_birth=datetime.date(1990 + (n + m) % 15, 1 + m % 12, 1 + n % 28),
                by=pc,
            )  # fmt: skip
            services.add_member(
                ocg=group, person=person, role=ROLES[m % len(ROLES)], by=pc,
                date_from=today - datetime.timedelta(days=400 - 20 * m),
            )  # fmt: skip
            if m == 0:  # the principal's phone
                phone = services.record_object(
                    kind="phone", value=f"07700 900{100 + n * 10 + m:03d}", by=pc
                )
                services.add_link(
                    end_a=f"person:{person.pk}", end_b=phone.entity_id, type="uses_phone",
                    by=pc, date_from=today - datetime.timedelta(days=90),
                    source_reference="GMP intelligence", grading="B2P",
                )  # fmt: skip
        harm, capability, intent = 1 + n % 3, 1 + (n + 1) % 3, 1 + (n + 2) % 3
        services.assess_threat(
            ocg=group, harm=harm, harm_reason="Violence used to take over homes"
            if Activity.CUCKOOING in activities else "Financial and drug-related harm",
            capability=capability, capability_reason="Access to vehicles and several phones",
            intent=intent, intent_reason="Recent intelligence of expansion", by=pc,
        )  # fmt: skip
        services.add_action(
            ocg=group, strand=[FourP.PURSUE, FourP.PREVENT, FourP.PROTECT, FourP.PREPARE][n % 4],
            description="Warrant at the group's premises"
            if n % 4 == 0 else "Diversion work with the young people around the group",
            owner_agency=gmp if n % 2 == 0 else homes, by=pc,
            due_on=today + datetime.timedelta(days=30 + n),
        )  # fmt: skip
    # The county line's phone: seen at the first two cuckooed addresses (the demo's
    # intelligence names it), and used by the Brinnington Line's runner.
    line = services.record_object(kind="phone", value="07700 900461", by=pc)
    for k, place in enumerate(places[:2]):
        services.add_link(
            end_a=line.entity_id, end_b=f"location:{place.pk}", type="seen_at", by=pc,
            date_from=today - datetime.timedelta(days=20 - k * 5),
            source_reference="GMP intelligence", grading="B2P",
        )  # fmt: skip
    if places:
        services.add_premises(ocg=groups[0], location=places[0], why="Cuckooed flat", by=pc)
        services.add_premises(ocg=groups[2], location=places[-1], why="Cuckooed flat", by=pc)
    brinnington_runner = groups[0].members.order_by("date_from").last()
    services.add_link(
        end_a=f"person:{brinnington_runner.person_id}", end_b=line.entity_id,
        type="uses_phone", by=pc, date_from=today - datetime.timedelta(days=30),
        source_reference="GMP intelligence", grading="B2P",
    )  # fmt: skip
    # Another group's phone at a third address: two groups meet there.
    if len(places) > 2:
        other = services.record_object(kind="phone", value=f"07700 900{100 + 20:03d}", by=pc)
        for place in (places[1], places[2]):
            services.add_link(
                end_a=other.entity_id, end_b=f"location:{place.pk}", type="seen_at", by=pc,
                date_from=today - datetime.timedelta(days=rng.randint(5, 40)),
                source_reference="Stockport Homes report", grading="B2P",
            )  # fmt: skip
    seizure = services.record_event(
        kind="seizure", date=today - datetime.timedelta(days=12),
        summary="Two phones, cash and wraps of crack cocaine seized",
        location=places[0] if places else None, by=pc, reference="GMP seizure",
    )  # fmt: skip
    # A burner seized at the first address and seen at the last: no one is known to use it yet
    # (an intelligence gap for the meeting, with the groups, premises and members the network
    # knows too little about).
    if len(places) > 1:
        burner = services.record_object(kind="phone", value="07700 900777", by=pc)
        services.add_link(
            end_a=burner.entity_id, end_b=f"event:{seizure.pk}", type="seized_at", by=pc,
            date_from=seizure.date, source_reference="GMP seizure",
        )  # fmt: skip
        services.add_link(
            end_a=burner.entity_id, end_b=f"location:{places[-1].pk}", type="seen_at", by=pc,
            date_from=today - datetime.timedelta(days=6),
            source_reference="Stockport Homes report", grading="B2P",
        )  # fmt: skip
    # The analyst records the graded intelligence in the network, as on its page.
    analyst = User.objects.filter(email=ANALYST).first()
    if analyst is not None:
        for report in Intelligence.objects.filter(status__in=GRADED_STATUSES).order_by("reference"):
            services.record_intelligence(intelligence=report, by=analyst)
    return len(groups)
