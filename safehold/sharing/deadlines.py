"""Agreements' review dates, a source of the deadlines registry (safehold/notifications)."""

import datetime

from django.urls import reverse

from safehold.notifications.deadlines import Deadline
from safehold.sharing import rules, selectors


def agreement_reviews(user, start: datetime.date, end: datetime.date) -> list[Deadline]:
    """Review dates of the agreements the user's agency is party to, for the governance roles
    that keep agreements current; theirs to act on when their agency manages the agreement."""
    if not rules.can_manage_agreements(user):
        return []
    agreements = (
        selectors.agreements_visible_to(user)
        .filter(review_date__gte=start, review_date__lte=end, end_date__isnull=True)
        .order_by("review_date", "title")
    )
    return [
        Deadline(
            day=agreement.review_date,
            what="Agreement review due",
            reference=f"Agreement: {agreement.title}",
            link=reverse("sharing:agreement", args=[agreement.pk]),
            uid=f"agreement-review-{agreement.pk}",
            mine=agreement.managed_by_id == user.agency_id,
        )
        for agreement in agreements
    ]
