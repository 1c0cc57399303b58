"""Every write of intelligence: atomic, checked against its actor, audited in the same
transaction. Purposes name what was done, never a value typed in (ADR 0025)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.core import dates
from safehold.core.errors import Conflict, NotPermitted, ServiceError
from safehold.intelligence import rules
from safehold.intelligence.choices import (
    GRADED_STATUSES,
    REVIEW_YEARS,
    REVIEW_YEARS_SERIOUS_HARM,
    HandlingCode,
    IntelligenceAssessment,
    MentionKind,
    SourceEvaluation,
    SourceRelationship,
    Status,
)
from safehold.intelligence.models import Intelligence, Mention, ReferenceCounter
from safehold.people.models import Location
from safehold.people.selectors import locations_visible_to

MAX_MENTIONS = 50


class IntelligenceError(ServiceError):
    """Intelligence that cannot be saved as given (a 400 with this message, page or API)."""


@transaction.atomic
def next_reference(*, year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"INT-{year}-{counter.last:04d}"


def _clean_mentions(mentions: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for kind, value in mentions:
        value = (value or "").strip()
        if not value:
            continue  # an empty row of the form
        if kind not in MentionKind.values:
            raise IntelligenceError("Select what kind of thing each mention is")
        if len(value) > 300:
            raise IntelligenceError("Each mention must be 300 characters or fewer")
        cleaned.append((kind, value))
    if len(cleaned) > MAX_MENTIONS:
        raise IntelligenceError(f"Name at most {MAX_MENTIONS} people, phones, vehicles or others")
    return cleaned


@transaction.atomic
def submit_intelligence(
    *,
    by: User,
    what: str,
    occurred_on: datetime.date,
    source_relationship: str,
    source_relationship_detail: str = "",
    where: str = "",
    location: Location | None = None,
    occurred_time: datetime.time | None = None,
    occurred_until: datetime.date | None = None,
    who: str = "",
    mentions: Iterable[tuple[str, str]] = (),
) -> Intelligence:
    """A partner's submission, status submitted, in its agency's name; the police intelligence
    role's queue shows it next."""
    if not rules.can_submit(by):
        raise NotPermitted("Your role does not submit intelligence")
    what = (what or "").strip()
    if not what:
        raise IntelligenceError("Enter what happened or what you know")
    today = dates.today()
    if occurred_on > today:
        raise IntelligenceError("The date it happened must be today or in the past")
    if occurred_until is not None and occurred_until < occurred_on:
        raise IntelligenceError("The end date must be the same as or after the start date")
    if occurred_until is not None and occurred_until > today:
        raise IntelligenceError("The end date must be today or in the past")
    if source_relationship not in SourceRelationship.values:
        raise IntelligenceError("Select how you know this")
    detail = (source_relationship_detail or "").strip()
    if source_relationship == SourceRelationship.OTHER and not detail:
        raise IntelligenceError("Describe how you know this")
    if location is not None and not locations_visible_to(by).filter(pk=location.pk).exists():
        raise NotPermitted("No such place")
    cleaned = _clean_mentions(mentions)
    now = timezone.now()
    intelligence = Intelligence.objects.create(
        reference=next_reference(year=timezone.localdate(now).year),
        owning_agency_id=by.agency_id,
        submitted_by=by,
        submitted_at=now,
        what=what,
        where=(where or "").strip(),
        location=location,
        location_address=location.one_line if location else "",
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        occurred_until=occurred_until,
        who=(who or "").strip(),
        source_relationship=source_relationship,
        source_relationship_detail=detail,
    )
    Mention.objects.bulk_create(
        Mention(intelligence=intelligence, kind=kind, value=value, position=n)
        for n, (kind, value) in enumerate(cleaned)
    )
    audit.record(
        action=Action.COLLECT,
        actor=by,
        targets=[intelligence, *([location] if location else [])],
        purpose=f"intelligence submitted ({len(cleaned)} mentions)",
    )
    return intelligence


def _require_assessor(by: User) -> None:
    if not rules.can_assess(by):
        raise NotPermitted("Only the police intelligence role assesses intelligence")


@transaction.atomic
def start_assessment(*, intelligence: Intelligence, by: User) -> Intelligence:
    """Take a submission off the top of the queue: submitted → being assessed."""
    _require_assessor(by)
    intelligence = Intelligence.objects.select_for_update().get(pk=intelligence.pk)
    if intelligence.status != Status.SUBMITTED:
        raise Conflict(
            f"{intelligence.reference} is already {intelligence.get_status_display().lower()}"
        )
    intelligence.status = Status.BEING_ASSESSED
    intelligence.save(update_fields=["status", "modified_at"])
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=intelligence,
        purpose="intelligence assessment started",
    )
    return intelligence


def review_date(graded_on: datetime.date, *, serious_harm: bool) -> datetime.date:
    """The first review date (ADR 0049): 6 years after grading, 10 for serious harm (MoPI
    group 1-style: serious violence, exploitation, organised crime with risk of serious harm)."""
    years = REVIEW_YEARS_SERIOUS_HARM if serious_harm else REVIEW_YEARS
    try:
        return graded_on.replace(year=graded_on.year + years)
    except ValueError:  # 29 February
        return graded_on.replace(year=graded_on.year + years, day=28)


@transaction.atomic
def grade_intelligence(
    *,
    intelligence: Intelligence,
    by: User,
    source_evaluation: str,
    assessment: str,
    handling_code: str,
    sanitised_text: str,
    handling_conditions: str = "",
    share_with: Iterable[Agency] = (),
    serious_harm: bool = False,
    action_taken: str = "",
    status: str = Status.GRADED,
) -> Intelligence:
    """Grade (or re-grade) a submission 3x5x2, write the sanitised text partners may see, and
    record what was done; sets the review date from the documented policy."""
    _require_assessor(by)
    if source_evaluation not in SourceEvaluation.values:
        raise IntelligenceError("Select the source evaluation (1, 2 or 3)")
    if assessment not in IntelligenceAssessment.values:
        raise IntelligenceError("Select the intelligence assessment (A to E)")
    if handling_code not in HandlingCode.values:
        raise IntelligenceError("Select the handling code (P or C)")
    sanitised_text = (sanitised_text or "").strip()
    if not sanitised_text:
        raise IntelligenceError("Enter the sanitised text, what partners may see")
    conditions = (handling_conditions or "").strip()
    share_with = list(share_with)
    if handling_code == HandlingCode.C and not conditions:
        raise IntelligenceError("Enter the conditions of sharing for handling code C")
    if handling_code == HandlingCode.P:
        share_with, conditions = [], ""
    if status not in GRADED_STATUSES:
        raise IntelligenceError("Select graded, actioned or no further action")
    action_taken = (action_taken or "").strip()
    if status == Status.ACTIONED and not action_taken:
        raise IntelligenceError("Enter the action taken")
    intelligence = Intelligence.objects.select_for_update().get(pk=intelligence.pk)
    regrade = intelligence.is_graded
    now = timezone.now()
    intelligence.source_evaluation = source_evaluation
    intelligence.assessment = assessment
    intelligence.handling_code = handling_code
    intelligence.handling_conditions = conditions
    intelligence.sanitised_text = sanitised_text
    intelligence.serious_harm = serious_harm
    intelligence.action_taken = action_taken
    intelligence.status = status
    intelligence.assessing_agency_id = by.agency_id
    intelligence.graded_by = by
    intelligence.graded_at = now
    intelligence.review_on = review_date(timezone.localdate(now), serious_harm=serious_harm)
    intelligence.save()
    intelligence.share_with.set(share_with)
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=intelligence,
        purpose=(
            f"intelligence {'re-graded' if regrade else 'graded'} "
            f"{intelligence.grading}, status {status}"
        ),
        recipient_agencies=[a.pk for a in share_with],
    )
    return intelligence
