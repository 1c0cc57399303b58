"""Who may do what with operations: the casework roles of the agencies taking part see and
record them; the results summary (counts only) is for anyone who sees reports."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import (
    can_browse_people,
    can_edit_people,
    can_view_analytics,
    has_role,
)

can_see = can_browse_people
can_plan = can_edit_people
can_record = can_edit_people
can_see_summary = can_view_analytics
# In the caseworker's menu; a supervisor's is full at 1280 px (the ASB queue), so their home
# page's operations panel links the operations instead.
in_navigation = has_role(Role.CASEWORKER)

rules.add_rule("operations.see", can_see)
rules.add_rule("operations.plan", can_plan)
rules.add_rule("operations.record", can_record)
rules.add_rule("operations.summary", can_see_summary)


def takes_part(user, operation) -> bool:
    """The user's agency leads the operation or is one of its partners."""
    if operation.owning_agency_id == user.agency_id:
        return True
    return operation.partners.filter(agency_id=user.agency_id).exists()


def leads(user, operation) -> bool:
    return operation.owning_agency_id == user.agency_id
