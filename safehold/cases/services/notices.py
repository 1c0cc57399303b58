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
