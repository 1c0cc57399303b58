"""Who may see and record visits: the casework roles, from the accounts predicates."""

import rules

from safehold.accounts.rules import can_browse_people, can_edit_people

can_see = can_browse_people
can_record = can_edit_people

rules.add_rule("example.see", can_see)
rules.add_rule("example.record", can_record)
