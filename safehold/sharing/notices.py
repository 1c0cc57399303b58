"""The notices sharing sends (safehold/notifications): a reference and a link, never a name.

A record known by name only is not even given its reference: the notice says a record was
shared and links to the page that shows what the share allows.
"""

from django.urls import reverse

from safehold.accounts import rules as account_rules
from safehold.notifications.choices import NotificationKind
from safehold.notifications.services import notify, users_of
from safehold.sharing import rules
from safehold.sharing.choices import DisclosureLevel
from safehold.sharing.models import AccessRequest, Disclosure


def _what(*, case, level: str = DisclosureLevel.FULL) -> tuple[str, str]:
    """The reference and link a notice about a record gives its reader."""
    if case is not None and level == DisclosureLevel.FULL:
        return f"Case {case.reference}", reverse("cases:detail", args=[case.pk])
    return ("A case" if case is not None else "A person's record"), ""


def shared(disclosure: Disclosure) -> None:
    """Tell the receiving agency's casework users that a record was shared with them."""
    reference, link = _what(case=disclosure.case, level=disclosure.level)
    if disclosure.person_id and disclosure.level == DisclosureLevel.FULL:
        link = reverse("people:detail", args=[disclosure.person_id])
    notify(
        recipients=users_of(disclosure.to_agency_id, account_rules.can_browse_people),
        kind=NotificationKind.CASE_SHARED,
        reference=f"{reference}, shared by {disclosure.from_agency.name}"
        f" ({disclosure.get_level_display().lower()})",
        link=link or reverse("sharing:who-else"),
    )


def access_requested(request: AccessRequest) -> None:
    """Tell the holding agency's users who decide that a request waits for them."""
    reference, _ = _what(case=request.case)
    notify(
        recipients=users_of(request.owning_agency_id, rules.can_decide_requests),
        kind=NotificationKind.ACCESS_REQUESTED,
        reference=f"{reference}, asked for by {request.requesting_agency.name}",
        link=reverse("sharing:requests"),
    )


def access_answered(request: AccessRequest) -> None:
    """Tell whoever asked that their request was decided."""
    notify(
        recipients=[request.requested_by],
        kind=NotificationKind.ACCESS_ANSWERED,
        reference=f"Your request to {request.owning_agency.name}: "
        f"{request.get_status_display().lower()}",
        link=reverse("sharing:requests-sent"),
    )
