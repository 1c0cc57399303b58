"""Who may see reports (aggregates only) and who sets their money figures."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import can_browse_people, has_role

can_view_reports = can_browse_people | has_role(Role.ANALYST)
# Of the programme's lead agency: checked against the programme where it is used.
can_set_report_figures = has_role(Role.IG_OFFICER, Role.ADMINISTRATOR, Role.SUPERVISOR)

rules.add_rule("reports.view", can_view_reports)
rules.add_perm("reports.view", can_view_reports)
