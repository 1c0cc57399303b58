"""Who may review protective monitoring alerts: django-rules predicates, as in accounts."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import has_role

# IG officers review and acknowledge alerts. Administrators (who disable accounts) may read
# them, as they can open every other record of their agency, but the review is IG's decision.
can_review_alerts = has_role(Role.IG_OFFICER, Role.ADMINISTRATOR)
can_acknowledge_alerts = has_role(Role.IG_OFFICER)

rules.add_rule("monitoring.review_alerts", can_review_alerts)
rules.add_rule("monitoring.acknowledge_alerts", can_acknowledge_alerts)
