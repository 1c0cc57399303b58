"""How each record held about a person is written in the subject access export: a plain
dict of plain values (the JSON is that dict, the PDF renders it). Other people on a case are
never named in it: they are "another person", and their names are taken out of case events.
"""

from django.utils.text import get_valid_filename

from safehold.cases.choices import ExploitationType
from safehold.cases.models import Case
from safehold.people.models import Person

THIRD_PARTY = "another person (not named: third-party information)"


def _display(choices, value) -> str:
    return dict(choices).get(value, value) if value else ""


def _name(user) -> str:
    return user.full_name if user else ""


def person_fields(person: Person, hidden: set[str]) -> dict:
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


def document_path(case: Case, document) -> str:
    return f"documents/{case.reference}/{str(document.pk)[:8]}-{get_valid_filename(document.name) or 'document'}"


def case_record(case: Case, person: Person, names: dict) -> dict:
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
                    {"name": d.name, "file": document_path(case, d)} for d in a.documents.all()
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


def referral_record(case: Case) -> dict:
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
