"""What has been shared with an agency, and the "who else is working with this person" search."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from safehold.sharing.choices import DisclosureLevel
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
    return Q(pk__in=live.filter(person__isnull=False).values("person_id")) | Q(
        pk__in=live.filter(case__isnull=False).values("case__subject_id")
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
    today = today or datetime.date.today()
    return (
        InformationSharingAgreement.objects.filter(live_agreement_q(today))
        .filter(parties=agency_a)
        .filter(parties=agency_b)
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


def who_else(user, *, query: str) -> list[WhoElse]:
    """Records of other agencies shared with the user's agency (at any level) whose subject's
    name matches. For name-only shares this reveals the name, the agencies and a contact only."""
    words = [w for w in query.split() if w]
    if not words:
        return []
    found = []
    disclosures = (
        live_disclosures_to(user.agency_id, level=None)
        .select_related(
            "from_agency", "case", "case__subject", "case__lead_officer", "person", "disclosed_by"
        )
        .order_by("created_at")
    )
    for word in words:
        disclosures = disclosures.filter(
            Q(person__given_name__icontains=word) | Q(person__family_name__icontains=word)
            | Q(case__subject__given_name__icontains=word) | Q(case__subject__family_name__icontains=word)
        )  # fmt: skip
    seen = {}
    for d in disclosures:
        key = d.case_id or d.person_id
        person = d.case.subject if d.case_id else d.person
        contact_user = (d.case.lead_officer if d.case_id else None) or d.disclosed_by
        entry = WhoElse(
            name=person.full_name,
            record_type="case" if d.case_id else "person",
            record_id=key,
            owning_agency=d.from_agency.name,
            agencies_involved=tuple(sorted({d.from_agency.name})),
            contact=f"{contact_user.full_name}, {d.from_agency.name} ({contact_user.email})"
            if contact_user
            else d.from_agency.name,
            level=DisclosureLevel.FULL
            if (key in seen and seen[key].level == DisclosureLevel.FULL)
            else d.level,
            reference=d.case.reference if d.case_id and d.level == DisclosureLevel.FULL else "",
        )
        if key not in seen or entry.level == DisclosureLevel.FULL:
            seen[key] = entry
    found = list(seen.values())
    return found
