"""Who may see partners' incident logs (aggregates only: counts, heat maps and hot spots, never
people) and who may upload them: the same roles as police.uk crime (safehold/accounts/rules.py),
so one "Crime and ASB" section serves both."""

import rules

from safehold.accounts.rules import can_import_analytics_data, can_view_analytics

can_view_incidents = can_view_analytics
can_import_incidents = can_import_analytics_data

rules.add_rule("incidents.view", can_view_incidents)
rules.add_rule("incidents.import", can_import_incidents)
