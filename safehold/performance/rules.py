"""Who may read the performance framework and who keeps it.

Reading the board report and the indicators: every role that sees reports (aggregates only;
safehold/reports/rules.py). Defining indicators, entering values and writing narratives:
analysts (performance officers are analysts) and administrators.
"""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import has_role
from safehold.reports.rules import can_view_reports

can_view_performance = can_view_reports
can_manage_performance = has_role(Role.ANALYST, Role.ADMINISTRATOR)

rules.add_rule("performance.view", can_view_performance)
rules.add_rule("performance.manage", can_manage_performance)
