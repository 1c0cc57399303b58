"""Who may use the search box: anyone who reads people and cases, or triages referrals (a
referrer finds their own referrals on their referrals page)."""

import rules

from safehold.accounts import rules as account_rules
from safehold.cases.rules import can_triage

can_search = account_rules.can_browse_people | can_triage

rules.add_rule("search.search", can_search)
