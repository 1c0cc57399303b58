"""Subject access export: everything Safehold holds about a person, as one zip.

`subject_access_data` builds a plain dict; `subject-access.json` is that dict and
`subject-access.pdf` is rendered from the same dict, so the two always match. Copies of the
enforcement documents held against their cases go in `documents/`. The export is audited as a
consultation on the export channel, and the first complete export answers the request.
"""

import datetime
import io
import json
import zipfile
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action, Channel
from safehold.cases.choices import CaseStatus, ExploitationType
from safehold.cases.deadlines import add_months
from safehold.cases.models import Case, ChronologyEntry
from safehold.cases.selectors import cases_visible_to
from safehold.governance import selectors
from safehold.governance.choices import Decision, RecordType
from safehold.governance.models import LegalHold, RetentionDecision, SubjectAccessRequest
from safehold.governance.services import complete_subject_access_request, require_controller
from safehold.people import restrictions
from safehold.people.models import Person
from safehold.sharing import selectors as sharing_selectors
from safehold.sharing.middleware import unrestricted
from safehold.sharing.models import Disclosure

# Every top-level key of the export, in the order the PDF shows them, with its heading.
SECTIONS = {
    "about": "About this export",
    "person": "Personal details",
    "other_names": "Other names",
    "vulnerabilities": "Vulnerabilities",
    "locations": "Addresses",
    "cases": "Cases",
    "referrals": "Referrals",
    "disclosures": "Who their records were shared with",
    "held_elsewhere": "Records about them held by other organisations",
    "sources": "Where the information came from",
    "retention": "How long it is kept",
    "documents": "Documents",
    "withheld": "Information left out of this export",
}
THIRD_PARTY = "another person (not named: third-party information)"


def _display(choices, value) -> str:
    return dict(choices).get(value, value) if value else ""


def _name(user) -> str:
    return user.full_name if user else ""


def _person_fields(person: Person, hidden: set[str]) -> dict:
    """Every field of the Person model (so fields added later are included), bar the hidden."""
    fields = {}
    for field in Person._meta.concrete_fields:
        if field.name in hidden:
            continue
        if field.is_relation:
            value = getattr(person, field.name)
            fields[field.name] = str(value) if value is not None else ""
        elif field.choices:
            fields[field.name] = getattr(person, f"get_{field.name}_display")()
        else:
            fields[field.name] = getattr(person, field.attname)
    return fields


def person_labels() -> dict[str, str]:
    """The PDF's label for each person field (the model's verbose names)."""
    labels = {f.name: str(f.verbose_name).capitalize() for f in Person._meta.concrete_fields}
    labels |= {"id": "Safehold reference", "owning_agency": "Record held by"}
    return labels


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


def _document_path(case: Case, document) -> str:
    return f"documents/{case.reference}/{str(document.pk)[:8]}-{get_valid_filename(document.name) or 'document'}"


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


def _case(case: Case, person: Person, names: dict) -> dict:
    if case.subject_id == person.pk:
        role = "Subject of the case"
    else:
        roles = sorted(
            {link.get_role_display() for link in case.links.all() if link.person_id == person.pk}
        )
        role = f"Linked to the case as {', '.join(roles).lower()}"

    def who(person_id) -> str:
        return "this person" if person_id == person.pk else THIRD_PARTY

    # Case events name the people linked ("… linked as associate"): other people's names are
    # replaced. Free text typed by workers still needs a human check before release.
    others = {names.get(link.person_id, "") for link in case.links.all()}
    others.add(names.get(case.subject_id, ""))
    others.discard(names.get(person.pk, ""))

    def redact(text: str) -> str:
        for name in sorted(filter(None, others), key=len, reverse=True):
            text = text.replace(name, "[another person]")
        return text

    return {
        "reference": case.reference,
        "role": role,
        "held_by": case.owning_agency.name,
        "programme": case.programme.name,
        "referral_date": case.referral_date,
        "exploitation_type": case.get_exploitation_type_display(),
        "other_types": [_display(ExploitationType.choices, t) for t in case.other_types],
        "risk_level": case.get_risk_level_display(),
        "risk_rationale": case.risk_rationale,
        "status": case.get_status_display(),
        "closed_on": case.closed_on,
        "closure_reason": case.get_closure_reason_display() if case.closure_reason else "",
        "closure_notes": case.closure_notes,
        "tenancy_sustained": case.tenancy_sustained,
        "lead_officer": _name(case.lead_officer),
        "address": case.location.one_line if case.location else "",
        "chronology": [
            {
                "occurred_at": e.occurred_at, "kind": e.get_kind_display(), "summary": redact(e.summary),
                "item": e.item, "recorded_by": _name(e.recorded_by),
            }
            for e in case.chronology.all()
        ],
        "people_linked": [
            {
                "person": who(link.person_id), "role": link.get_role_display(),
                "notes": link.notes if link.person_id == person.pk else "",
            }
            for link in case.links.all()
        ],
        "interventions": [
            {
                "type": i.type.name, "agency": i.agency.name, "started_on": i.started_on,
                "ended_on": i.ended_on, "notes": i.notes,
            }
            for i in case.interventions.all()
        ],
        "enforcement": [
            {
                "kind": a.get_kind_display(), "status": a.get_status_display(),
                "agency": a.agency.name, "against": who(a.against_id) if a.against_id else "",
                "started_on": a.started_on, "served_at": a.served_at, "ends_on": a.ends_on,
                "notes": a.notes,
                "documents": [
                    {"name": d.name, "file": _document_path(case, d)} for d in a.documents.all()
                ],
            }
            for a in case.enforcement.all()
        ],
        "tasks": [
            {
                "title": t.title, "due_on": t.due_on, "status": t.get_status_display(),
                "owner": _name(t.owner) or t.owner_agency.name, "completed_at": t.completed_at,
            }
            for t in case.tasks.all()
        ],
        "risk_history": [
            {
                "assessed_at": r.created_at, "level": r.get_level_display(),
                "rationale": r.rationale, "assessed_by": _name(r.assessed_by),
            }
            for r in case.risk_history.all()
        ],
    }  # fmt: skip


def _referral(case: Case) -> dict:
    """What the referrer told us, as they told it; never who a member of the public is."""
    r = case.referral
    return {
        "reference": r.reference or "",
        "became_case": case.reference,
        "status": r.get_status_display(),
        "sent_at": r.submitted_at,
        "from": "A member of the public" if r.anonymous else (
            r.referrer_agency.name if r.referrer_agency else ""
        ),
        "source": r.source.name if r.source else "",
        "named_as": r.subject_name,
        "date_of_birth_given": r.subject_date_of_birth,
        "description": r.subject_description,
        "address_given": ", ".join(
            p for p in (r.address_line_1, r.address_line_2, r.town, r.postcode) if p
        ),
        "signs_seen": [s.name for s in r.signs.all()],
        "what_was_seen": r.what_was_seen,
        "suspected_types": [_display(ExploitationType.choices, t) for t in r.suspected_types],
        "knows_and_consents": r.get_consent_display() if r.consent else "",
        "urgency": r.get_urgency_display() if r.urgency else "",
        "risks_to_staff": r.risks_to_staff,
        "decided_at": r.triaged_at,
        "decision_reason": r.decision_reason,
        "repeat_referral": r.repeat_referral,
    }  # fmt: skip


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
    rules = selectors.policies()
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
    return _build(person=person, by=by, request=request, now=now)[0]


def _build(*, person, by, request, now) -> tuple[dict, list[Case]]:
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
        {"case": case.reference, "name": doc.name, "file": _document_path(case, doc)}
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
        "person": _person_fields(person, hidden),
        "other_names": [{"name": a.name, "recorded_on": a.created_at} for a in person.aliases.all()],
        "vulnerabilities": [v.name for v in person.vulnerabilities.all()],
        "locations": list(locations.values()),
        "cases": [_case(case, person, names) for case in cases],
        "referrals": [_referral(case) for case in cases if case.referral_id],
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


def to_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def report_html(data: dict) -> str:
    rows = [(person_labels().get(k, k), v) for k, v in data["person"].items()]
    return render_to_string(
        "governance/subject_access_report.html",
        {"data": data, "sections": SECTIONS, "person_rows": rows},
    )


def to_pdf(data: dict) -> bytes:
    """The A4 report, rendered offline: no URL of any scheme is fetched."""
    from weasyprint import HTML  # imported here: Pango loads only when a report is made
    from weasyprint.urls import URLFetcher

    return HTML(string=report_html(data), url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


@dataclass(frozen=True)
class SubjectAccessExport:
    content: bytes
    filename: str
    complete: bool  # False when restricted fields were withheld from this user's export


def build_zip(data: dict, cases: list[Case]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", to_json(data))
        archive.writestr("subject-access.pdf", to_pdf(data))
        for case in cases:
            for action in case.enforcement.all():
                for document in action.documents.all():
                    try:
                        with document.file.open("rb") as f:
                            archive.writestr(_document_path(case, document), f.read())
                    except (FileNotFoundError, ValueError):
                        archive.writestr(
                            _document_path(case, document) + ".missing.txt",
                            "This document's file could not be found on the server.\n",
                        )
    return buffer.getvalue()


@transaction.atomic
def export_subject_access(*, request: SubjectAccessRequest, by: User) -> SubjectAccessExport:
    """The subject access zip for a request, audited (consult, export channel); the first
    complete export marks the request answered."""
    person = request.person
    require_controller(by, person.owning_agency_id)
    data, cases = _build(person=person, by=by, request=request, now=None)
    content = build_zip(data, cases)
    audit.record(
        action=Action.CONSULT,
        actor=by,
        target=person,
        object_ids=[request.pk, *(c.pk for c in cases)],
        subjects=[person],
        purpose="subject access export",
        channel=Channel.EXPORT,
    )
    complete = not data["withheld"]
    if complete:
        complete_subject_access_request(request=request, by=by)
    stamp = timezone.localdate().isoformat()
    return SubjectAccessExport(content, f"subject-access-{person.pk}-{stamp}.zip", complete)
