"""Who may see crime and ASB analytics (public police.uk data and partners' incident logs,
aggregates only: counts, never people) and who may import data for them."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import has_role
from safehold.reports.rules import can_view_reports

can_view_crime_analytics = can_view_reports | has_role(
    Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR
)
can_import_crime_data = has_role(Role.ANALYST, Role.ADMINISTRATOR)

rules.add_rule("crime.view", can_view_crime_analytics)
rules.add_rule("crime.import", can_import_crime_data)
