"""The indicators read from Safehold's own records (people, cases, the network), and the homes
of Safehold's people, as Arrow tables for the engine's DuckDB connection.

These read past the read gates on purpose, as linkage's run does: scoring is the partnership's
processing; what a person then sees of each piece of evidence goes through that record's own
gate (safehold.risk.selectors). Each query is one per indicator, whatever the number of rows."""

import datetime
import uuid

import pyarrow as pa
from django.db.models import OuterRef, Q, Subquery

from safehold.cases.choices import ClosureReason, ExploitationType
from safehold.cases.models import Case
from safehold.linkage.models import SAFEHOLD
from safehold.networks.choices import EndKind, LinkType
from safehold.networks.models import NetworkLink, OCGMember
from safehold.people.models import Person
from safehold.risk.engine.evidence import EVIDENCE, HOMES, evidence_table
from safehold.risk.indicators import BY_CODE

NEW_LINK_TYPES = (LinkType.ASSOCIATE_OF, LinkType.VISITED, LinkType.LINKED_TO)


def key_of(person_id) -> str:
    return f"{SAFEHOLD}/{person_id}"


def vulnerability_evidence(as_of: datetime.date, codes: list[str]) -> pa.Table:
    """One row per person and flag among `codes` (indicator codes), for people recorded on or
    before `as_of` (a flag keeps no date of its own: the person's record's date stands for it)."""
    wanted = {BY_CODE[c].vulnerability: c for c in codes}
    through = Person.vulnerabilities.through
    rows = []
    for person_id, vulnerability, agency_id, created_at in through.objects.filter(
        vulnerability_id__in=list(wanted), person__created_at__date__lte=as_of
    ).values_list(
        "person_id", "vulnerability_id", "person__owning_agency_id", "person__created_at"
    ):
        code = wanted[vulnerability]
        rows.append(
            {
                "subject_key": key_of(person_id),
                "code": code,
                "agency_id": str(agency_id),
                "record_key": key_of(person_id),
                "holder": "person",
                "holder_id": str(person_id),
                "date": created_at.date(),
                "what": f"{BY_CODE[code].name} recorded on the person",
            }
        )
    return evidence_table(rows)


def closed_without_engagement(as_of: datetime.date, days: int) -> pa.Table:
    since = as_of - datetime.timedelta(days=days)
    rows = [
        {
            "subject_key": key_of(subject),
            "code": "closed_without_engagement",
            "agency_id": str(agency),
            "record_key": f"case/{reference}",
            "holder": "case",
            "holder_id": str(pk),
            "date": closed_on,
            "what": f"Case {reference} closed: the person refused to engage",
        }
        for pk, subject, agency, reference, closed_on in Case.objects.filter(
            closure_reason=ClosureReason.NO_ENGAGEMENT, closed_on__gt=since, closed_on__lte=as_of
        ).values_list("pk", "subject_id", "owning_agency_id", "reference", "closed_on")
    ]
    return evidence_table(rows)


def _dated_links(as_of: datetime.date):
    return NetworkLink.objects.filter(Q(date_from__isnull=True) | Q(date_from__lte=as_of))


def new_associates(as_of: datetime.date, days: int) -> pa.Table:
    """Links from a person (or to a person's home, which the engine maps to who lives there)
    dated within the window: `subject_key` is a person's key or `location/<id>`."""
    since = as_of - datetime.timedelta(days=days)
    rows = []
    for pk, a_kind, a_id, b_kind, b_id, link_type, dated, agency in NetworkLink.objects.filter(
        type__in=NEW_LINK_TYPES, date_from__gt=since, date_from__lte=as_of
    ).values_list(
        "pk", "end_a_kind", "end_a_id", "end_b_kind", "end_b_id", "type", "date_from",
        "owning_agency_id",
    ):  # fmt: skip
        label = LinkType(link_type).label.lower()
        for kind, end, other in ((a_kind, a_id, b_kind), (b_kind, b_id, a_kind)):
            if kind == EndKind.PERSON:
                subject, what = (
                    key_of(end),
                    f"A new link recorded: {label} a {EndKind(other).label.lower()}",
                )
            elif kind == EndKind.LOCATION and other == EndKind.PERSON:
                subject, what = (
                    f"location/{end}",
                    f"A visitor or associate recorded at the home ({label})",
                )
            else:
                continue
            rows.append(
                {
                    "subject_key": subject,
                    "code": "new_associates",
                    "agency_id": str(agency),
                    "record_key": f"link/{pk}",
                    "holder": "link",
                    "holder_id": str(pk),
                    "date": dated,
                    "what": what,
                }
            )
    return evidence_table(rows)


def ocg_links(as_of: datetime.date) -> pa.Table:
    """People linked in the network to a member of an organised crime group (a membership and a
    link that began on or before `as_of`, if dated)."""
    members = set(
        OCGMember.objects.filter(Q(date_from__isnull=True) | Q(date_from__lte=as_of))
        .filter(Q(date_to__isnull=True) | Q(date_to__gte=as_of))
        .values_list("person_id", flat=True)
    )
    if not members:
        return evidence_table([])
    rows = []
    links = _dated_links(as_of).filter(end_a_kind=EndKind.PERSON, end_b_kind=EndKind.PERSON)
    links = links.filter(Q(end_a_id__in=members) | Q(end_b_id__in=members))
    for pk, a_id, b_id, dated, agency in links.values_list(
        "pk", "end_a_id", "end_b_id", "date_from", "owning_agency_id"
    ):
        for end, other in ((a_id, b_id), (b_id, a_id)):
            if other in members:
                rows.append(
                    {
                        "subject_key": key_of(end),
                        "code": "ocg_or_cuckooing_link",
                        "agency_id": str(agency),
                        "record_key": f"link/{pk}",
                        "holder": "link",
                        "holder_id": str(pk),
                        "date": dated,
                        "what": "Linked in the network to a member of an organised crime group",
                    }
                )
    return evidence_table(rows)


def cuckooing_premises(as_of: datetime.date) -> pa.Table:
    """The places (and UPRNs) of cuckooing cases referred on or before `as_of`, with each
    case's agency and reference: the engine matches them to homes by place or UPRN."""
    rows = [
        {
            "location_id": str(location),
            "uprn": uprn or None,
            "agency_id": str(agency),
            "record_key": f"case/{reference}",
            "holder_id": str(pk),
            "date": referred,
        }
        for pk, location, uprn, agency, reference, referred in Case.objects.filter(
            exploitation_type=ExploitationType.CUCKOOING,
            referral_date__lte=as_of,
            location__isnull=False,
        ).values_list(
            "pk", "location_id", "location__uprn", "owning_agency_id", "reference", "referral_date"
        )
    ]
    schema = pa.schema(
        [
            ("location_id", pa.string()),
            ("uprn", pa.string()),
            ("agency_id", pa.string()),
            ("record_key", pa.string()),
            ("holder_id", pa.string()),
            ("date", pa.date32()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def safehold_homes(as_of: datetime.date) -> pa.Table:
    """Each Safehold person's home: the place of their latest case referred on or before
    `as_of` (its postcode, UPRN and ward)."""
    latest = Case.objects.filter(
        subject=OuterRef("pk"), referral_date__lte=as_of, location__isnull=False
    ).order_by("-referral_date", "-created_at")
    rows = [
        {
            "key": key_of(pk),
            "postcode": postcode or None,
            "uprn": uprn or None,
            "location_id": str(uuid.UUID(str(location))) if location else None,
            "ward": ward,
        }
        for pk, location, postcode, uprn, ward in Person.objects.annotate(
            home=Subquery(latest.values("location_id")[:1]),
            home_postcode=Subquery(latest.values("location__postcode")[:1]),
            home_uprn=Subquery(latest.values("location__uprn")[:1]),
            home_ward=Subquery(latest.values("location__ward_id")[:1]),
        )
        .filter(home__isnull=False)
        .values_list("pk", "home", "home_postcode", "home_uprn", "home_ward")
    ]
    return pa.Table.from_pylist(rows, schema=HOMES)


__all__ = [
    "EVIDENCE",
    "closed_without_engagement",
    "cuckooing_premises",
    "new_associates",
    "ocg_links",
    "safehold_homes",
    "vulnerability_evidence",
]
