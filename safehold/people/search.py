"""Searching by part of a name, reference, address or postcode, fast on PostgreSQL under
row-level security.

Searches are `icontains` (UPPER(column) LIKE UPPER('%word%')), which trigram indexes serve
(migrations people/0004, cases/0006). But under row-level security (ADR 0011) PostgreSQL may
not use an index for an operator that is not leakproof, and LIKE is not: every search scanned
every row with the policy evaluated on each (bench/load_test.py: 115 ms for one person search
of 100,000 people, twice a page with its count). So the matching keys are looked up first as
the system, through the index, and the reader's own gated query is filtered by those keys
(uuid equality is leakproof, so its indexes serve it). Only keys come back from the lookup,
never a row, and nothing is shown but what the read gate and the policies allow (ADR 0022).
"""

from django.db import connection
from django.db.models import Q, QuerySet

from safehold.sharing.middleware import unrestricted

# A word this short has no trigram to look up; more matches than this are not a selective
# search, and filtering by the condition itself is as quick.
MIN_LENGTH = 3
MAX_KEYS = 2000


def matching(keys: QuerySet, *, field: str, word: str, otherwise: Q) -> Q:
    """`Q(<field>__in=…)` with the keys that `keys` (a flat `values_list` of the rows the
    search matches, not gated) finds, or `otherwise` (the same search as a condition on the
    gated query) where looking the keys up first would not help: on SQLite, for a short word,
    or when the search matches too many rows."""
    if connection.vendor != "postgresql" or len(word) < MIN_LENGTH:
        return otherwise
    with unrestricted():
        found = list(keys.order_by()[: MAX_KEYS + 1])
    if len(found) > MAX_KEYS:
        return otherwise
    return Q(**{f"{field}__in": found})
