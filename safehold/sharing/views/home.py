"""The sharing panel of the home page ("my work"): access requests waiting for my decision,
and what other agencies shared with mine in the last week. References only, never names."""

import datetime

from django.utils import timezone

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.audit.choices import Action
from safehold.sharing import rules, selectors
from safehold.sharing.choices import AccessRequestStatus, DisclosureLevel

NEW_FOR = datetime.timedelta(days=7)
SHOWN = 10


def home_panel(user) -> dict:
    if not account_rules.can_browse_people(user):
        return {}
    context: dict = {}
    if rules.can_decide_requests(user):
        waiting = selectors.access_requests_to(user).filter(status=AccessRequestStatus.PENDING)
        context["requests_waiting"] = list(waiting.order_by("created_at")[:SHOWN])
    shares = (
        selectors.live_disclosures_to(user.agency_id, level=None)
        .filter(created_at__gte=timezone.now() - NEW_FOR)
        .select_related("from_agency", "case")
        .order_by("-created_at")
    )
    context["new_shares"] = list(shares[:SHOWN])
    # A case's reference is shown for a full share only (a name-only share gives no reference).
    for share in context["new_shares"]:
        share.shows_reference = share.case_id is not None and share.level == DisclosureLevel.FULL
    shown = context["requests_waiting"] if "requests_waiting" in context else []
    if shown:
        audit.record(
            action=Action.CONSULT,
            actor=user,
            targets=shown,
            object_ids=[r.case_id or r.person_id for r in shown],
            purpose="my work: access requests",
        )
    if context["new_shares"]:
        audit.record(
            action=Action.CONSULT,
            actor=user,
            targets=context["new_shares"],
            object_ids=[d.case_id or d.person_id for d in context["new_shares"]],
            purpose="my work: shared with us",
        )
    return context
