"""What an erasure would remove and what stops it: for the confirmation page, and checked
again by the erasure itself (`services.py`)."""

from django.db import router
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone

from safehold.cases.choices import CaseStatus, ReferralStatus
from safehold.cases.models import Case, CaseLink, EnforcementAction, Referral
from safehold.governance.choices import RecordType
from safehold.governance.models import SubjectAccessRequest
from safehold.governance.selectors import holds_on_case, holds_on_person
from safehold.people.models import Person
from safehold.sharing.middleware import unrestricted

# What the erasure log calls the rows of each model (anything else: its plural name).
COUNT_KEYS = {
    "cases.Case": "cases",
    "cases.ChronologyEntry": "chronology_entries",
    "cases.CaseLink": "case_links",
    "cases.Intervention": "interventions",
    "cases.EnforcementAction": "enforcement_actions",
    "cases.EnforcementDocument": "documents",
    "cases.Task": "tasks",
    "cases.RiskAssessment": "risk_assessments",
    "cases.AsbHandover": "asb_handovers",
    "cases.Referral": "referrals",
    "cases.Referral_signs": "referral_signs",
    "people.Person": "people",
    "people.PersonAlias": "aliases",
    "people.Person_vulnerabilities": "vulnerabilities",
    "people.Location": "locations",
    "sharing.Disclosure": "disclosures",
    "sharing.AccessRequest": "access_requests",
    "governance.LegalHold": "legal_holds",
    "governance.SubjectAccessRequest": "subject_access_requests",
}


def count_key(model) -> str:
    label = model._meta.label
    return COUNT_KEYS.get(label) or str(model._meta.verbose_name_plural).lower().replace(" ", "_")


def _hold_message(hold, noun: str) -> str:
    return (
        f"{noun} is under a legal hold placed on {timezone.localdate(hold.placed_at):%-d %B %Y}: "
        "lift the hold before erasing"
    )


def _open_requests_message(person_ids) -> list[str]:
    open_requests = SubjectAccessRequest.objects.filter(
        person__in=person_ids, completed_at__isnull=True
    ).order_by("due_on")
    return [
        f"A subject access request about a person on this record is still open (due "
        f"{r.due_on:%-d %B %Y}): answer it before erasing (erasing data to avoid disclosing it "
        "is an offence under the Data Protection Act 2018, section 173)"
        for r in open_requests[:1]
    ]


# The blockers look at every agency's rows (a hold or an open request elsewhere still stops an
# erasure) with row-level security lifted, and name only what the erasing agency holds.
@unrestricted()
def case_erasure_blockers(case: Case) -> list[str]:
    """Why the case cannot be erased now, in words for the confirmation page (empty: it can)."""
    reasons = []
    if case.status != CaseStatus.CLOSED:
        reasons.append(f"Case {case.reference} is open: close it before erasing it")
    for hold in holds_on_case(case):
        if hold.case_id:
            noun = f"Case {case.reference}"
        elif hold.person_id == case.subject_id:
            noun = f"The subject of case {case.reference}"
        else:
            noun = f"A person linked to case {case.reference}"
        reasons.append(_hold_message(hold, noun))
    linked = CaseLink.objects.filter(case=case).values("person_id")
    reasons += _open_requests_message(
        Person.objects.filter(Q(pk=case.subject_id) | Q(pk__in=linked))
    )
    return reasons


def own_cases(agency_id):
    return Case.objects.filter(owning_agency=agency_id).values("pk")


@unrestricted()
def person_erasure_blockers(person: Person) -> list[str]:
    reasons = []
    # Links and enforcement are counted from their own tables: another agency's cases may be
    # invisible to this request (row-level security), but what refers to the person is not.
    own = own_cases(person.owning_agency_id)
    elsewhere = {
        *Case.objects.filter(subject=person)
        .exclude(owning_agency=person.owning_agency_id)
        .values_list("pk", flat=True),
        *CaseLink.objects.filter(person=person)
        .exclude(case__in=own)
        .values_list("case_id", flat=True),
        *EnforcementAction.objects.filter(against=person)
        .exclude(case__in=own)
        .values_list("case_id", flat=True),
    }
    if elsewhere:
        reasons.append(
            f"{person.full_name} is on {len(elsewhere)} case{'s' if len(elsewhere) != 1 else ''} "
            "held by another organisation: ask them to erase or unlink them first"
        )
    cases = Case.objects.filter(subject=person, owning_agency=person.owning_agency_id)
    for case in cases.exclude(status=CaseStatus.CLOSED).order_by("reference"):
        reasons.append(f"Case {case.reference} is open: close it before erasing this person")
    for hold in holds_on_person(person):
        if hold.case and hold.case.owning_agency_id != person.owning_agency_id:
            noun = "A case held by another organisation"
        else:
            noun = f"Case {hold.case.reference}" if hold.case else person.full_name
        reasons.append(_hold_message(hold, noun))
    subject_cases = Case.objects.filter(subject=person)
    linked = CaseLink.objects.filter(case__in=subject_cases).values("person_id")
    reasons += _open_requests_message(Person.objects.filter(Q(pk=person.pk) | Q(pk__in=linked)))
    return reasons


def referral_erasure_blockers(referral: Referral) -> list[str]:
    if referral.status == ReferralStatus.DRAFT:
        return ["This referral has not been sent: it belongs to the person writing it"]
    case = Case.objects.filter(referral=referral).first()
    if case is not None:
        return [
            f"This referral became case {case.reference}: erase the case, which erases its "
            "referral with it"
        ]
    return []


def erasure_preview(record_type: str, record) -> dict[str, int]:
    """How many rows of each kind an erasure would remove, for the confirmation page (the
    subject and address of a case are counted only if they would go too)."""
    if record_type == RecordType.PERSON:
        counts: dict[str, int] = {}
        for case in Case.objects.filter(subject=record):
            for key, n in erasure_preview(RecordType.CASE, case).items():
                counts[key] = counts.get(key, 0) + n
        counts.pop("people", None)
        counts["people"] = 1
        for key, n in (
            ("aliases", record.aliases.count()),
            ("case_links", CaseLink.objects.filter(person=record).count()),
        ):
            if n:
                counts[key] = counts.get(key, 0) + n
        return counts
    collector = Collector(using=router.db_for_write(type(record)))
    try:
        collector.collect([record])
    except (ProtectedError, RestrictedError):
        return {}
    counts = {}
    for model, instances in collector.data.items():
        counts[count_key(model)] = counts.get(count_key(model), 0) + len(instances)
    for queryset in collector.fast_deletes:
        n = queryset.count()
        if n:
            counts[count_key(queryset.model)] = counts.get(count_key(queryset.model), 0) + n
    if record_type == RecordType.CASE:
        if record.referral_id:
            counts["referrals"] = 1
        subject_cases = Case.objects.filter(subject=record.subject_id).exclude(pk=record.pk)
        if (
            record.subject.owning_agency_id == record.owning_agency_id
            and not subject_cases.exists()
            and not CaseLink.objects.filter(person=record.subject_id).exists()
            and not EnforcementAction.objects.filter(against=record.subject_id)
            .exclude(case=record)
            .exists()
        ):
            counts["people"] = 1
        location = record.location
        if (
            location is not None
            and location.owning_agency_id == record.owning_agency_id
            and not Case.objects.filter(location=location).exclude(pk=record.pk).exists()
        ):
            counts["locations"] = 1
    return counts
