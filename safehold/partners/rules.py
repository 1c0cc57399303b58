"""Who may see and upload their agency's partner extracts: the information-governance officers,
analysts and administrators of the agency that owns them (issue 17, item 1)."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import has_role

can_see_extracts = has_role(Role.IG_OFFICER, Role.ANALYST, Role.ADMINISTRATOR)
can_upload_extracts = can_see_extracts

rules.add_rule("partners.view_extracts", can_see_extracts)
rules.add_rule("partners.upload_extracts", can_upload_extracts)
