"""The casework panel of the home page ("my work"): my open cases with their next deadline,
my tasks due and overdue (and my team's, for a supervisor), referrals waiting for my triage,
and enforcement deadlines in the next 14 days. A fixed number of queries, and the records shown
are audited like any list of them."""

import datetime

from django.db.models import Min, Prefetch, Q

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.accounts.choices import Role
from safehold.audit.choices import Action
from safehold.cases import deadlines, selectors
from safehold.cases.choices import CaseStatus, TaskStatus
from safehold.cases.models import EnforcementAction
from safehold.cases.rules import can_triage
from safehold.core import dates

SOON = datetime.timedelta(days=7)
ENFORCEMENT_AHEAD = datetime.timedelta(days=14)
SHOWN = 10


def _my_cases(user, today: datetime.date) -> list:
    """My open cases (I am the lead officer), each with its next deadline."""
    cases = list(
        selectors.cases_visible_to(user)
        .filter(lead_officer=user.pk, status=CaseStatus.OPEN)
        .annotate(
            next_task=Min("tasks__due_on", filter=Q(tasks__status=TaskStatus.OPEN)),
        )
        .prefetch_related(Prefetch("enforcement", queryset=EnforcementAction.objects.all()))
        .order_by("reference")[:20]
    )
    for case in cases:
        due = [case.next_task] if case.next_task else []
        for action in case.enforcement.all():
            due += [deadlines._day(d.due) for d in deadlines.deadlines_for(action)]
        ahead = [d for d in due if d >= today]
        overdue = [d for d in due if d < today]
        case.next_deadline = min(overdue) if overdue else min(ahead, default=None)
        case.deadline_overdue = bool(overdue)
    return sorted(cases, key=lambda c: (c.next_deadline is None, c.next_deadline, c.reference))


def home_panel(user) -> dict:
    if not (can_triage(user) or account_rules.can_browse_people(user)):
        return {}  # a referrer's or an analyst's work is elsewhere (their referrals, reports)
    today = dates.today()
    # Set-up is linked from here, not the menu: an administrator's menu is full at 1280 px.
    context: dict = {
        "today": today,
        "waiting": None,
        "set_up": account_rules.can_manage_users(user),
    }
    if can_triage(user):
        queue = selectors.triage_queue(user)
        context["waiting"] = queue.count()
        context["triage"] = list(queue[:5])
    if not account_rules.can_browse_people(user):
        return context
    mine = selectors.my_tasks(user)
    context["open_tasks"] = mine.count()
    context["overdue_tasks"] = mine.filter(pk__in=selectors.overdue_tasks(user, today)).count()
    context["tasks"] = list(mine.filter(due_on__lte=today + SOON).order_by("due_on")[:SHOWN])
    if user.role == Role.SUPERVISOR:
        context["team_tasks"] = list(
            selectors.team_tasks(user)
            .exclude(owner=user.pk)
            .filter(due_on__lte=today + SOON)[:SHOWN]
        )
    context["my_cases"] = _my_cases(user, today)
    context["enforcement"] = deadlines.enforcement_deadlines(user, today, today + ENFORCEMENT_AHEAD)
    shown_tasks = context["tasks"] + context.get("team_tasks", [])
    cases = {c.pk: c for c in context["my_cases"]}
    cases |= {t.case.pk: t.case for t in shown_tasks}
    cases |= {d.record.pk: d.record for d in context["enforcement"]}
    if cases:
        audit.record(
            action=Action.CONSULT,
            actor=user,
            targets=list(cases.values()),
            subjects=[c.subject_id for c in cases.values()],
            purpose="my work",
        )
    return context
