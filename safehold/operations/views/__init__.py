"""Operation pages: parse input, call a selector or one service, audit what was shown, render
(plan.py: the list and planning; operation.py: one operation; record.py: results and what
goes to the casework; summary.py: the results summary)."""
