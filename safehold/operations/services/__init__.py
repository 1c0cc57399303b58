"""Every write of operations: one function per use case, atomic, checked against its actor and
audited in the same transaction (planning.py, results.py, casework.py, imports.py)."""
