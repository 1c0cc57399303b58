"""Purposes of audit events that describe a search: what was searched, never the words."""

from collections.abc import Iterable, Mapping
from typing import Any


def search_purpose(
    what: str, filters: Mapping[str, Any] | Iterable[str], *, joined_by: str = " search: "
) -> str:
    """The names of the filters used, e.g. "case list search: q, status" (a mapping's keys with a
    value), never their values, which may be a name (ADR 0025); `what` alone if none was."""
    if isinstance(filters, Mapping):
        filters = [name for name, value in filters.items() if value not in (None, "", [], False)]
    names = list(dict.fromkeys(filters))
    return f"{what}{joined_by}{', '.join(names)}" if names else what
