"""Tasks on a case: adding one for a user or an agency, and marking it done."""

import datetime

from django.db import transaction
from django.utils import timezone

from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.cases import rules
from safehold.cases.choices import TaskStatus
from safehold.cases.models import Case, Task
from safehold.cases.services import notices
from safehold.cases.services.cases import (
    CaseError,
    audit_change,
    record_event,
    require_open,
    require_open_for,
)
from safehold.sharing.selectors import shared_case_ids


@transaction.atomic
def add_task(
    *,
    case: Case,
    by: User,
    title: str,
    due_on: datetime.date,
    owner: User | None = None,
    owner_agency: Agency | None = None,
) -> Task:
    """A task owned by a user (their agency owns it too) or by an agency alone."""
    require_open(case, by)
    if owner is not None and owner.agency_id != case.owning_agency_id:
        raise CaseError("The task's owner must work for the agency that holds the case")
    if owner is not None and owner_agency is not None:
        raise CaseError("Give the task to a person or to an organisation, not both")
    if owner_agency is not None and owner_agency.pk != case.owning_agency_id:
        # A partner agency is given a task only on a case shared with it in full, live now.
        if not shared_case_ids(owner_agency.pk).filter(case_id=case.pk).exists():
            raise CaseError(f"The case is not shared in full with {owner_agency.name}")
    agency = owner.agency if owner else (owner_agency or case.owning_agency)
    task = Task.objects.create(
        case=case, title=title, due_on=due_on, owner=owner, owner_agency=agency
    )
    audit_change(case, by, "task added", action=Action.COLLECT, target=task)
    notices.task_assigned(task, by)
    return task


@transaction.atomic
def complete_task(*, task: Task, by: User) -> Task:
    """Mark a task done (done again is no change): by the holder, or by a partner agency the
    case is shared with in full when the task is assigned to it."""
    require_open_for(by, task.case, rules.can_complete_task, task, "complete this task")
    if task.status == TaskStatus.DONE:
        return task
    task.status, task.completed_at, task.completed_by = TaskStatus.DONE, timezone.now(), by
    task.save(update_fields=["status", "completed_at", "completed_by", "modified_at"])
    record_event(task.case, f"Task done: {task.title}", by)
    audit_change(task.case, by, "task completed", target=task)
    return task
