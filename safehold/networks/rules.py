"""Who may do what with the network (ADR 0050): the casework roles and analysts see it (people
and places in it only as their own gates allow); caseworkers, supervisors, analysts and
administrators record it; a group's profile is changed by its owning agency only."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import can_browse_people, has_role

can_see = can_browse_people | has_role(Role.ANALYST)
can_record = has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR)
# Analysts' menu has room at 1280 px; the casework roles' menus are full (ADR 0040), so they
# reach the groups from an object's or a person's links and the analysts' pages.
in_navigation = has_role(Role.ANALYST)

rules.add_rule("networks.see", can_see)
rules.add_rule("networks.record", can_record)


def owns(user, record) -> bool:
    return record.owning_agency_id == user.agency_id


def may_change_group(user, ocg) -> bool:
    """The owning agency's recording roles change a group's profile."""
    return bool(can_record(user) and owns(user, ocg))
