"""Who may answer subject access requests and review retention: the agency's information
governance officers and administrators (as controller, an agency answers for what it holds)."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import has_role

can_govern = has_role(Role.IG_OFFICER, Role.ADMINISTRATOR)

rules.add_rule("governance.govern", can_govern)
# For templates: `{% if perms.governance.govern %}` (answered by the rules backend).
rules.add_perm("governance.govern", can_govern)
