"""Who may see meetings and who may run them: the casework roles, from the accounts predicates.
Which meeting, case or action a user may touch is the selectors' and the services' business."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import can_browse_people, can_edit_people, has_role

can_see = can_browse_people
can_take_part = can_edit_people
# The menu item: an administrator's, a supervisor's and a caseworker's menus are full at 1280 px,
# so their home page (My actions) links the meetings instead, and a caseworker's Operations item
# stands for them (its page links them too).
in_the_menu = can_see & ~has_role(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)


@rules.predicate
def can_run(user, series) -> bool:
    """The chairing agency's casework roles run its series' meetings (items, minutes, close)."""
    return can_edit_people(user) and series.owning_agency_id == user.agency_id


rules.add_rule("meetings.see", can_see)
rules.add_rule("meetings.run", can_run)
