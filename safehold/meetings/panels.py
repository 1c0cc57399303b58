"""What the meetings add to the home page ("my actions") and to the deadlines calendar (the
due dates of open actions), each read through the actions' gate."""

import datetime

from django.urls import reverse

from safehold import audit
from safehold.audit.choices import Action as AuditAction
from safehold.meetings import rules, selectors
from safehold.notifications.deadlines import Deadline

PANEL_ROWS = 5


def my_actions_panel(user) -> dict:
    """The user's first open actions (a fixed number of queries), audited when shown."""
    if not rules.can_see(user):
        return {}
    actions = list(selectors.my_actions(user)[:PANEL_ROWS])
    # Meetings are not in every role's menu (some are full): the home page links them.
    link = not rules.in_the_menu(user)
    if not actions:
        return {"meetings_link": True} if link else {}
    audit.record(
        action=AuditAction.CONSULT, actor=user, targets=actions,
        subjects=[a.case.subject_id for a in actions if a.case_id], purpose="my meeting actions",
    )  # fmt: skip
    return {"meeting_actions": actions, "meetings_link": link}


def action_deadlines(user, start: datetime.date, end: datetime.date) -> list[Deadline]:
    """Open actions due from `start` to `end` that the user may see: a reference and a link."""
    actions = selectors.actions_visible_to(user).filter(
        done_on__isnull=True, due_on__gte=start, due_on__lte=end
    )
    return [
        Deadline(
            day=action.due_on,
            what="Meeting action due",
            reference=f"Case {action.case.reference}" if action.case_id else str(action.meeting),
            link=reverse("meetings:actions", args=[action.meeting_id]),
            uid=f"meeting-action-{action.pk}",
            mine=action.owner_id == user.pk
            or (action.owner_id is None and action.owning_agency_id == user.agency_id),
            record=action.case,
        )
        for action in actions.order_by("due_on", "pk")
    ]
