"""Who may load postcode points (ADR 0037): administrators. Every signed-in user's forms look
postcodes up; loading a file changes where every place of every agency is found."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import has_role

can_load_postcodes = has_role(Role.ADMINISTRATOR)

rules.add_rule("geography.load_postcodes", can_load_postcodes)
rules.add_perm("geography.load_postcodes", can_load_postcodes)
