from django.db import models


class NotificationKind(models.TextChoices):
    """What a notice is about. The label is what the preferences page offers by e-mail."""

    REFERRAL_DECIDED = "referral_decided", "A referral you made was accepted or declined"
    CASE_SHARED = "case_shared", "A case or person was shared with your organisation"
    ACCESS_REQUESTED = "access_requested", "An access request needs your decision"
    ACCESS_ANSWERED = "access_answered", "Your access request was answered"
    TASK_ASSIGNED = "task_assigned", "A task was assigned to you"
    DEADLINE_TOMORROW = "deadline_tomorrow", "A deadline is tomorrow"
    MONITORING_ALERT = "monitoring_alert", "An unusual-viewing alert for information governance"
    MEETING_ACTION = "meeting_action", "A partnership meeting gave you an action"
