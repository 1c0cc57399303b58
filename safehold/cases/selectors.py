"""The read gate for referrals, cases and tasks: what these do not return does not exist."""

import datetime
from dataclasses import dataclass

from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from safehold.accounts import rules as account_rules
from safehold.accounts.models import Agency, User
from safehold.cases.choices import (
    CaseStatus,
    EnforcementStatus,
    ReferralStatus,
    RiskLevel,
    TaskStatus,
)
from safehold.cases.models import (
    AsbHandover,
    Case,
    ChronologyEntry,
    EnforcementAction,
    Intervention,
    Referral,
    RiskAssessment,
    Task,
)
from safehold.cases.rules import can_triage
from safehold.core import dates
from safehold.core.postcodes import normalise_postcode
from safehold.core.visibility import InSubquery
from safehold.people import selectors as people_selectors
from safehold.people.models import Location, Person
from safehold.people.search import Lookup, matching_all
from safehold.sharing import selectors as sharing
from safehold.sharing.choices import DisclosureLevel
from safehold.sharing.models import Disclosure


def cases_visible_to(user) -> QuerySet[Case]:
    """Cases the user's agency owns, plus cases disclosed to it in full under a live agreement
    (not revoked, not expired), for roles that work with personal records."""
    if not account_rules.can_browse_people(user):
        return Case.objects.none()
    return Case.objects.filter(
        Q(owning_agency=user.agency_id) | InSubquery("pk", sharing.shared_case_ids(user.agency_id))
    )


def cases_editable_by(user) -> QuerySet[Case]:
    """Cases the user may change: their own agency's, never one shared with it."""
    if not account_rules.can_edit_people(user):
        return Case.objects.none()
    return Case.objects.filter(owning_agency=user.agency_id)


def referrals_visible_to(user) -> QuerySet[Referral]:
    """The user's own referrals, plus every sent referral to a programme their agency leads
    (for those who triage)."""
    scope = Q(referrer=user.pk)
    if can_triage(user):
        scope |= Q(programme__lead_agency=user.agency_id) & ~Q(status=ReferralStatus.DRAFT)
    return Referral.objects.filter(scope)


def triage_queue(user) -> QuerySet[Referral]:
    """Sent referrals waiting for a decision, oldest first."""
    if not can_triage(user):
        return Referral.objects.none()
    return (
        referrals_visible_to(user)
        .filter(status=ReferralStatus.SUBMITTED)
        .select_related("referrer_agency", "source")
        .order_by("submitted_at")
    )


def my_referrals(user) -> QuerySet[Referral]:
    """The referrals the user made, through the referral gate."""
    return (
        referrals_visible_to(user)
        .filter(referrer=user.pk)
        .select_related("case", "source")
        .order_by("-created_at")
    )


def overdue_tasks(user, today: datetime.date | None = None) -> QuerySet[Task]:
    """Open tasks past their due date on the cases the user may see."""
    return open_tasks_visible_to(user).filter(due_on__lt=today or dates.today())


def search_cases(
    user,
    *,
    query: str = "",
    status: str = "",
    exploitation_type: str = "",
    area_id: str = "",
    risk_level: str = "",
    lead_officer_id: str = "",
    overdue_only: bool = False,
    order: str = "-referral_date",
) -> QuerySet[Case]:
    """The case list: filters, search by name, reference or postcode, a fixed number of queries."""
    cases = cases_visible_to(user)
    for word in query.split():
        # The matching references, people and places are found first and the cases by their
        # keys (safehold/people/search.py): a join filtered row by row scanned every case
        # with its subject (ten times slower on 100,000 cases in PostgreSQL).
        names = Q(given_name__icontains=word) | Q(family_name__icontains=word)
        postcodes = Q(postcode__icontains=word.upper()) | Q(postcode__iexact=word)
        people = Person.objects.filter(names).values_list("pk", flat=True)
        places = Location.objects.filter(postcodes).values_list("pk", flat=True)
        by_reference, by_subject, by_place = matching_all(
            Lookup(
                Case.objects.filter(reference__icontains=word).values_list("pk", flat=True),
                "pk", word, Q(reference__icontains=word),
            ),
            Lookup(people, "subject", word, Q(subject__in=people)),
            Lookup(places, "location", word, Q(location__in=places)),
        )  # fmt: skip
        cases = cases.filter(by_reference | by_subject | by_place)
    if status:
        cases = cases.filter(status=status)
    if exploitation_type:
        cases = cases.filter(exploitation_type=exploitation_type)
    if area_id:
        cases = cases.filter(area_id=area_id)
    if risk_level:
        cases = cases.filter(risk_level=risk_level)
    if lead_officer_id:
        cases = cases.filter(lead_officer_id=lead_officer_id)
    # Overdue open work on each listed case (`overdue_tasks`), without repeating the read gate
    # inside the subquery: the case it is matched to already passed the gate, so the rows are
    # the same, and the page's query has one gate to plan instead of two (ADR 0065).
    overdue = Task.objects.filter(OPEN_TASK, case=OuterRef("pk"), due_on__lt=dates.today())
    risk_rank = DbCase(
        When(risk_level=RiskLevel.HIGH, then=Value(3)),
        When(risk_level=RiskLevel.MEDIUM, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    cases = cases.annotate(has_overdue=Exists(overdue), risk_rank=risk_rank)
    if overdue_only:
        cases = cases.filter(has_overdue=True)
    return cases.select_related("subject", "location", "area", "lead_officer").order_by(
        order, "reference"
    )


def case_detail(user, pk) -> QuerySet[Case]:
    """One case with everything its page shows, in a fixed number of queries."""
    return (
        cases_visible_to(user)
        .filter(pk=pk)
        .select_related(
            "subject",
            "location",
            "location__ward",
            "area",
            "lead_officer",
            "owning_agency",
            "referral",
            "referral__referrer",
            "referral__referrer_agency",
            "referral_source",
            "programme",
            "asb_handover",
            "asb_handover__team",
        )
        .prefetch_related(
            Prefetch(
                "chronology",
                queryset=ChronologyEntry.objects.select_related("recorded_by__agency"),
            ),
            # A linked person is fetched on its own, not joined: one no longer shared with the
            # reader is hidden by row-level security and its link must still be listed.
            "links__person",
            # Users, agencies and intervention types are not personal records (no row-level
            # security): joined, one query each instead of one per relation (ADR 0065).
            Prefetch(
                "interventions", queryset=Intervention.objects.select_related("type", "agency")
            ),
            Prefetch("enforcement", queryset=EnforcementAction.objects.select_related("agency")),
            "enforcement__against",
            "enforcement__documents",
            Prefetch("tasks", queryset=Task.objects.select_related("owner", "owner_agency")),
            Prefetch("risk_history", queryset=RiskAssessment.objects.select_related("assessed_by")),
            "subject__vulnerabilities",
            "referral__signs",
            Prefetch(
                "later_referrals",
                queryset=Referral.objects.select_related("referrer_agency")
                .prefetch_related("signs")
                .order_by("submitted_at"),
            ),
        )
    )


def tasks_visible_to(user) -> QuerySet[Task]:
    return Task.objects.filter(case__in=cases_visible_to(user))


# Open work: a task still to do on a case still open. A task left open on a closed case (before
# closing asked what to do with them, ADR 0035) is never counted, listed or overdue.
OPEN_TASK = Q(status=TaskStatus.OPEN, case__status=CaseStatus.OPEN)


def open_tasks_visible_to(user) -> QuerySet[Task]:
    """Tasks still to do on open cases the user may see: every count of open work uses this."""
    return tasks_visible_to(user).filter(OPEN_TASK)


def my_tasks(user) -> QuerySet[Task]:
    return open_tasks_visible_to(user).filter(owner=user.pk).select_related("case", "case__subject")


def team_tasks(user) -> QuerySet[Task]:
    """Open tasks owned by the user's teammates or by the agency itself."""
    # Not user.teams.values("members"): that reuses the join to this user and finds only them.
    teammates = User.objects.filter(teams__in=user.teams.all()).values("pk")
    return (
        open_tasks_visible_to(user)
        .filter(Q(owner__in=teammates) | Q(owner__isnull=True, owner_agency=user.agency_id))
        .select_related("case", "case__subject", "owner")
        .order_by("due_on")
    )


def full_share_partners(case: Case) -> QuerySet:
    """The agencies a case is shared with in full, live now: they may be given its tasks."""
    return Agency.objects.filter(
        pk__in=Disclosure.objects.live()
        .filter(case=case, level=DisclosureLevel.FULL)
        .values("to_agency")
    ).order_by("name")


@dataclass(frozen=True)
class StillOpen:
    """What is still open on a case that is about to close."""

    tasks: list[Task]
    enforcement: list[EnforcementAction]
    shares: list

    def __bool__(self) -> bool:
        return bool(self.tasks or self.enforcement or self.shares)


def still_open(user, case: Case) -> StillOpen:
    """The tasks still to do, enforcement in force and live shares of a case the user can see."""
    today = dates.today()
    in_force = case.enforcement.filter(status=EnforcementStatus.IN_FORCE).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    return StillOpen(
        tasks=list(
            case.tasks.filter(status=TaskStatus.OPEN).select_related("owner", "owner_agency")
        ),
        enforcement=list(in_force.select_related("agency")),
        shares=list(
            sharing.shared_with(user, case=case)
            .filter(pk__in=Disclosure.objects.live(today).values("pk"))
            .select_related("to_agency", "agreement")
        ),
    )


def asb_queue(user) -> QuerySet[AsbHandover]:
    """Cases passed to an ASB team the user belongs to."""
    return (
        AsbHandover.objects.filter(team__in=user.teams.all(), case__in=cases_visible_to(user))
        .select_related("case", "case__subject", "case__location", "handed_over_by", "team")
        .order_by("acknowledged_at", "-created_at")
    )


def case_counts(user) -> dict:
    return cases_visible_to(user).aggregate(
        open=Count("pk", filter=Q(status=CaseStatus.OPEN)), all=Count("pk")
    )


@dataclass(frozen=True)
class PersonCandidate:
    """A person who may be the referral's subject, and why we think so."""

    person: Person
    reasons: tuple[str, ...]
    case_references: tuple[str, ...]
    open_cases: tuple[Case, ...] = ()

    @property
    def label(self) -> str:
        born = f", born {self.person.date_of_birth:%-d %B %Y}" if self.person.date_of_birth else ""
        known = (
            f"; already has case {', '.join(self.case_references)}" if self.case_references else ""
        )
        return f"{self.person.full_name}{born} ({', '.join(self.reasons)}{known})"


@dataclass(frozen=True)
class LocationCandidate:
    location: Location
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.location.one_line} ({', '.join(self.reasons)})"


def likely_duplicates(
    user, referral: Referral
) -> tuple[list[PersonCandidate], list[LocationCandidate]]:
    """People and places already held that may be the referral's subject and address.

    People match on name (same last name and first name or initial), date of birth, or being
    the subject of a case at the same address; a person with a case makes this a repeat referral.
    """
    postcode = normalise_postcode(referral.postcode)
    first_line = referral.address_line_1.strip()
    locations = list(
        people_selectors.locations_visible_to(user)
        .filter(postcode=postcode)
        .order_by("address_line_1")
        if postcode
        else []
    )
    location_candidates = [
        LocationCandidate(
            loc,
            (
                "same address"
                if first_line and loc.address_line_1.lower() == first_line.lower()
                else "same postcode",
            ),
        )
        for loc in locations
    ]
    people = people_selectors.people_visible_to(user)
    given, family, dob = (
        referral.subject_given_name.strip(),
        referral.subject_family_name.strip(),
        referral.subject_date_of_birth,
    )
    match = Q(pk__in=[])
    if family:
        match |= Q(family_name__iexact=family) & (
            Q(given_name__iexact=given)
            | Q(given_name__istartswith=given[:1])
            | Q(date_of_birth=dob)
            if given or dob
            else Q()
        )
    if dob and given:
        match |= Q(date_of_birth=dob, given_name__iexact=given)
    # Only cases the user may see say anything about a person: another agency's case about a
    # person shared with the user (the case itself not shared) must not name or place them.
    # The referral's own case (opened from it, or it was added to) is not a duplicate of it.
    visible_cases = cases_visible_to(user).exclude(referral=referral.pk)
    if referral.added_to_case_id:
        visible_cases = visible_cases.exclude(pk=referral.added_to_case_id)
    if locations:
        match |= Q(pk__in=visible_cases.filter(location__in=locations).values("subject_id"))
    found = (
        people.filter(match)
        .distinct()
        .prefetch_related(
            Prefetch("cases", queryset=visible_cases.order_by("reference"), to_attr="known_cases")
        )[:20]
    )
    candidates = []
    for person in found:
        reasons = []
        if family and person.family_name.lower() == family.lower():
            reasons.append(
                "same name" if person.given_name.lower() == given.lower() else "similar name"
            )
        if dob and person.date_of_birth == dob:
            reasons.append("same date of birth")
        if any(c.location_id in {loc.pk for loc in locations} for c in person.known_cases):
            reasons.append("known at this address")
        candidates.append(
            PersonCandidate(
                person,
                tuple(reasons) or ("possible match",),
                tuple(c.reference for c in person.known_cases),
                tuple(c for c in person.known_cases if c.status == CaseStatus.OPEN),
            )
        )
    candidates.sort(key=lambda c: -len(c.reasons))
    return candidates, location_candidates
