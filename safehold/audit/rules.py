"""Who may read the audit log. The audit app sits below accounts (every app, accounts included,
writes to the log; ADR 0033), so it asks for the rule by name; accounts defines it from roles
(`accounts/rules.py`: "audit.search", information-governance officers)."""

import rules


def can_search_audit(user) -> bool:
    return rules.test_rule("audit.search", user)
