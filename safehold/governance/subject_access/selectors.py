"""What Safehold holds about a person, for a subject access export: read through the gates.

The controller's own cases about the person come from `cases_visible_to`; cases other agencies
hold are named (from the live disclosures to the controller) but never copied; restricted
fields the exporting user may not see are named as withheld, not given. The result is one plain
dict (`subject_access_data`), written out by `formats` and answered by `services`.
"""

import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from safehold.accounts.models import User
from safehold.cases.choices import CaseStatus
from safehold.cases.deadlines import add_months
from safehold.cases.models import Case, ChronologyEntry
from safehold.cases.selectors import cases_visible_to
from safehold.governance import selectors as governance_selectors
from safehold.governance.choices import Decision, RecordType
from safehold.governance.models import LegalHold, RetentionDecision, SubjectAccessRequest
from safehold.governance.subject_access.records import (
    case_record,
    document_path,
    person_fields,
    person_labels,
    referral_record,
)
from safehold.people import restrictions
from safehold.people.models import Person
from safehold.sharing import selectors as sharing_selectors
from safehold.sharing.middleware import unrestricted
from safehold.sharing.models import Disclosure


def _cases_of(person: Person, by: User) -> list[Case]:
    """The controller's own cases about the person, through the read gate: a case another
    agency holds is theirs to disclose (it is named in `held_elsewhere`, never copied)."""
    return list(
        cases_visible_to(by)
        .filter(Q(subject=person) | Q(links__person=person), owning_agency=by.agency_id)
        .distinct()
        .select_related(
            "owning_agency", "programme", "referral", "referral__referrer_agency",
            "referral__source", "referral_source", "location", "location__ward", "lead_officer",
            "subject",
        )
        .prefetch_related(
            Prefetch("chronology", queryset=ChronologyEntry.objects.select_related("recorded_by")),
            "links", "interventions__type", "interventions__agency", "enforcement__agency",
            "enforcement__documents", "tasks__owner", "tasks__owner_agency",
            "risk_history__assessed_by", "referral__signs",
        )
        .order_by("referral_date", "reference")
    )  # fmt: skip


def _linked_names(cases: list[Case]) -> dict:
    """The names of everyone on these cases, to take them out of the case's events.

    Read as the system (row-level security lifted): a person another agency shared and then
    stopped sharing is hidden from the controller, but their name may still be in the events
    written when they were linked, and must be removed. The names are never exported."""
    ids = {link.person_id for case in cases for link in case.links.all()}
    ids |= {case.subject_id for case in cases}
    with unrestricted():
        people = Person.objects.filter(pk__in=ids).only("given_name", "family_name")
        return {p.pk: p.full_name for p in people}


def _disclosure_status(d: Disclosure, today: datetime.date) -> str:
    if d.revoked_at:
        return "Sharing stopped"
    if d.expires_on and d.expires_on < today:
        return "Expired"
    if not d.agreement.is_live(today):
        return "Agreement no longer in force"
    return "Shared now"


def _disclosures(person: Person, cases: list[Case], today: datetime.date) -> list[dict]:
    """Every disclosure of their records, live or not: of the person, of their cases, and of
    cases they are linked to (from the disclosure log)."""
    references = {c.pk: c.reference for c in cases}
    linked = [c.pk for c in cases if c.subject_id != person.pk]
    disclosures = (
        sharing_selectors.disclosures_of(person=person) | Disclosure.objects.filter(case__in=linked)
    ).filter(from_agency=person.owning_agency_id)
    disclosures = disclosures.select_related("to_agency", "agreement", "disclosed_by", "revoked_by")
    return [
        {
            "record": f"Case {references.get(d.case_id, '')}" if d.case_id else "Person record",
            "shared_by": d.from_agency.name,
            "shared_with": d.to_agency.name,
            "level": d.get_level_display(),
            "agreement": d.agreement.title,
            "legal_gateway": d.agreement.legal_gateway,
            "lawful_basis": d.agreement.lawful_basis,
            "purpose": d.purpose,
            "shared_on": d.created_at,
            "expires_on": d.expires_on,
            "stopped_on": d.revoked_at,
            "status": _disclosure_status(d, today),
        }
        for d in disclosures.select_related("from_agency").order_by("created_at")
    ]


def _held_elsewhere(person: Person, by: User) -> list[dict]:
    """Cases about the person that other agencies hold and have shared with the controller (in
    full or by name only): named with whom to ask, never copied. A case not shared with the
    controller does not exist for it, so it is not hinted at either."""
    known = (
        sharing_selectors.live_disclosures_to(by.agency_id, level=None)
        .filter(Q(case__subject=person) | Q(case__links__person=person))
        .exclude(from_agency=by.agency_id)
        .select_related("from_agency", "case__lead_officer", "disclosed_by")
        .order_by("from_agency__name", "created_at")
    )
    held: dict = {}
    for disclosure in known:
        contact = disclosure.case.lead_officer or disclosure.disclosed_by
        held.setdefault(
            disclosure.case_id,
            {
                "held_by": disclosure.from_agency.name,
                "record": "A case",
                "ask": f"{contact.full_name}, {disclosure.from_agency.name} ({contact.email})"
                if contact
                else disclosure.from_agency.name,
            },
        )
    return list(held.values())


def _last_change(person: Person) -> datetime.date:
    """The last change to the person's details or other names (aliases are prefetched)."""
    changes = [person.modified_at, *(a.modified_at for a in person.aliases.all())]
    return timezone.localdate(max(changes))


def _retention(person: Person, cases: list[Case], today: datetime.date) -> dict:
    rules = governance_selectors.policies()
    case_ids = [c.pk for c in cases]
    holds = LegalHold.objects.active().filter(Q(person=person) | Q(case__in=case_ids))
    held_cases = {h.case_id for h in holds if h.case_id}
    person_held = any(h.person_id == person.pk for h in holds)
    retained = {
        d.record_id: d.next_review_on
        for d in RetentionDecision.objects.filter(
            record_id__in=[person.pk, *case_ids], decision=Decision.RETAIN, next_review_on__gt=today
        )
    }
    records = []
    for case in cases:
        policy = rules[RecordType.CASE]
        records.append(
            {
                "record": f"Case {case.reference}"
                + (f" (and referral {case.referral.reference})" if case.referral_id else ""),
                "rule": f"Kept {policy.period_label} from {policy.starts_from}",
                "review_due_on": add_months(case.closed_on, policy.period_months)
                if case.status == CaseStatus.CLOSED and case.closed_on
                else None,
                "retained_until_review_on": retained.get(case.pk),
                "legal_hold": case.pk in held_cases or person_held,
            }
        )
    policy = rules[RecordType.PERSON]
    subject_of_a_case = any(c.subject_id == person.pk for c in cases)
    records.append(
        {
            "record": "Person record",
            "rule": "Kept while any case they are on is kept"
            if cases
            else f"Kept {policy.period_label} from {policy.starts_from}",
            "review_due_on": None
            if cases
            else add_months(_last_change(person), policy.period_months),
            "retained_until_review_on": retained.get(person.pk),
            "legal_hold": person_held,
        }
    )
    return {
        "records": records,
        "note": (
            "Records past their retention period are reviewed: kept with a reason until a next "
            "review, or erased. A legal hold stops erasure while it is in place. Safehold's "
            "audit log of who looked at or changed these records is kept; it names records by "
            "reference number only and holds none of the information above."
            + (" They are the subject of a case, so their record is kept with it." if subject_of_a_case else "")
        ),
    }  # fmt: skip


def _sources(person: Person, cases: list[Case]) -> list[dict]:
    sources = [
        {
            "record": "Person record",
            "held_by": person.owning_agency.name,
            "came_from": f"Recorded by {person.owning_agency.name}",
        }
    ]
    for case in cases:
        referral = case.referral
        came_from = (case.referral_source.name if case.referral_source else "") or (
            referral.source.name if referral and referral.source else ""
        )
        if referral and not referral.anonymous and referral.referrer_agency:
            by = referral.referrer_agency.name
            came_from = f"{came_from} (referred by {by})" if came_from else f"Referred by {by}"
        sources.append(
            {
                "record": f"Case {case.reference}",
                "held_by": case.owning_agency.name,
                "came_from": came_from
                or ("A member of the public" if referral else "Not recorded"),
            }
        )
    return sources


def subject_access_data(
    *,
    person: Person,
    by: User,
    request: SubjectAccessRequest | None = None,
    now: datetime.datetime | None = None,
) -> dict:
    """All the data held about a person, as a plain dict (the JSON and the PDF both come from
    it). Restricted fields the exporting user may not see are named in `withheld`, not given."""
    return held_about(person=person, by=by, request=request, now=now)[0]


def held_about(
    *,
    person: Person,
    by: User,
    request: SubjectAccessRequest | None = None,
    now: datetime.datetime | None = None,
) -> tuple[dict, list[Case]]:
    """The data (as `subject_access_data`) and the controller's cases it came from, whose
    documents go in the zip."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    person = (
        Person.objects.select_related("owning_agency")
        .prefetch_related("aliases", "vulnerabilities")
        .get(pk=person.pk)
    )
    hidden = restrictions.hidden_fields(by, person)
    cases = _cases_of(person, by)
    names = _linked_names(cases)
    locations: dict = {}
    for case in cases:
        if case.location_id:
            entry = locations.setdefault(
                case.location_id,
                {
                    "address": case.location.one_line,
                    "uprn": case.location.uprn,
                    "ward": case.location.ward.name if case.location.ward_id else "",
                    "tenure": case.location.get_tenure_display(),
                    "landlord": case.location.landlord,
                    "linked_through": [],
                },
            )
            entry["linked_through"].append(f"Case {case.reference}")
    documents = [
        {"case": case.reference, "name": doc.name, "file": document_path(case, doc)}
        for case in cases
        for action in case.enforcement.all()
        for doc in action.documents.all()
    ]
    data = {
        "about": {
            "generated_at": now,
            "controller": person.owning_agency.name,
            "request_received_on": request.received_on if request else None,
            "request_due_on": request.due_on if request else None,
            "requested_by": request.requested_by if request else "",
            "third_party_information": (
                "Other people linked to these cases are not named. Check free text (chronology, "
                "notes) for information about other people before release."
            ),
        },
        "person": person_fields(person, hidden),
        "other_names": [{"name": a.name, "recorded_on": a.created_at} for a in person.aliases.all()],
        "vulnerabilities": [v.name for v in person.vulnerabilities.all()],
        "locations": list(locations.values()),
        "cases": [case_record(case, person, names) for case in cases],
        "referrals": [referral_record(case) for case in cases if case.referral_id],
        "disclosures": _disclosures(person, cases, today),
        "held_elsewhere": _held_elsewhere(person, by),
        "sources": _sources(person, cases),
        "retention": _retention(person, cases, today),
        "documents": documents,
        "withheld": [
            {
                "field": person_labels().get(name, name),
                "why": "Restricted: only an information governance officer of "
                f"{person.owning_agency.name} can export it",
            }
            for name in sorted(hidden)
            if getattr(person, name, "")
        ],
    }  # fmt: skip
    return data, cases
