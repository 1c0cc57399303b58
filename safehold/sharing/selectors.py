"""What has been shared with an agency, and the "who else is working with this person" search."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from safehold.accounts import rules as account_rules
from safehold.core import dates
from safehold.core.visibility import InSubquery
from safehold.sharing.choices import (
    DATA_CATEGORIES,
    STATISTICS_CATEGORIES,
    AgreementStatus,
    DisclosureLevel,
)
from safehold.sharing.models import (
    AccessRequest,
    Disclosure,
    InformationSharingAgreement,
    live_agreement_q,
)


def live_disclosures_to(
    agency_id, *, level: str | None = DisclosureLevel.FULL, today: datetime.date | None = None
):
    disclosures = Disclosure.objects.live(today).filter(to_agency=agency_id)
    return disclosures.filter(level=level) if level else disclosures


def shared_case_ids(agency_id):
    """Cases disclosed in full to the agency, live now (a subquery for the read gates)."""
    return live_disclosures_to(agency_id).filter(case__isnull=False).values("case_id")


def shared_people_q(agency_id) -> Q:
    """People disclosed in full to the agency, directly or as the subject of a disclosed case."""
    live = live_disclosures_to(agency_id)
    return Q(InSubquery("pk", live.filter(person__isnull=False).values("person_id"))) | Q(
        InSubquery("pk", live.filter(case__isnull=False).values("case__subject_id"))
    )


def shared_location_ids(agency_id):
    return (
        live_disclosures_to(agency_id)
        .filter(case__location__isnull=False)
        .values("case__location_id")
    )


def agreements_visible_to(user) -> QuerySet[InformationSharingAgreement]:
    """Agreements the user's agency is a party to."""
    return InformationSharingAgreement.objects.filter(parties=user.agency_id).distinct()


def live_agreements_between(agency_a, agency_b, today: datetime.date | None = None):
    today = today or dates.today()
    return (
        InformationSharingAgreement.objects.filter(live_agreement_q(today))
        .filter(parties=agency_a)
        .filter(parties=agency_b)
        .order_by("title")
    )


def agreement_covers_statistics(agency_a, agency_b, today: datetime.date | None = None) -> bool:
    """Whether a live agreement between the two agencies covers counts of casework (one of
    `STATISTICS_CATEGORIES`): what lets a partner see another agency's casework in aggregate."""
    return any(
        set(STATISTICS_CATEGORIES) & set(agreement.data_categories)
        for agreement in live_agreements_between(agency_a, agency_b, today)
    )


def live_agreements_of(agency, today: datetime.date | None = None):
    """Live agreements an agency is party to: what it may share under."""
    today = today or dates.today()
    return (
        InformationSharingAgreement.objects.filter(live_agreement_q(today), parties=agency)
        .distinct()
        .order_by("title")
    )


def disclosures_of(*, case=None, person=None) -> QuerySet[Disclosure]:
    """Every disclosure of a record, live or not (the owner's view of who it is shared with)."""
    scope = Q(case=case) if case is not None else Q(person=person) | Q(case__subject=person)
    return Disclosure.objects.filter(scope).select_related(
        "to_agency", "agreement", "disclosed_by", "revoked_by"
    )


def access_requests_to(user) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(owning_agency=user.agency_id).select_related(
        "requested_by", "requesting_agency", "case", "case__subject", "person"
    )


def access_requests_by(user) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(requesting_agency=user.agency_id).select_related(
        "owning_agency", "case", "person"
    )


@dataclass(frozen=True)
class WhoElse:
    """One finding of the cross-agency search: that a record exists and whom to contact."""

    name: str
    record_type: str  # "case" or "person"
    record_id: object
    owning_agency: str
    agencies_involved: tuple[str, ...]
    contact: str
    level: str
    reference: str = ""
    subject_id: object = None  # for the audit trail of the search, never shown


def _agencies_involved(disclosure) -> tuple[str, ...]:
    """The holder, and for a case the agencies delivering its interventions and enforcement."""
    names = {disclosure.from_agency.name}
    if disclosure.case_id:
        names |= {i.agency.name for i in disclosure.case.interventions.all() if i.agency_id}
        names |= {e.agency.name for e in disclosure.case.enforcement.all() if e.agency_id}
    return (disclosure.from_agency.name, *sorted(names - {disclosure.from_agency.name}))


def who_else(user, *, query: str) -> list[WhoElse]:
    """Records of other agencies shared with the user's agency (at any level) whose subject's
    name matches. For name-only shares this reveals the name, the agencies and a contact only."""
    words = [w for w in query.split() if w]
    if not words:
        return []
    disclosures = (
        live_disclosures_to(user.agency_id, level=None)
        .select_related(
            "from_agency", "case", "case__subject", "case__lead_officer", "person", "disclosed_by"
        )
        .prefetch_related("case__interventions__agency", "case__enforcement__agency")
        .order_by("created_at")
    )
    for word in words:
        disclosures = disclosures.filter(
            Q(person__given_name__icontains=word) | Q(person__family_name__icontains=word)
            | Q(case__subject__given_name__icontains=word) | Q(case__subject__family_name__icontains=word)
        )  # fmt: skip
    seen: dict[object, WhoElse] = {}
    for d in disclosures:
        key = d.case_id or d.person_id
        if key in seen and seen[key].level == DisclosureLevel.FULL:
            continue  # a full share of the same record already says everything
        person = d.case.subject if d.case_id else d.person
        contact_user = (d.case.lead_officer if d.case_id else None) or d.disclosed_by
        seen[key] = WhoElse(
            name=person.full_name,
            record_type="case" if d.case_id else "person",
            record_id=key,
            owning_agency=d.from_agency.name,
            agencies_involved=_agencies_involved(d),
            contact=f"{contact_user.full_name}, {d.from_agency.name} ({contact_user.email})"
            if contact_user
            else d.from_agency.name,
            level=d.level,
            reference=d.case.reference if d.case_id and d.level == DisclosureLevel.FULL else "",
            subject_id=person.pk,
        )
    return list(seen.values())


def disclosures_visible_to(user) -> QuerySet[Disclosure]:
    """Disclosures the user's agency has made: only the sharer manages (and sees) them."""
    if not account_rules.can_browse_people(user):
        return Disclosure.objects.none()
    return Disclosure.objects.filter(from_agency=user.agency_id)


def _newest_per_agency(disclosures: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    """One line per agency and record: a share renewed or changed replaces the earlier one."""
    newer = Disclosure.objects.filter(
        Q(case_id=OuterRef("case_id"), case__isnull=False)
        | Q(person_id=OuterRef("person_id"), person__isnull=False),
        to_agency=OuterRef("to_agency"),
        created_at__gt=OuterRef("created_at"),
    )
    return disclosures.exclude(Exists(newer))


def shared_with(user, *, case=None, person=None) -> QuerySet[Disclosure]:
    """What a record's page shows about sharing: every agency it is shared with (the newest share
    to each) to its holder, and to anyone else only the live disclosures to their own agency
    (never who else it went to)."""
    record = case if case is not None else person
    disclosures = _newest_per_agency(disclosures_of(case=case, person=person))
    if record.owning_agency_id == user.agency_id:
        return disclosures.filter(from_agency=user.agency_id)
    return disclosures.filter(pk__in=live_disclosures_to(user.agency_id, level=None).values("pk"))


def disclosed_record(user, *, case_id=None, person_id=None):
    """The live disclosure (any level) that lets the user's agency know of a record, or None:
    what the "request access" page may name."""
    disclosures = live_disclosures_to(user.agency_id, level=None).select_related(
        "from_agency", "case", "case__subject", "person"
    )
    found = (
        disclosures.filter(case=case_id)
        if case_id is not None
        else disclosures.filter(person=person_id)
    )
    return found.order_by("created_at").first()


RETENTION_NOTE = "See retention schedule"


@dataclass(frozen=True)
class ProcessingActivity:
    """One row of the record of processing (UK GDPR Art 30, DPA 2018 s.61): one agreement."""

    agreement: InformationSharingAgreement
    title: str
    purposes: str
    data_categories: tuple[str, ...]
    recipients: tuple[str, ...]
    lawful_basis: str
    legal_gateway: str
    special_category_condition: str
    retention: str
    start_date: datetime.date
    review_date: datetime.date
    end_date: datetime.date | None
    status: str
    status_label: str


def record_of_processing(agency, today: datetime.date | None = None) -> list[ProcessingActivity]:
    """The processing activities of one controller (agency): each agreement it is party to,
    whatever its status, with the other parties as the categories of recipients."""
    labels = dict(DATA_CATEGORIES)
    agreements = (
        InformationSharingAgreement.objects.filter(parties=agency.pk)
        .prefetch_related("parties")
        .order_by("title", "start_date")
    )
    rows = []
    for a in agreements:
        status = a.status_on(today)
        row = ProcessingActivity(
            agreement=a, title=a.title, purposes=a.purpose,
            data_categories=tuple(labels.get(c, c) for c in a.data_categories),
            recipients=tuple(p.name for p in a.parties.all() if p.pk != agency.pk),
            lawful_basis=a.lawful_basis, legal_gateway=a.legal_gateway,
            special_category_condition=a.special_category_condition, retention=RETENTION_NOTE,
            start_date=a.start_date, review_date=a.review_date, end_date=a.end_date,
            status=status, status_label=AgreementStatus(status).label,
        )  # fmt: skip
        rows.append(row)
    return rows
