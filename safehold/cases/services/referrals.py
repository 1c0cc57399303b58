"""Referrals: drafts, sending, and triage (accept into a case, decline, signpost).

Accepting is one use case and one transaction: the person and the place recorded from the
referral, the case opened and the referral marked accepted all happen, or none does.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.cases import rules
from safehold.cases.choices import ReferralStatus
from safehold.cases.models import Case, Programme, Referral, ReferralSource, Sign
from safehold.cases.selectors import cases_visible_to
from safehold.cases.services import cases as case_services
from safehold.cases.services import notices
from safehold.cases.services.references import next_reference
from safehold.core.errors import NotPermitted, ServiceError
from safehold.core.locking import require_version, save_if_unchanged
from safehold.people import services as people_services
from safehold.people.models import Location, Person


class ReferralError(ServiceError):
    """A referral is not in a state that allows this (e.g. triaging a draft)."""


REFERRAL_FIELDS = (
    "subject_known", "subject_given_name", "subject_family_name", "subject_date_of_birth",
    "subject_description", "address_line_1", "address_line_2", "town", "postcode",
    "what_was_seen", "suspected_types", "consent", "urgency", "risks_to_staff", "contact_details",
)  # fmt: skip


def default_programme() -> Programme:
    return (
        Programme.objects.select_related("lead_agency", "triage_team", "asb_team")
        .order_by("created_at")
        .first()
    )


@transaction.atomic
def save_draft(
    *,
    referral: Referral | None = None,
    programme: Programme,
    by: User,
    signs: Iterable[Sign] | None = None,
    version: int | None = None,
    **fields,
) -> Referral:
    """Create or update a partner's draft referral (question pages save after each page)."""
    unknown = set(fields) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"save_draft() got unexpected fields: {', '.join(sorted(unknown))}")
    if referral is None:
        referral = Referral(programme=programme, referrer=by, referrer_agency=by.agency)
    elif not rules.can_change_draft(by, referral):
        raise NotPermitted("Only the person who started a referral can change it")
    elif referral.status != ReferralStatus.DRAFT:
        raise ReferralError("This referral has been sent and can no longer be changed")
    for name, value in fields.items():
        setattr(referral, name, value)
    if referral._state.adding:
        referral.save()
    else:
        save_if_unchanged(referral, version=version, fields=None, noun="referral")
    if signs is not None:
        referral.signs.set(signs)
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=referral,
        purpose=f"referral draft saved: {', '.join(sorted(fields))}",
    )
    return referral


@transaction.atomic
def submit(*, referral: Referral, by: User | None) -> Referral:
    """Send a draft to the programme's triage queue; it gets its reference now."""
    if by is not None and not rules.can_change_draft(by, referral):
        raise NotPermitted("Only the person who started a referral can send it")
    if referral.status != ReferralStatus.DRAFT:
        raise ReferralError("This referral has already been sent")
    now = timezone.now()
    referral.reference = next_reference(programme=referral.programme, prefix="REF", year=now.year)
    referral.status = ReferralStatus.SUBMITTED
    referral.submitted_at = now
    if referral.source_id is None:
        name = (
            referral.referrer_agency.name if referral.referrer_agency_id else "Member of the public"
        )
        referral.source, _ = ReferralSource.objects.get_or_create(name=name)
    save_if_unchanged(referral, version=None, fields=None, noun="referral")
    audit.record(action=Action.COLLECT, actor=by, target=referral, purpose="referral sent")
    return referral


@transaction.atomic
def submit_anonymous(*, programme: Programme, signs: Iterable[Sign] = (), **fields) -> Referral:
    """A referral from the public page: no account, straight into the triage queue."""
    unknown = set(fields) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"submit_anonymous() got unexpected fields: {', '.join(sorted(unknown))}")
    referral = Referral.objects.create(programme=programme, anonymous=True, **fields)
    referral.signs.set(signs)
    referral.source, _ = ReferralSource.objects.get_or_create(name="Member of the public")
    return submit(referral=referral, by=None)


@transaction.atomic
def send_referral(
    *, programme: Programme, by: User, signs: Iterable[Sign] = (), **fields
) -> Referral:
    """A referral written in one go (the API): saved as the sender's draft and sent at once,
    or, if either step is refused, not saved at all."""
    if by is None:
        raise NotPermitted(
            "A referral is sent by someone signed in (the public use the report page)"
        )
    draft = save_draft(programme=programme, by=by, signs=signs, **fields)
    return submit(referral=draft, by=by)


def _require_waiting(referral: Referral, by: User | None, version: int | None = None) -> None:
    """Only casework roles of the programme's lead agency triage its referrals, and only one
    decision is made: one based on a version of the referral changed since is refused with who
    changed it (ADR 0061), one on a referral already triaged with its outcome."""
    if by is not None and not rules.can_triage_referral(by, referral):
        raise NotPermitted("You cannot triage this referral")
    require_version(referral, version, "referral")
    if referral.status != ReferralStatus.SUBMITTED:
        raise ReferralError(
            f"This referral has already been triaged ({referral.get_status_display().lower()})"
        )


class _FromReferral:
    def __repr__(self) -> str:
        return "FROM_REFERRAL"


# Pass as `person` or `location` to `accept` to record the referral's subject or address as a
# new person or place of the programme's lead agency.
FROM_REFERRAL = _FromReferral()


@transaction.atomic
def accept(
    *,
    referral: Referral,
    by: User,
    person: Person | _FromReferral,
    location: Location | _FromReferral | None,
    exploitation_type: str,
    risk_level: str,
    risk_rationale: str,
    lead_officer: User | None = None,
    area=None,
    version: int | None = None,
) -> Case:
    """Accept a referral: open a case for a person and place already known, or new ones
    recorded from the referral (`FROM_REFERRAL`).

    A person who already has a case is flagged as a repeat referral.
    """
    _require_waiting(referral, by, version)
    agency = referral.programme.lead_agency
    if person is FROM_REFERRAL:
        person = people_services.create_person(
            owning_agency=agency,
            given_name=referral.subject_given_name or "Not known",
            family_name=referral.subject_family_name or f"(referral {referral.reference})",
            date_of_birth=referral.subject_date_of_birth,
            by=by,
        )
    if location is FROM_REFERRAL:
        location = people_services.create_location(
            owning_agency=agency,
            by=by,
            address_line_1=referral.address_line_1,
            address_line_2=referral.address_line_2,
            town=referral.town,
            postcode=referral.postcode,
        )
    # Only a case the triaging agency may see makes this a repeat referral: another agency's
    # case about a person shared with it must not show, even as a flag.
    referral.repeat_referral = cases_visible_to(by).filter(subject=person).exists()
    referral.status = ReferralStatus.ACCEPTED
    referral.triaged_by, referral.triaged_at = by, timezone.now()
    save_if_unchanged(referral, version=version, fields=None, noun="referral")
    case = case_services.open_case(
        programme=referral.programme,
        referral=referral,
        referral_date=timezone.localdate(referral.submitted_at),
        referral_source=referral.source,
        subject=person,
        location=location,
        area=area,
        exploitation_type=exploitation_type,
        other_types=[t for t in referral.suspected_types if t != exploitation_type],
        risk_level=risk_level,
        risk_rationale=risk_rationale,
        lead_officer=lead_officer or by,
        by=by,
    )
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=referral,
        subjects=[person],
        purpose=f"referral accepted as {case.reference}",
    )
    notices.referral_decided(referral)
    return case


@transaction.atomic
def add_to_case(
    *, referral: Referral, by: User | None, case: Case, version: int | None = None
) -> Case:
    """Accept a repeat referral into the person's case already open, instead of a new case:
    the referral is linked to the case (its details and any risks to staff are shown there)
    and the case's chronology says so."""
    _require_waiting(referral, by, version)
    case_services.require_open(case, by)
    if case.programme_id != referral.programme_id:
        raise ReferralError(f"Case {case.reference} is not a case of {referral.programme.name}")
    referral.status = ReferralStatus.ACCEPTED
    referral.repeat_referral = True
    referral.added_to_case = case
    referral.triaged_by, referral.triaged_at = by, timezone.now()
    save_if_unchanged(referral, version=version, fields=None, noun="referral")
    case_services.record_event(case, f"Repeat referral {referral.reference} added to this case", by)
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=referral,
        object_ids=[case.pk],
        subjects=[case.subject_id],
        purpose=f"referral added to the open case {case.reference}",
    )
    notices.referral_decided(referral)
    return case


@transaction.atomic
def decline(*, referral: Referral, by: User, reason: str, version: int | None = None) -> Referral:
    _require_waiting(referral, by, version)
    referral.status = ReferralStatus.DECLINED
    referral.decision_reason = reason
    referral.triaged_by, referral.triaged_at = by, timezone.now()
    save_if_unchanged(referral, version=version, fields=None, noun="referral")
    audit.record(action=Action.ALTER, actor=by, target=referral, purpose="referral declined")
    notices.referral_decided(referral)
    return referral


@transaction.atomic
def signpost(
    *, referral: Referral, by: User, to: str, reason: str, version: int | None = None
) -> Referral:
    _require_waiting(referral, by, version)
    referral.status = ReferralStatus.SIGNPOSTED
    referral.signposted_to = to
    referral.decision_reason = reason
    referral.triaged_by, referral.triaged_at = by, timezone.now()
    save_if_unchanged(referral, version=version, fields=None, noun="referral")
    # Where to is typed text, kept on the referral (ADR 0025).
    audit.record(action=Action.ALTER, actor=by, target=referral, purpose="referral signposted")
    notices.referral_decided(referral)
    return referral


def referral_date(referral: Referral) -> datetime.date:
    return timezone.localdate(referral.submitted_at)
