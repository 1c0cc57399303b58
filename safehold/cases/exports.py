"""Cases out of Safehold: every case export is written and audited here.

Two layouts, each with one row builder:
- the round trip (`ROUND_TRIP`), the columns an import reads (docs/formats/cases-csv.md), as
  CSV: the import page's "export all" download and `safehold cases export`;
- the case list (`CASE_LIST`), the list page's columns for the list as filtered, as CSV or XLSX.

Both go through `audited`, which records one consult event on the export channel naming every
case and subject exported and why, before the first row is written: a streamed download is
audited inside its request, and if the audit write fails nothing is sent. The files are written
through safehold.core.exports, so no cell is ever run as a formula (ADR 0028).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO, TextIO

from django.db.models import QuerySet

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action, Channel
from safehold.cases.imports.format import COLUMNS, case_rows
from safehold.cases.models import Case
from safehold.core import dates
from safehold.core.exports import append_row, csv_writer, streaming_csv_writer

LIST_COLUMNS = [
    "reference", "referral_date", "status", "closed_on", "closure_reason", "exploitation_type",
    "risk_level", "area", "subject", "postcode", "lead_officer", "overdue_tasks",
]  # fmt: skip
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round_trip_rows(cases: QuerySet[Case]) -> Iterator[list[str]]:
    for row in case_rows(cases):
        yield [row[c] for c in COLUMNS]


def _list_rows(cases: QuerySet[Case]) -> Iterator[list]:
    for c in cases.iterator(chunk_size=2000):
        yield [
            c.reference, c.referral_date.isoformat(), c.get_status_display(),
            c.closed_on.isoformat() if c.closed_on else "", c.get_closure_reason_display(),
            c.get_exploitation_type_display(), c.get_risk_level_display(),
            c.area.name if c.area else "",
            c.subject.full_name, c.location.postcode if c.location else "",
            c.lead_officer.full_name if c.lead_officer else "", "Yes" if c.has_overdue else "No",
        ]  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """What an export of this kind writes: its columns, a row per case, how its audit event
    describes it (`{purpose}` and `{count}`) and its download's file name before the date."""

    columns: tuple[str, ...] | list[str]
    rows: Callable[[QuerySet[Case]], Iterator[list]]
    purpose: str
    file_stem: str
    order: tuple[str, ...] = ()  # the order rows are written in, when rows() sets one


ROUND_TRIP = Layout(
    COLUMNS,
    _round_trip_rows,
    purpose="{purpose}: {count} case(s) as CSV",
    file_stem="safehold-all-cases",
    order=("reference",),
)
CASE_LIST = Layout(LIST_COLUMNS, _list_rows, purpose="{purpose}", file_stem="safehold-cases")


@dataclass(frozen=True)
class Export:
    count: int
    rows: Iterable[list]  # the header, then one row per case


def audited(*, cases: QuerySet[Case], layout: Layout, by: User | None, purpose: str) -> Export:
    """The export's rows, once the export is recorded: one consult event naming every case and
    subject, the purpose and the export channel."""
    if layout.order:
        cases = cases.order_by(*layout.order)
    ids = list(cases.values_list("pk", "subject_id"))
    audit.record(
        action=Action.CONSULT,
        actor=by,
        object_type="cases.case",
        object_ids=[pk for pk, _ in ids],
        subjects=[subject for _, subject in ids],
        purpose=layout.purpose.format(purpose=purpose, count=len(ids)),
        channel=Channel.EXPORT,
    )
    return Export(len(ids), chain([list(layout.columns)], layout.rows(cases)))


def file_name(layout: Layout, extension: str) -> str:
    """The download's name: the layout's stem and today's date."""
    return f"{layout.file_stem}-{dates.today().isoformat()}.{extension}"


def write_csv(export: Export, out: TextIO) -> int:
    csv_writer(out).writerows(export.rows)
    return export.count


def csv_lines(export: Export) -> Iterator[str]:
    """The CSV a line at a time, for a streamed download."""
    writer = streaming_csv_writer()
    for row in export.rows:
        yield writer.writerow(row)


def write_xlsx(export: Export, out: BinaryIO, *, sheet: str = "Cases") -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in export.rows:
        append_row(worksheet, row)
    workbook.save(out)


def export_cases(
    *, cases: QuerySet[Case], out: TextIO, by: User | None, purpose: str = "case export"
) -> int:
    """Write cases to `out` in the import format and record the export (one consult event
    naming every case and subject). Returns the number of cases written."""
    return write_csv(audited(cases=cases, layout=ROUND_TRIP, by=by, purpose=purpose), out)
