"""Who plans and records reassurance: the casework roles (neighbourhood, housing and casework
officers are caseworkers or supervisors of their agency), from the accounts predicates. People
who browse places may see batches; those who edit people may plan, print and record."""

import rules

from safehold.accounts.rules import can_browse_people, can_edit_people

can_see = can_browse_people
can_work = can_edit_people

rules.add_rule("reassurance.see", can_see)
rules.add_rule("reassurance.work", can_work)
