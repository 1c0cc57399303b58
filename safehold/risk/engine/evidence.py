"""What the engine returns, and the shape of its working tables.

Every piece of evidence says which agency's data it comes from, which record (its key), its
date and what it shows, and which gate decides who sees it (`holder`: an agency's extract row,
a Safehold person, a case, a network link)."""

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import pyarrow as pa

EVIDENCE = pa.schema(
    [
        ("subject_key", pa.string()),  # the record the evidence is about (before clustering)
        ("code", pa.string()),
        ("agency_id", pa.string()),
        ("record_key", pa.string()),
        ("holder", pa.string()),  # "extract", "person", "case" or "link"
        ("holder_id", pa.string()),  # the extract's, person's, case's or link's id
        ("date", pa.date32()),
        ("what", pa.string()),
    ]
)

# Where each record lives: a people extract's row or a Safehold person's latest case's place.
HOMES = pa.schema(
    [
        ("key", pa.string()),
        ("postcode", pa.string()),
        ("uprn", pa.string()),
        ("location_id", pa.string()),
        ("ward", pa.string()),
    ]
)


def evidence_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=EVIDENCE)


class Evidence(NamedTuple):
    """One record that meets an indicator: from which agency's data, which record, when, what.
    (Tuples, not dataclasses: a list over 200,000 tenancies makes hundreds of thousands.)"""

    code: str
    agency_id: str
    record_key: str
    holder: str
    holder_id: str
    date: datetime.date | None
    what: str


class Reason(NamedTuple):
    """An indicator met, with its weight in the version used and the evidence for it."""

    code: str
    name: str
    weight: int
    evidence: Sequence[Evidence]


class EvidenceStore:
    """The evidence of a whole list, as one Arrow table in the list's order (by entry, then
    reason, then date): an entry reads its own rows only when asked, so a list over 200,000
    tenancies is not turned into Python objects row by row unless someone reads them all."""

    def __init__(self, table: pa.Table, names: dict[str, str], weights: dict[str, int]):
        self.table = table
        self.names = names
        self.weights = weights

    def rows(self, start: int, stop: int) -> pa.Table:
        return self.table.slice(start, stop - start)

    def reasons(self, start: int, stop: int) -> list[Reason]:
        rows = self.rows(start, stop)
        reasons: list[Reason] = []
        columns = [rows.column(c).to_pylist() for c in Evidence._fields]
        for item in map(Evidence._make, zip(*columns, strict=True)):
            if not reasons or reasons[-1].code != item.code:
                held: list[Evidence] = []
                reasons.append(
                    Reason(item.code, self.names[item.code], self.weights[item.code], held)
                )
            held.append(item)
        return reasons

    def keys(self, start: int, stop: int) -> set[str]:
        return set(self.rows(start, stop).column("subject_key").to_pylist())


@dataclass
class Entry:
    """One subject (a person as the current linkage run resolves them) on the list: its score
    and indicators, and its reasons with their evidence and its fingerprint, read from the
    list's store when asked."""

    subject_ref: str  # the smallest record key of the subject's cluster
    score: int
    indicators_cell: str  # "code:weight;…", the highest weight first
    store: EvidenceStore = field(repr=False)
    start: int = field(repr=False)
    stop: int = field(repr=False)
    cluster: tuple[str, ...] = ()  # the record keys of the subject's cluster in the run
    ward: str | None = None

    @cached_property
    def reasons(self) -> list[Reason]:
        return self.store.reasons(self.start, self.stop)

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint_of(self.reasons)

    @cached_property
    def members(self) -> tuple[str, ...]:
        """The subject's record keys: its cluster, or itself and the records that met one."""
        keys = self.store.keys(self.start, self.stop) | set(self.cluster) | {self.subject_ref}
        return tuple(sorted(keys))

    @property
    def indicators(self) -> list[tuple[str, int]]:
        pairs = (p.rpartition(":") for p in self.indicators_cell.split(";") if p)
        return [(code, int(weight)) for code, _, weight in pairs]

    @property
    def person_ids(self) -> list[str]:
        return [k.partition("/")[2] for k in self.members if k.startswith("safehold/")]


def fingerprint_of(reasons: list[Reason]) -> str:
    """A digest of the entry's evidence (indicator, record and date of each): a review that
    takes an entry off the list until something new appears compares it (issue 18, item 3)."""
    parts = sorted(
        f"{e.code}|{e.record_key}|{e.date.isoformat() if e.date else ''}"
        for r in reasons
        for e in r.evidence
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass
class RiskList:
    """The list for a date and an area, made with one version of the catalogue."""

    as_of: datetime.date
    area: str | None
    version: int
    entries: list[Entry]
