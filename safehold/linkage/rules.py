"""Who may do what with linkage (issue 17, ADR 0055). Running it and reviewing its pairs is the
information-governance officers' and analysts' work; a reviewer decides on a pair when one of
its two records is their own agency's (a Safehold person it owns, or a row of its extract)."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import can_browse_people, has_role

can_run_linkage = has_role(Role.IG_OFFICER, Role.ANALYST)
can_review = has_role(Role.IG_OFFICER, Role.ANALYST)
# The front door's "possible matches across the partnership": whoever browses people (the
# caseworkers who triage, their supervisors, IG officers, administrators).
can_see_matches = can_browse_people
# The pages (the runs' figures, the queue, a pair, the decisions) also open read-only for the
# agency's administrators, who already see its extracts (partners.rules.can_see_extracts).
can_see_linkage = has_role(Role.IG_OFFICER, Role.ANALYST, Role.ADMINISTRATOR)
# "Linkage" in the menu: the analysts'. IG officers' and administrators' menus are full at
# 1280 px; their "Governance" stands for it, and the governance page links to it.
in_the_menu = has_role(Role.ANALYST)


def can_decide_pair(user, pair) -> bool:
    return bool(
        can_review(user)
        and user.agency_id is not None
        and user.agency_id in (pair.left.agency_id, pair.right.agency_id)
    )


def can_reverse_decision(user, decision) -> bool:
    """A reviewer of either agency of the pair the decision was made on takes it back."""
    return decision.pair_id is not None and can_decide_pair(user, decision.pair)


rules.add_rule("linkage.run", can_run_linkage)
rules.add_rule("linkage.review", can_review)
