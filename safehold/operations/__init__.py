"""Multi-agency operations: warrants days, days of action, patrol plans and engagement events,
their target premises and people of interest, and their results, which feed the casework
(a safeguarding referral into triage, a closure notice onto the case) and the partnership's
"since May: 31 arrests…" summary."""
