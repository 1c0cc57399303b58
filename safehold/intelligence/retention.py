"""Intelligence on the governance retention review page (ADR 0049): graded intelligence whose
MoPI-style review date has come, for the grading police agency's governance roles. References
and dates only; the review itself is the intelligence team's (its queue lists the same)."""

from django.urls import reverse

from safehold.core.registry import ReviewRow
from safehold.intelligence import rules, selectors

POLICY = "Reviewed 6 years after grading, 10 years where there is a risk of serious harm"


def due_for_review(user, today) -> list[ReviewRow]:
    may_open = rules.can_assess(user)
    return [
        ReviewRow(
            record=intelligence,
            label=intelligence.reference,
            review_due_on=intelligence.review_on,
            href=reverse("intelligence:detail", args=[intelligence.pk]) if may_open else "",
            note="The police intelligence team, from its assessment queue",
        )
        for intelligence in selectors.reviews_governed_by(user, today)[:100]
    ]
