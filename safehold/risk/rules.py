"""Who may do what with the top indicators list (issue 18): the analysts, the exploitation
team's supervisors and caseworkers, IG officers and administrators read it (each sees of it what
the sharing rules let them); the officers who would act on an entry (caseworkers: tenancy
sustainment and exploitation officers) and their supervisors decide on its entries (ADR 0059);
administrators change the indicators' weights and thresholds."""

import rules

from safehold.accounts.choices import Role
from safehold.accounts.rules import has_role

can_see_list = has_role(
    Role.ANALYST, Role.SUPERVISOR, Role.CASEWORKER, Role.IG_OFFICER, Role.ADMINISTRATOR
)
can_review = has_role(Role.CASEWORKER, Role.SUPERVISOR)
can_change_indicators = has_role(Role.ADMINISTRATOR)
# The catalogue (names, documentation, weights) is no one's personal data: every list reader
# may read it, so the weights behind an entry are never a secret.
can_see_indicators = can_see_list

rules.add_rule("risk.see_list", can_see_list)
rules.add_rule("risk.review", can_review)
rules.add_rule("risk.change_indicators", can_change_indicators)
in_the_menu = has_role(Role.ANALYST)
# The backtest and fairness report show counts of 1 to 4 only to analysts; everyone else they
# are shown to reads "fewer than 5" (issue 18, item 5; ADR 0060).
can_see_small_numbers = has_role(Role.ANALYST)
rules.add_rule("risk.see_small_numbers", can_see_small_numbers)
