"""Who may see crime and ASB analytics (public police.uk data, aggregates only: counts, never
people) and who may import data for them: the analytics roles of safehold/accounts/rules.py,
which partners' incident logs share (safehold/incidents/rules.py)."""

import rules

from safehold.accounts.rules import can_import_analytics_data, can_view_analytics

can_view_crime_analytics = can_view_analytics
can_import_crime_data = can_import_analytics_data

rules.add_rule("crime.view", can_view_crime_analytics)
rules.add_rule("crime.import", can_import_crime_data)
