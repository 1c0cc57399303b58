"""Erasure: removing a record and everything Safehold keeps with it, leaving only ids behind.

A case goes with its chronology, linked people, interventions, enforcement (and their document
files on disk), tasks, risk history, ASB handover, disclosures and access requests, and the
referral it came from; its subject and its address go too when the same agency holds them and
nothing else refers to them. A person goes with each of their cases, their links to other cases
and their other names. Audit events stay: they name records by id only (ADR 0009).

Each erased case, referral, person and place leaves an ErasureLog row with counts of what went;
one ERASE audit event covers the whole erasure. Document files are deleted only once the
transaction has committed, so a failed erasure leaves every file in place.
"""

import functools
import logging
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.cases.models import (
    Case,
    CaseLink,
    ChronologyEntry,
    EnforcementAction,
    EnforcementDocument,
    Referral,
)
from safehold.governance.choices import Decision, RecordType
from safehold.governance.erasure.selectors import (
    case_erasure_blockers,
    count_key,
    own_cases,
    person_erasure_blockers,
    referral_erasure_blockers,
)
from safehold.governance.models import ErasureLog, RetentionDecision
from safehold.governance.services import OBJECT_TYPES, GovernanceError, require_controller
from safehold.people.models import Location, Person

logger = logging.getLogger(__name__)

ERASED_PERSON = "a person whose record has been erased"


class ErasureRefused(GovernanceError):
    """The record cannot be erased yet: a legal hold, an open case, an unanswered request."""


@dataclass(frozen=True)
class ErasureResult:
    erasure_id: uuid.UUID
    logs: list[ErasureLog]

    def count(self, record_type: str) -> int:
        return sum(1 for log in self.logs if log.record_type == record_type)


def _delete(queryset) -> dict[str, int]:
    """Delete with Django's cascade and count the rows of each kind that went."""
    collected = {}
    _, per_model = queryset.delete()
    for label, n in per_model.items():
        if n:
            collected[count_key(apps.get_model(label))] = n
    return collected


def _referrers(exc: ProtectedError | RestrictedError) -> str:
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    return ", ".join(sorted({str(o._meta.verbose_name_plural) for o in objects}))


def _check_references() -> None:
    """On PostgreSQL, check now the foreign keys Django defers to the commit.

    Row-level security hides other agencies' cases from a web request, so Django's own check
    for protected references cannot see them; the database still can. Checking here turns such
    a reference into a refusal instead of a failed commit. (SQLite has no row-level security,
    so Django's check sees everything there.)
    """
    if connection.vendor != "postgresql":
        return
    with transaction.atomic():
        connection.check_constraints()


def _delete_files(names: list[str]) -> None:
    storage = EnforcementDocument._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # the row is gone; a file left behind is logged for the administrator
            logger.exception("could not delete erased document file %s", name)


class _Erasure:
    """One erasure: the rows it removes, their log, the files to delete after commit."""

    def __init__(self, *, by: User, reason: str, agency_id):
        if not reason.strip():
            raise GovernanceError("Enter why the record is being erased")
        self.id, self.by, self.reason, self.agency_id = uuid.uuid4(), by, reason.strip(), agency_id
        self.logs: list[ErasureLog] = []
        self.files: list[str] = []
        self.subject_ids: set = set()
        self.now = timezone.now()

    def log(self, record_type: str, record_id, counts: dict) -> None:
        self.logs.append(
            ErasureLog(
                agency_id=self.agency_id, erasure_id=self.id, record_type=record_type,
                record_id=record_id, erased_by=self.by, erased_at=self.now, reason=self.reason,
                counts=counts,
            )
        )  # fmt: skip

    def case(self, case: Case) -> tuple:
        """Erase a case and its referral; give back its subject and location ids."""
        files = [
            name
            for name in EnforcementDocument.objects.filter(action__case=case).values_list(
                "file", flat=True
            )
            if name
        ]
        try:
            counts = _delete(Case.objects.filter(pk=case.pk))
        except (ProtectedError, RestrictedError) as exc:
            raise ErasureRefused(
                f"Case {case.reference} cannot be erased: {_referrers(exc)} still refer to it"
            ) from exc
        if files:
            counts["files"] = len(files)
        self.files += files
        self.subject_ids.add(case.subject_id)
        self.log(RecordType.CASE, case.pk, counts)
        if case.referral_id:
            self.log(
                RecordType.REFERRAL,
                case.referral_id,
                _delete(Referral.objects.filter(pk=case.referral_id)),
            )
        return case.subject_id, case.location_id

    def if_unreferenced(self, record_type: str, queryset) -> bool:
        """Erase a person or place of this agency that nothing is left referring to."""
        record = queryset.filter(owning_agency=self.agency_id).first()
        if record is None:
            return False
        try:
            with transaction.atomic():
                counts = _delete(queryset.filter(pk=record.pk))
                _check_references()
        except (ProtectedError, RestrictedError, IntegrityError):
            return False  # still on another case: it stays, with its own retention
        self.log(record_type, record.pk, counts)
        return True

    def finish(self, *, record_type: str, record_id) -> ErasureResult:
        try:
            _check_references()
        except IntegrityError as exc:
            raise ErasureRefused(
                "Records held by another organisation still refer to this record: ask them "
                "to erase or unlink theirs first"
            ) from exc
        logs = ErasureLog.objects.bulk_create(self.logs)
        RetentionDecision.objects.create(
            agency_id=self.agency_id, record_type=record_type, record_id=record_id,
            decision=Decision.ERASE, reason=self.reason, decided_by=self.by, decided_at=self.now,
        )  # fmt: skip
        others = [log.record_id for log in logs if log.record_id != record_id]
        audit.record(
            action=Action.ERASE,
            actor=self.by,
            object_type=OBJECT_TYPES[record_type],
            object_ids=[record_id, *others],
            subjects=sorted(str(s) for s in self.subject_ids),
            # The reviewer's reason is kept in the erasure log, not here (ADR 0025).
            purpose="erasure (the reason is in the erasure log)",
        )
        if self.files:
            transaction.on_commit(functools.partial(_delete_files, list(self.files)))
        return ErasureResult(self.id, logs)


def _refuse(reasons: list[str]) -> None:
    if reasons:
        raise ErasureRefused(reasons[0])


@transaction.atomic
def erase_case(*, case: Case, by: User, reason: str) -> ErasureResult:
    """Erase a closed case and everything held with it (see the module docstring)."""
    require_controller(by, case.owning_agency_id)
    _refuse(case_erasure_blockers(case))
    erasure = _Erasure(by=by, reason=reason, agency_id=case.owning_agency_id)
    subject_id, location_id = erasure.case(case)
    erasure.if_unreferenced(RecordType.PERSON, Person.objects.filter(pk=subject_id))
    if location_id:
        erasure.if_unreferenced(RecordType.LOCATION, Location.objects.filter(pk=location_id))
    return erasure.finish(record_type=RecordType.CASE, record_id=case.pk)


@transaction.atomic
def erase_person(*, person: Person, by: User, reason: str) -> ErasureResult:
    """Erase a person: each of their cases, their links to other cases (and their name in those
    cases' events), then the person with their other names."""
    require_controller(by, person.owning_agency_id)
    _refuse(person_erasure_blockers(person))
    erasure = _Erasure(by=by, reason=reason, agency_id=person.owning_agency_id)
    locations = set()
    for case in Case.objects.filter(subject=person).order_by("reference"):
        locations.add(erasure.case(case)[1])
    counts = {}
    own = own_cases(person.owning_agency_id)
    links = CaseLink.objects.filter(person=person, case__in=own)
    linked_cases = list(links.values_list("case_id", flat=True))
    if linked_cases:
        # Case events written when they were linked name them ("… linked as associate").
        redacted = 0
        for entry in ChronologyEntry.objects.filter(
            case__in=linked_cases, summary__contains=person.full_name
        ):
            entry.summary = entry.summary.replace(person.full_name, ERASED_PERSON)
            entry.save(update_fields=["summary", "modified_at"])
            redacted += 1
        counts |= _delete(links)
        if redacted:
            counts["chronology_entries_redacted"] = redacted
    unnamed = EnforcementAction.objects.filter(against=person, case__in=own).update(against=None)
    if unnamed:
        counts["enforcement_actions_no_longer_naming_them"] = unnamed
    try:
        counts |= _delete(Person.objects.filter(pk=person.pk))
    except (ProtectedError, RestrictedError) as exc:
        raise ErasureRefused(
            f"{person.full_name} cannot be erased: {_referrers(exc)} still refer to them"
        ) from exc
    erasure.subject_ids.add(person.pk)
    erasure.log(RecordType.PERSON, person.pk, counts)
    for location_id in sorted(filter(None, locations), key=str):
        erasure.if_unreferenced(RecordType.LOCATION, Location.objects.filter(pk=location_id))
    return erasure.finish(record_type=RecordType.PERSON, record_id=person.pk)


@transaction.atomic
def erase_referral(*, referral: Referral, by: User, reason: str) -> ErasureResult:
    """Erase a referral that did not become a case (declined or signposted)."""
    require_controller(by, referral.programme.lead_agency_id)
    _refuse(referral_erasure_blockers(referral))
    erasure = _Erasure(by=by, reason=reason, agency_id=referral.programme.lead_agency_id)
    erasure.log(RecordType.REFERRAL, referral.pk, _delete(Referral.objects.filter(pk=referral.pk)))
    return erasure.finish(record_type=RecordType.REFERRAL, record_id=referral.pk)
