"""What the engine returns, and the shape of its working tables.

Every piece of evidence says which agency's data it comes from, which record (its key), its
date and what it shows, and which gate decides who sees it (`holder`: an agency's extract row,
a Safehold person, a case, a network link)."""

import datetime
import hashlib
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Evidence:
    """One record that meets an indicator: from which agency's data, which record, when, what."""

    code: str
    agency_id: str
    record_key: str
    holder: str
    holder_id: str
    date: datetime.date | None
    what: str


@dataclass(frozen=True)
class Reason:
    """An indicator met, with its weight in the version used and the evidence for it."""

    code: str
    name: str
    weight: int
    evidence: tuple[Evidence, ...]


@dataclass
class Entry:
    """One subject (a person as the current linkage run resolves them) on the list."""

    subject_ref: str  # the smallest record key of the subject's cluster
    score: int
    reasons: list[Reason]
    members: tuple[str, ...]  # the subject's record keys (its cluster, or itself alone)
    ward: str | None = None
    fingerprint: str = field(default="")

    def __post_init__(self) -> None:
        if not self.fingerprint:
            self.fingerprint = fingerprint_of(self.reasons)

    @property
    def indicators(self) -> list[tuple[str, int]]:
        return [(r.code, r.weight) for r in self.reasons]

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
