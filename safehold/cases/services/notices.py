"""The notices casework sends (safehold/notifications): a reference and a link, never a name."""

from django.urls import reverse

from safehold.accounts.models import User
from safehold.cases.models import Referral, Task
from safehold.notifications.choices import NotificationKind
from safehold.notifications.services import notify


def referral_decided(referral: Referral) -> None:
    """Tell the referrer their referral was accepted, declined or signposted."""
    if referral.referrer_id is None:
        return  # an anonymous referral from the public form: nobody to tell
    notify(
        recipients=[referral.referrer],
        kind=NotificationKind.REFERRAL_DECIDED,
        reference=f"Referral {referral.reference}: {referral.get_status_display().lower()}",
        link=reverse("cases:referral-detail", args=[referral.pk]),
    )


def task_assigned(task: Task, by: User) -> None:
    """Tell a task's owner it is theirs, unless they gave it to themselves."""
    if task.owner_id is None or task.owner_id == by.pk:
        return
    notify(
        recipients=[task.owner],
        kind=NotificationKind.TASK_ASSIGNED,
        reference=f"Case {task.case.reference}: a task due {task.due_on:%-d %B %Y}",
        link=reverse("cases:detail", args=[task.case_id]),
    )


def tasks_handed_over(case, tasks: list[Task], to: User, by: User | None) -> None:
    """Tell the person given a closing case's open tasks that they are theirs now (ADR 0035:
    handed-over tasks are no longer open work in Safehold, so this notice is their reminder)."""
    if not tasks or (by is not None and to.pk == by.pk):
        return
    count = f"{len(tasks)} task{'s' if len(tasks) > 1 else ''}"
    notify(
        recipients=[to],
        kind=NotificationKind.TASK_ASSIGNED,
        reference=f"Case {case.reference}: {count} handed over to you when it closed",
        link=reverse("cases:detail", args=[case.pk]),
    )
