"""Who may do what with intelligence (ADR 0049).

- Any partner's casework roles (caseworker, supervisor; administrator as everywhere) submit.
- The police intelligence role is an analyst or supervisor of an agency of kind police: it
  reads every submission in full, grades, sanitises and records what was done.
- The submitting agency's people browsers see its submissions' reference, date and status.
- Other partners' people browsers see a graded submission's sanitised text, grading and
  handling code when the handling code lets their agency have it (selectors.py).
"""

import rules

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.rules import can_browse_people, can_edit_people, has_role

can_submit = can_edit_people
can_see_own = can_browse_people
can_see_shared = can_browse_people


@rules.predicate
def in_police_agency(user) -> bool:
    return bool(
        user and user.is_authenticated and user.agency_id and user.agency.kind == AgencyKind.POLICE
    )


is_police_intelligence = has_role(Role.ANALYST, Role.SUPERVISOR) & in_police_agency
can_assess = is_police_intelligence
may_use_intelligence = can_submit | can_see_own | is_police_intelligence
# The police agency's information governance roles see, on the retention review page, which
# intelligence graded by their agency is due for review (references and dates only).
reviews_retention = has_role(Role.IG_OFFICER, Role.ADMINISTRATOR) & in_police_agency
# In the menu of a police analyst only (short menu); the casework roles' menus are full at
# 1280 px, so their home page's intelligence panel links the pages (panels.py).
in_navigation = has_role(Role.ANALYST) & in_police_agency

rules.add_rule("intelligence.submit", can_submit)
rules.add_rule("intelligence.assess", can_assess)
