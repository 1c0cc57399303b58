"""Agreements, disclosures and access requests. Every disclosure is a *disclose* audit event."""

import datetime

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.core import dates
from safehold.core.errors import ServiceError
from safehold.sharing import notices
from safehold.sharing.choices import AccessRequestStatus, DisclosureLevel
from safehold.sharing.models import (
    AccessRequest,
    Disclosure,
    InformationSharingAgreement,
    Signatory,
)


class SharingError(ServiceError):
    """A share that the agreement, the record's owner or the request's state does not allow."""


@transaction.atomic
def create_agreement(
    *,
    title: str,
    purpose: str,
    lawful_basis: str,
    legal_gateway: str,
    parties: list[Agency],
    start_date: datetime.date,
    review_date: datetime.date,
    managed_by: Agency,
    by: User | None,
    end_date: datetime.date | None = None,
    special_category_condition: str = "",
    data_categories: list[str] = (),
    signed_document=None,
) -> InformationSharingAgreement:
    """Record an information sharing agreement between two or more agencies."""
    if len({a.pk for a in parties}) < 2:
        raise SharingError("An agreement needs at least two parties")
    if managed_by.pk not in {a.pk for a in parties}:
        raise SharingError("The agency managing the agreement must be one of its parties")
    if end_date and end_date < start_date:
        raise SharingError("The end date must be the same as or after the start date")
    agreement = InformationSharingAgreement.objects.create(
        title=title, purpose=purpose, lawful_basis=lawful_basis, legal_gateway=legal_gateway,
        special_category_condition=special_category_condition, data_categories=list(data_categories),
        start_date=start_date, review_date=review_date, end_date=end_date, managed_by=managed_by,
        signed_document=signed_document or "",
    )  # fmt: skip
    agreement.parties.set(parties)
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=agreement,
        purpose="information sharing agreement recorded",
    )
    return agreement


@transaction.atomic
def add_signatory(
    *,
    agreement: InformationSharingAgreement,
    agency: Agency,
    name: str,
    job_title: str,
    signed_on: datetime.date,
    by: User,
) -> Signatory:
    if not agreement.parties.filter(pk=agency.pk).exists():
        raise SharingError(f"{agency.name} is not a party to this agreement")
    signatory = Signatory.objects.create(
        agreement=agreement, agency=agency, name=name, job_title=job_title, signed_on=signed_on
    )
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=agreement,
        purpose=f"signatory added for {agency.name}",
    )
    return signatory


@transaction.atomic
def update_agreement_dates(
    *,
    agreement: InformationSharingAgreement,
    by: User,
    review_date: datetime.date,
    end_date: datetime.date | None,
) -> InformationSharingAgreement:
    """Review an agreement or end it. Ending it ends every disclosure under it on the next request."""
    agreement.review_date, agreement.end_date = review_date, end_date
    agreement.save(update_fields=["review_date", "end_date", "modified_at"])
    audit.record(action=Action.ALTER, actor=by, target=agreement, purpose="agreement dates changed")
    return agreement


@transaction.atomic
def attach_document(
    *, agreement: InformationSharingAgreement, file, by: User
) -> InformationSharingAgreement:
    """Keep the signed copy of an agreement (replacing any earlier copy), audited."""
    agreement.signed_document.save(file.name, file, save=False)
    agreement.save(update_fields=["signed_document", "modified_at"])
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=agreement,
        purpose=f"signed agreement uploaded: {file.name}",
    )
    return agreement


def _record_owner(*, case=None, person=None) -> Agency:
    if (case is None) == (person is None):
        raise SharingError("Share either a case or a person")
    return (case or person).owning_agency


@transaction.atomic
def disclose(
    *,
    agreement: InformationSharingAgreement,
    to_agency: Agency,
    level: str,
    purpose: str,
    by: User,
    case=None,
    person=None,
    expires_on: datetime.date | None = None,
) -> Disclosure:
    """Share a record the discloser's agency owns with another party to a live agreement."""
    owner = _record_owner(case=case, person=person)
    if owner.pk != by.agency_id:
        raise SharingError("Only the agency that holds a record can share it")
    if to_agency.pk == owner.pk:
        raise SharingError("The record is already held by that agency")
    if not agreement.is_live():
        raise SharingError(f"The agreement “{agreement.title}” is not in force")
    parties = set(agreement.parties.values_list("pk", flat=True))
    if not {owner.pk, to_agency.pk} <= parties:
        raise SharingError(
            f"{to_agency.name} and {owner.name} must both be parties to “{agreement.title}”"
        )
    if expires_on and expires_on < dates.today():
        raise SharingError("The expiry date must be today or in the future")
    if level not in DisclosureLevel.values:
        raise SharingError("Choose what to share")
    # A renewed (or changed) share replaces the live one to the same agency: one share per
    # agency and record, so the record's page shows one line for it (issue 14, defect 9).
    replaced = Disclosure.objects.live().filter(
        to_agency=to_agency, **({"case": case} if case is not None else {"person": person})
    )
    replaced_ids = list(replaced.values_list("pk", flat=True))
    replaced.update(
        revoked_at=timezone.now(), revoked_by=by, revoke_reason="Replaced by a renewed share",
        modified_at=timezone.now(),
    )  # fmt: skip
    disclosure = Disclosure.objects.create(
        agreement=agreement, from_agency=owner, to_agency=to_agency, case=case, person=person,
        level=level, purpose=purpose, disclosed_by=by, expires_on=expires_on,
    )  # fmt: skip
    record = case or person
    audit.record(
        action=Action.DISCLOSE,
        actor=by,
        target=record,
        object_ids=[disclosure.pk, *replaced_ids],
        subjects=[case.subject_id if case else person.pk],
        # The typed purpose stays on the disclosure (named by its id): it may name people, and
        # an audit event outlives an erasure (ADR 0025). The agreement gives the lawful basis.
        purpose=f"shared ({DisclosureLevel(level).label.lower()})"
        + (", replacing the earlier share" if replaced_ids else ""),
        agreement_id=agreement.pk,
        legal_gateway=agreement.legal_gateway,
        recipient_agencies=[to_agency],
    )
    notices.shared(disclosure)
    return disclosure


@transaction.atomic
def revoke(*, disclosure: Disclosure, by: User, reason: str) -> Disclosure:
    """Stop sharing: access ends on the recipient's next request."""
    if by.agency_id != disclosure.from_agency_id:
        raise SharingError("Only the agency that shared a record can stop sharing it")
    if disclosure.revoked_at:
        return disclosure
    disclosure.revoked_at, disclosure.revoked_by, disclosure.revoke_reason = (
        timezone.now(),
        by,
        reason,
    )
    disclosure.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "modified_at"])
    record = disclosure.record
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=record,
        object_ids=[disclosure.pk],
        subjects=[record.subject_id if disclosure.case_id else record.pk],
        purpose=f"sharing with {disclosure.to_agency.name} stopped",
        recipient_agencies=[disclosure.to_agency_id],
    )
    return disclosure


@transaction.atomic
def request_access(*, by: User, reason: str, case=None, person=None) -> AccessRequest:
    """Ask the owning agency for the full record, having found it by name only."""
    owner = _record_owner(case=case, person=person)
    if owner.pk == by.agency_id:
        raise SharingError("Your organisation already holds this record")
    request = AccessRequest.objects.create(
        requested_by=by,
        requesting_agency=by.agency,
        owning_agency=owner,
        case=case,
        person=person,
        reason=reason,
    )
    record = case or person
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=request,
        object_ids=[record.pk],
        purpose="access requested",
    )
    notices.access_requested(request)
    return request


@transaction.atomic
def request_record_access(
    *, by: User, reason: str, owning_agency: Agency, record_key: str, record_label: str
) -> AccessRequest:
    """Ask an agency for a record that is neither a case nor a person (a row of its partner
    extract that linkage matched), found by name and agency only. Approving it lets the
    requesting agency see that record where the app that found it shows it (ADR 0055)."""
    if owning_agency.pk == by.agency_id:
        raise SharingError("Your organisation already holds this record")
    if AccessRequest.objects.filter(
        requesting_agency=by.agency_id,
        record_key=record_key,
        status=AccessRequestStatus.PENDING,
    ).exists():
        raise SharingError(f"You have already asked {owning_agency.name} for this record")
    request = AccessRequest.objects.create(
        requested_by=by,
        requesting_agency=by.agency,
        owning_agency=owning_agency,
        record_key=record_key,
        record_label=record_label[:200],
        reason=reason,
    )
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=request,
        object_ids=[record_key],
        purpose="access requested",
    )
    notices.access_requested(request)
    return request


def record_access_granted(*, agency_id, record_keys) -> set[str]:
    """Which of these records (by key) the agency was given by an approved request."""
    return set(
        AccessRequest.objects.filter(
            requesting_agency=agency_id,
            record_key__in=list(record_keys),
            status=AccessRequestStatus.APPROVED,
        ).values_list("record_key", flat=True)
    )


def _require_pending(request: AccessRequest, by: User) -> None:
    if request.owning_agency_id != by.agency_id:
        raise SharingError("Only the agency that holds the record can decide")
    if request.status != AccessRequestStatus.PENDING:
        raise SharingError("This request has already been decided")


@transaction.atomic
def approve_request(
    *,
    request: AccessRequest,
    by: User,
    agreement: InformationSharingAgreement,
    expires_on: datetime.date | None = None,
) -> Disclosure:
    """Approve an access request: a full disclosure to the requesting agency (for a record
    that is neither a case nor a person, the approval itself, under the agreement chosen)."""
    _require_pending(request, by)
    if request.record_key:
        return _approve_record_request(request=request, by=by, agreement=agreement)
    disclosure = disclose(
        agreement=agreement, to_agency=request.requesting_agency, level=DisclosureLevel.FULL,
        purpose=f"access request: {request.reason}", by=by, case=request.case, person=request.person,
        expires_on=expires_on,
    )  # fmt: skip
    request.status, request.decided_by, request.decided_at = (
        AccessRequestStatus.APPROVED,
        by,
        timezone.now(),
    )
    request.disclosure = disclosure
    request.save(update_fields=["status", "decided_by", "decided_at", "disclosure", "modified_at"])
    notices.access_answered(request)
    return disclosure


def _approve_record_request(*, request: AccessRequest, by: User, agreement) -> None:
    if not agreement.is_live() or not {
        request.owning_agency_id,
        request.requesting_agency_id,
    } <= set(agreement.parties.values_list("pk", flat=True)):
        raise SharingError("Choose a live agreement both organisations are party to")
    request.status, request.decided_by, request.decided_at = (
        AccessRequestStatus.APPROVED,
        by,
        timezone.now(),
    )
    request.save(update_fields=["status", "decided_by", "decided_at", "modified_at"])
    audit.record(
        action=Action.DISCLOSE,
        actor=by,
        target=request,
        object_ids=[request.record_key],
        agreement_id=agreement.pk,
        recipient_agencies=[request.requesting_agency_id],
        purpose="access request approved (a partner extract's record, named by its key)",
    )
    notices.access_answered(request)


@transaction.atomic
def decline_request(*, request: AccessRequest, by: User, reason: str) -> AccessRequest:
    _require_pending(request, by)
    request.status, request.decided_by, request.decided_at = (
        AccessRequestStatus.DECLINED,
        by,
        timezone.now(),
    )
    request.decision_reason = reason
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "modified_at"]
    )
    audit.record(action=Action.ALTER, actor=by, target=request, purpose="access request declined")
    notices.access_answered(request)
    return request
