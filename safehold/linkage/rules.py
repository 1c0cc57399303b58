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


def can_decide_pair(user, pair) -> bool:
    return bool(
        can_review(user)
        and user.agency_id is not None
        and user.agency_id in (pair.left.agency_id, pair.right.agency_id)
    )


rules.add_rule("linkage.run", can_run_linkage)
rules.add_rule("linkage.review", can_review)
