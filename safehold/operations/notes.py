"""What an operation says on the casework's pages (registered with core): a referral raised
during an operation says so, naming and linking the operation to those who see it; to others
(the triage team of an agency that did not take part) only that it was raised during one."""

from django.urls import reverse
from django.utils import timezone

from safehold.operations.models import OperationReferral
from safehold.operations.selectors import operations_visible_to


def referral_notes(user, referral) -> list[dict]:
    link = OperationReferral.objects.filter(referral_id=referral.pk).first()
    if link is None:
        return []
    operation = operations_visible_to(user).filter(pk=link.operation_id).first()
    if operation is None:
        return [
            {
                "text": "Raised during a multi-agency operation (its details are held by the "
                "agencies that took part)",
                "href": "",
            }
        ]
    day = timezone.localdate(operation.starts_at)
    return [
        {
            "text": f"Raised during operation {operation.name} on {day.day} {day:%B %Y}",
            "href": reverse("operations:detail", args=[operation.pk]),
        }
    ]
