"""Reads for information governance: the records an agency answers for, the retention review
queue, legal holds, the erasure log and subject access requests.

Everything here is scoped to the user's own agency (the controller of its records) and to its
information-governance officers and administrators; anybody else gets nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from safehold.cases.choices import CaseStatus, ReferralStatus
from safehold.cases.deadlines import add_months
from safehold.cases.models import Case, CaseLink, EnforcementAction, Referral
from safehold.cases.selectors import cases_visible_to
from safehold.core import dates
from safehold.governance.choices import DEFAULT_POLICIES, Decision, RecordType
from safehold.governance.models import (
    ErasureLog,
    LegalHold,
    RetentionDecision,
    RetentionPolicy,
    SubjectAccessRequest,
)
from safehold.governance.rules import can_govern
from safehold.people.models import Person, PersonAlias
from safehold.people.selectors import people_visible_to

# The queue shows the oldest records of each kind first, this many at a time.
QUEUE_LIMIT = 100


def people_held_by(user) -> QuerySet[Person]:
    """People the user's agency holds (it is their controller) and the user may see, whatever
    the user's role: record pages look records up here (404 outside it), then check the role
    (403), so another agency's records never exist for anybody."""
    return people_visible_to(user).filter(owning_agency=user.agency_id)


def cases_held_by(user) -> QuerySet[Case]:
    return cases_visible_to(user).filter(owning_agency=user.agency_id)


def referrals_held_by(user) -> QuerySet[Referral]:
    """Sent referrals to a programme the user's agency leads (drafts belong to their author)."""
    return Referral.objects.filter(programme__lead_agency=user.agency_id).exclude(
        status=ReferralStatus.DRAFT
    )


def people_governed_by(user) -> QuerySet[Person]:
    """People the user's agency holds, for its governance roles (nobody else)."""
    return people_held_by(user) if can_govern(user) else Person.objects.none()


def cases_governed_by(user) -> QuerySet[Case]:
    return cases_held_by(user) if can_govern(user) else Case.objects.none()


def referrals_governed_by(user) -> QuerySet[Referral]:
    return referrals_held_by(user) if can_govern(user) else Referral.objects.none()


def policies() -> dict[str, RetentionPolicy]:
    """The retention policy of each record type (one query); a missing row means the default."""
    found = {p.record_type: p for p in RetentionPolicy.objects.all()}
    for record_type, (months, starts_from, _label) in DEFAULT_POLICIES.items():
        found.setdefault(
            record_type,
            RetentionPolicy(record_type=record_type, period_months=months, starts_from=starts_from),
        )
    return found


def policy_label(record_type: str) -> str:
    return DEFAULT_POLICIES[record_type][2]


def due_cutoff(today: datetime.date, months: int) -> datetime.date:
    """The last start date whose period of `months` has ended by `today`.

    A record is due when add_months(start, months) <= today; add_months never decreases as the
    start moves later, so the due records are exactly those starting on or before this date.
    """
    cutoff = add_months(today, -months)
    while add_months(cutoff + datetime.timedelta(days=1), months) <= today:
        cutoff += datetime.timedelta(days=1)
    return cutoff


# --- Legal holds -----------------------------------------------------------------------------


def case_held_q() -> Q:
    """A case is held by a hold on it, on its subject, or on anyone linked to it: erasing the
    case would erase what it holds about each of them."""
    active = LegalHold.objects.active()
    return (
        Q(Exists(active.filter(case=OuterRef("pk"))))
        | Q(Exists(active.filter(person=OuterRef("subject_id"))))
        | Q(Exists(active.filter(person__case_links__case=OuterRef("pk"))))
    )


def person_held_q() -> Q:
    return Q(Exists(LegalHold.objects.active().filter(person=OuterRef("pk"))))


def holds_on_case(case: Case) -> QuerySet[LegalHold]:
    """The active holds that stop a case being erased (see `case_held_q`)."""
    linked = CaseLink.objects.filter(case=case).values("person_id")
    return (
        LegalHold.objects.active()
        .filter(Q(case=case) | Q(person=case.subject_id) | Q(person__in=linked))
        .select_related("case", "person")
    )


def holds_on_person(person: Person) -> QuerySet[LegalHold]:
    """The active holds that stop a person being erased: on them, or on any case they are on."""
    cases = Case.objects.filter(Q(subject=person) | Q(links__person=person)).values("pk")
    return (
        LegalHold.objects.active()
        .filter(Q(person=person) | Q(case__in=cases))
        .select_related("case", "person")
    )


def holds_held_by(user) -> QuerySet[LegalHold]:
    """Holds, current and lifted, on records the user's agency holds."""
    return (
        LegalHold.objects.filter(
            Q(case__owning_agency=user.agency_id) | Q(person__owning_agency=user.agency_id)
        )
        .select_related("case", "case__subject", "person", "placed_by", "lifted_by")
        .order_by(F("lifted_at").desc(nulls_first=True), "-placed_at")
    )


def holds_visible_to(user) -> QuerySet[LegalHold]:
    return holds_held_by(user) if can_govern(user) else LegalHold.objects.none()


# --- The review queue ------------------------------------------------------------------------


def retained_q(record_type: str, today: datetime.date) -> Q:
    """A "retain" decision whose next review date has not come yet keeps a record off the queue."""
    return Q(
        Exists(
            RetentionDecision.objects.filter(
                record_type=record_type,
                record_id=OuterRef("pk"),
                decision=Decision.RETAIN,
                next_review_on__gt=today,
            )
        )
    )


def without_cases_q() -> Q:
    """People nothing in casework refers to: no case of theirs, no link, no enforcement."""
    return (
        ~Q(Exists(Case.objects.filter(subject=OuterRef("pk"))))
        & ~Q(Exists(CaseLink.objects.filter(person=OuterRef("pk"))))
        & ~Q(Exists(EnforcementAction.objects.filter(against=OuterRef("pk"))))
    )


@dataclass
class ReviewItem:
    """One record past its retention period: what it is, when its period started and ended."""

    record_type: str
    record: object
    started_on: datetime.date
    review_due_on: datetime.date

    @property
    def subject_id(self):
        if self.record_type == RecordType.CASE:
            return self.record.subject_id
        return self.record.pk if self.record_type == RecordType.PERSON else None


@dataclass
class QueueSection:
    record_type: str
    title: str
    policy: RetentionPolicy
    due: list[ReviewItem] = field(default_factory=list)
    due_count: int = 0
    held: list[ReviewItem] = field(default_factory=list)


def _last_change(person: Person) -> datetime.date:
    changed = max(filter(None, [person.modified_at, getattr(person, "last_alias_change", None)]))
    return timezone.localdate(changed)


def review_queue(user, *, today: datetime.date | None = None) -> list[QueueSection]:
    """Records of the user's agency past their retention period, oldest first, in a fixed
    number of queries: for each kind, a page of those due, their count, and those held."""
    today = today or dates.today()
    rules = policies()
    sections = []

    # Closed cases, from the date they were closed.
    policy = rules[RecordType.CASE]
    cutoff = due_cutoff(today, policy.period_months)
    past = cases_governed_by(user).filter(status=CaseStatus.CLOSED, closed_on__lte=cutoff)
    held_q = case_held_q()
    due = past.exclude(held_q).exclude(retained_q(RecordType.CASE, today))

    def case_item(case):
        return ReviewItem(
            RecordType.CASE, case, case.closed_on, add_months(case.closed_on, policy.period_months)
        )

    def cases(qs):
        return qs.select_related("subject", "location").order_by("closed_on", "reference")

    sections.append(
        QueueSection(
            RecordType.CASE,
            policy_label(RecordType.CASE),
            policy,
            [case_item(c) for c in cases(due)[:QUEUE_LIMIT]],
            due.count(),
            [case_item(c) for c in cases(past.filter(held_q))],
        )
    )

    # Declined or signposted referrals, from the decision.
    policy = rules[RecordType.REFERRAL]
    cutoff = due_cutoff(today, policy.period_months)
    due = (
        referrals_governed_by(user)
        .filter(
            status__in=[ReferralStatus.DECLINED, ReferralStatus.SIGNPOSTED],
            triaged_at__date__lte=cutoff,
        )
        .exclude(retained_q(RecordType.REFERRAL, today))
    )
    sections.append(
        QueueSection(
            RecordType.REFERRAL,
            policy_label(RecordType.REFERRAL),
            policy,
            [
                ReviewItem(
                    RecordType.REFERRAL,
                    r,
                    timezone.localdate(r.triaged_at),
                    add_months(timezone.localdate(r.triaged_at), policy.period_months),
                )
                for r in due.select_related("source", "referrer_agency").order_by(
                    "triaged_at", "reference"
                )[:QUEUE_LIMIT]
            ],
            due.count(),
        )
    )

    # People on no case, from the last change to their record (details or other names).
    policy = rules[RecordType.PERSON]
    cutoff = due_cutoff(today, policy.period_months)
    past = (
        people_governed_by(user)
        .filter(without_cases_q(), modified_at__date__lte=cutoff)
        .exclude(
            Exists(PersonAlias.objects.filter(person=OuterRef("pk"), modified_at__date__gt=cutoff))
        )
    )
    held_q = person_held_q()
    due = past.exclude(held_q).exclude(retained_q(RecordType.PERSON, today))

    def person_item(person):
        changed = _last_change(person)
        return ReviewItem(
            RecordType.PERSON, person, changed, add_months(changed, policy.period_months)
        )

    def people(qs):
        last_alias = PersonAlias.objects.filter(person=OuterRef("pk")).order_by("-modified_at")
        return qs.annotate(
            last_alias_change=Subquery(last_alias.values("modified_at")[:1])
        ).order_by("modified_at", "family_name")

    sections.append(
        QueueSection(
            RecordType.PERSON,
            policy_label(RecordType.PERSON),
            policy,
            [person_item(p) for p in people(due)[:QUEUE_LIMIT]],
            due.count(),
            [person_item(p) for p in people(past.filter(held_q))],
        )
    )
    return sections


def latest_retain_decision(record_type: str, record_id) -> RetentionDecision | None:
    return (
        RetentionDecision.objects.filter(
            record_type=record_type, record_id=record_id, decision=Decision.RETAIN
        )
        .select_related("decided_by")
        .order_by("-decided_at")
        .first()
    )


# --- The erasure log and subject access requests ---------------------------------------------


def erasures_visible_to(user) -> QuerySet[ErasureLog]:
    """What the user's agency has erased: types, ids, who, when and why; never the data."""
    if not can_govern(user):
        return ErasureLog.objects.none()
    return ErasureLog.objects.filter(agency=user.agency_id).select_related("erased_by")


def subject_access_requests_held_by(user) -> QuerySet[SubjectAccessRequest]:
    """Requests about people the user's agency holds."""
    return SubjectAccessRequest.objects.filter(person__in=people_held_by(user)).select_related(
        "person", "created_by", "completed_by"
    )


def subject_access_requests_visible_to(user) -> QuerySet[SubjectAccessRequest]:
    if not can_govern(user):
        return SubjectAccessRequest.objects.none()
    return subject_access_requests_held_by(user)
