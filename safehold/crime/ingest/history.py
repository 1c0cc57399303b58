"""What the police.uk store holds and how it came to: the force-months of each kind with their
rows (read from the store), and the import records (`CrimeImport`, one per file imported),
for the "what is loaded" page and its CSV download (docs/formats/police-uk.md).
"""

# ruff: noqa: S608 -- SQL here is built from the fixed view names of the connection.

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from django.db.models import QuerySet

from safehold.analytics.store import run
from safehold.core.exports import csv_writer
from safehold.crime.connection import VIEW_OF_KIND
from safehold.crime.forces import name_of
from safehold.crime.models import CrimeImport
from safehold.crime.rules import can_view_crime_analytics

HISTORY_COLUMNS = (
    "imported_at", "imported_by", "file", "kind", "force", "month", "rows", "placed",
    "unplaced", "result", "sha256", "run",
)  # fmt: skip


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def _month_name(month: str) -> str:
    return f"{MONTH_NAMES[int(month[5:7]) - 1]} {month[:4]}"


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_ranges(months: Iterable[str]) -> str:
    """Months (YYYY-MM) in words, runs of consecutive months as one range:
    "February 2016 to January 2019, March 2020"."""
    ordered = sorted(set(months))
    runs: list[list[str]] = []
    for month in ordered:
        if runs and _index(month) == _index(runs[-1][-1]) + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(
        _month_name(r[0]) if len(r) == 1 else f"{_month_name(r[0])} to {_month_name(r[-1])}"
        for r in runs
    )


def imports_visible_to(user) -> QuerySet[CrimeImport]:
    """Every police.uk import, for those who may see crime analytics (public data: the record
    of which files were loaded is the whole partnership's). A run still being swapped in is
    not listed until it is done."""
    if not can_view_crime_analytics(user):
        return CrimeImport.objects.none()
    return (
        CrimeImport.objects.filter(status=CrimeImport.Status.DONE)
        .select_related("imported_by")
        .order_by("-created_at", "kind", "force", "month")
    )


@dataclass(frozen=True)
class Holding:
    """The force-months of one kind and force held in the store, and their rows."""

    kind: str
    force: str
    months: list[str]
    rows: int

    @property
    def force_name(self) -> str:
        return name_of(self.force)


def holdings(con) -> list[Holding]:
    """Every kind and force in the store, with its months and rows (one scan of the Parquet
    files' row counts, whatever the number of rows)."""
    parts = [
        f"SELECT '{kind}' AS kind, force, month, count(*) AS n FROM {view} GROUP BY force, month"
        for kind, view in VIEW_OF_KIND.items()
    ]
    found: dict[tuple[str, str], tuple[list[str], int]] = {}
    for kind, force, month, n in run(con, " UNION ALL ".join(parts) + " ORDER BY 1, 2, 3"):
        months, rows = found.get((kind, force), ([], 0))
        months.append(month)
        found[(kind, force)] = (months, rows + n)
    order = list(VIEW_OF_KIND)
    return [
        Holding(kind, force, months, rows)
        for (kind, force), (months, rows) in sorted(
            found.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
        )
    ]


def write_history_csv(records: Iterable[CrimeImport], out: TextIO) -> int:
    """The import records as CSV (UTF-8, one row per file imported); returns the rows written."""
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(HISTORY_COLUMNS)
    written = 0
    for r in records:
        writer.writerow(
            [
                r.created_at.isoformat(),
                r.imported_by.email if r.imported_by else "command line",
                r.source,
                r.kind,
                r.force,
                r.month,
                r.rows,
                r.placed,
                r.unplaced,
                "replaced" if r.replaced else "new",
                r.sha256,
                r.run,
            ]
        )
        written += 1
    return written
