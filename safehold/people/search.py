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

from typing import NamedTuple

from django.db import connection
from django.db.models import Q, QuerySet

from safehold.sharing.middleware import unrestricted

# A word this short has no trigram to look up; more matches than this are not a selective
# search, and filtering by the condition itself is as quick.
MIN_LENGTH = 3
MAX_KEYS = 2000


class Lookup(NamedTuple):
    """One search condition for `matching_all`: `keys` (a flat `values_list` of the rows the
    search matches, not gated), the gated query's `field` those keys are of, the `word`, and
    `otherwise`: the same search as a condition on the gated query."""

    keys: QuerySet
    field: str
    word: str
    otherwise: Q


def matching(keys: QuerySet, *, field: str, word: str, otherwise: Q) -> Q:
    """`Q(<field>__in=…)` with the keys that `keys` (a flat `values_list` of the rows the
    search matches, not gated) finds, or `otherwise` (the same search as a condition on the
    gated query) where looking the keys up first would not help: on SQLite, for a short word,
    or when the search matches too many rows."""
    return matching_all(Lookup(keys, field, word, otherwise))[0]


def matching_all(*lookups: Lookup) -> list[Q]:
    """`matching` for several conditions at once (a search by reference, name and postcode),
    their keys looked up under one lift of the restriction: one switch of role for them all
    rather than one each (four statements a lookup; ADR 0065, second round)."""
    if connection.vendor != "postgresql":
        return [lookup.otherwise for lookup in lookups]
    found: dict[int, list] = {}
    if any(len(lookup.word) >= MIN_LENGTH for lookup in lookups):
        with unrestricted():
            for index, lookup in enumerate(lookups):
                if len(lookup.word) >= MIN_LENGTH:
                    found[index] = list(lookup.keys.order_by()[: MAX_KEYS + 1])
    conditions = []
    for index, lookup in enumerate(lookups):
        keys = found.get(index)
        if keys is None or len(keys) > MAX_KEYS:
            conditions.append(lookup.otherwise)
        else:
            conditions.append(Q(**{f"{lookup.field}__in": keys}))
    return conditions
