"""Who may use crime analytics (public police.uk data, aggregates only) and who may import."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import has_role
from safehold.reports.rules import can_view_reports

can_view_crime = can_view_reports | has_role(Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR)
can_import_crime = has_role(Role.ANALYST, Role.ADMINISTRATOR)

rules.add_rule("crime.view", can_view_crime)
rules.add_rule("crime.import", can_import_crime)
