"""Who may read the performance framework and who keeps it.

Reading the board report and the indicators: every role that sees the partnership's aggregates
(`accounts.rules.can_view_analytics`, as reports and the crime analytics do). Defining indicators, entering values and writing narratives:
analysts (performance officers are analysts) and administrators.
"""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import can_view_analytics, has_role

can_view_performance = can_view_analytics
can_manage_performance = has_role(Role.ANALYST, Role.ADMINISTRATOR)

rules.add_rule("performance.view", can_view_performance)
rules.add_rule("performance.manage", can_manage_performance)
