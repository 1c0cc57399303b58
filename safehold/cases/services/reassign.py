"""Handing a leaving caseworker's work to a colleague: the open cases they lead and the open
tasks they own, all at once or none, each case's change audited."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, QuerySet

from safehold import audit
from safehold.accounts.models import User
from safehold.accounts.rules import can_edit_people, can_manage_users
from safehold.audit.choices import Action
from safehold.cases.choices import CaseStatus, TaskStatus
from safehold.cases.models import Case, Task
from safehold.core.errors import NotPermitted, ServiceError


class ReassignError(ServiceError):
    """The work cannot go to that colleague (themselves, another agency, a role without cases)."""


@dataclass(frozen=True)
class Work:
    """A user's open work within their own agency."""

    cases: QuerySet[Case]
    tasks: QuerySet[Task]


def open_work_of(user: User) -> Work:
    """The open cases the user leads and the open tasks they own, in their agency's records."""
    cases = Case.objects.filter(
        lead_officer=user, status=CaseStatus.OPEN, owning_agency=user.agency_id
    ).select_related("subject")
    tasks = Task.objects.filter(
        owner=user, status=TaskStatus.OPEN, case__owning_agency=user.agency_id
    ).select_related("case")
    return Work(cases=cases.order_by("reference"), tasks=tasks.order_by("due_on", "pk"))


def require_may_reassign(by: User | None, leaving: User) -> None:
    if by is not None and not (can_manage_users(by) and by.agency_id == leaving.agency_id):
        raise NotPermitted("Only an administrator of their organisation may reassign their work")


@transaction.atomic
def reassign_work(*, leaving: User, to: User, by: User | None) -> tuple[int, int]:
    """Give every open case `leaving` leads and every open task they own to `to`; returns how
    many cases and tasks moved. One audit event per case changed, naming what moved."""
    require_may_reassign(by, leaving)
    if to.pk == leaving.pk:
        raise ReassignError("Choose someone else to take the work")
    if to.agency_id != leaving.agency_id:
        raise ReassignError("Choose someone in the same organisation")
    if not to.is_active or not can_edit_people(to):
        raise ReassignError(f"{to.full_name} cannot hold cases: choose a caseworker or supervisor")
    work = open_work_of(leaving)
    cases = list(work.cases.select_for_update(of=("self",)))
    tasks = list(work.tasks.select_for_update(of=("self",)))
    # A change to the case like any other: an edit page opened before it is refused (ADR 0061).
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        lead_officer=to, version=F("version") + 1
    )
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(owner=to)
    by_case: dict = {}
    for case in cases:
        by_case.setdefault(case.pk, (case, []))
    for task in tasks:
        by_case.setdefault(task.case_id, (task.case, []))[1].append(task)
    for case, moved_tasks in by_case.values():
        led = case.lead_officer_id == leaving.pk
        audit.record(
            action=Action.ALTER, actor=by, target=case, targets=moved_tasks,
            subjects=[case.subject_id], recipient_users=[to.pk],
            purpose="work reassigned: " + ", ".join(
                p for p, on in (("lead officer", led), (f"{len(moved_tasks)} task(s)", moved_tasks))
                if on
            ),
        )  # fmt: skip
    return len(cases), len(tasks)
