"""The read gate of intelligence: every page, list, queue and API read starts here (ADR 0049).

`intelligence_visible_to(user)` says which submissions exist for a user; `access_of(user,
intelligence)` says how much of one they see: everything (the police intelligence role), the
status only (the submitting agency), or the sanitised text with its grading (a partner the
handling code lets have it).
"""

import datetime

from django.db.models import Count, Q, QuerySet

from safehold.accounts.models import Agency
from safehold.core import dates
from safehold.intelligence import rules
from safehold.intelligence.choices import GRADED_STATUSES, WAITING_STATUSES, HandlingCode
from safehold.intelligence.models import Intelligence
from safehold.sharing.models import InformationSharingAgreement, live_agreement_q

FULL, STATUS, SANITISED = "full", "status", "sanitised"


def partners_of(agency_id, *, today: datetime.date | None = None) -> QuerySet[Agency]:
    """The agencies party to an information sharing agreement, live today, with this one."""
    live = InformationSharingAgreement.objects.filter(
        live_agreement_q(today or dates.today()), parties=agency_id
    )
    return Agency.objects.filter(agreements__in=live)


def shared_q(agency_id) -> Q:
    """Graded submissions whose handling code gives them to this agency: P, graded by a police
    agency it has a live agreement with; C, naming it."""
    named = Intelligence.share_with.through.objects.filter(agency_id=agency_id)
    return Q(status__in=GRADED_STATUSES) & (
        Q(handling_code=HandlingCode.P, assessing_agency__in=partners_of(agency_id))
        | Q(handling_code=HandlingCode.C, pk__in=named.values("intelligence_id"))
    )


def intelligence_visible_to(user) -> QuerySet[Intelligence]:
    """Every submission for the police intelligence role; its own agency's submissions for the
    submitting agency's people browsers; graded ones shared with their agency for partners."""
    everything = Intelligence.objects.select_related("owning_agency", "assessing_agency")
    if rules.is_police_intelligence(user):
        return everything
    q = Q(pk__in=[])
    if rules.can_see_own(user):
        q |= Q(owning_agency=user.agency_id)
    if rules.can_see_shared(user):
        q |= shared_q(user.agency_id)
    return everything.filter(q)


def access_of(user, intelligence: Intelligence) -> str:
    """How much of a visible submission the user sees (FULL, STATUS or SANITISED)."""
    if rules.is_police_intelligence(user):
        return FULL
    if intelligence.owning_agency_id == user.agency_id:
        return STATUS  # the submitter never sees the grading or what the police did
    return SANITISED


def own_submissions(user) -> QuerySet[Intelligence]:
    """The user's agency's submissions, newest first."""
    return intelligence_visible_to(user).filter(owning_agency=user.agency_id)


def shared_with(user) -> QuerySet[Intelligence]:
    """Graded submissions of other agencies the user sees, latest graded first."""
    return (
        intelligence_visible_to(user)
        .filter(status__in=GRADED_STATUSES)
        .exclude(owning_agency=user.agency_id)
        .order_by("-graded_at")
    )


def to_assess(user) -> QuerySet[Intelligence]:
    """The assessment queue of the police intelligence role: waiting submissions, oldest
    first."""
    if not rules.can_assess(user):
        return Intelligence.objects.none()
    return (
        intelligence_visible_to(user)
        .filter(status__in=WAITING_STATUSES)
        .order_by("submitted_at", "reference")
    )


def due_for_review(user, *, today: datetime.date | None = None) -> QuerySet[Intelligence]:
    """Graded intelligence whose review date (MoPI-style, ADR 0049) has come, oldest first."""
    if not rules.can_assess(user):
        return Intelligence.objects.none()
    return (
        intelligence_visible_to(user)
        .filter(review_on__lte=today or dates.today())
        .order_by("review_on", "reference")
    )


def reviews_governed_by(user, today: datetime.date) -> QuerySet[Intelligence]:
    """For the retention review page: intelligence the user's police agency graded whose review
    date has come, for its information governance roles (references and dates only)."""
    if not rules.reviews_retention(user):
        return Intelligence.objects.none()
    return Intelligence.objects.filter(
        assessing_agency=user.agency_id, review_on__lte=today
    ).order_by("review_on", "reference")


def counts_by_status(queryset: QuerySet[Intelligence]) -> dict[str, int]:
    return dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
