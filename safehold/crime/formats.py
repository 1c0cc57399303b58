"""The analyses as CSV and JSON, shared by the command line and the API
(docs/formats/crime-summary.md). Rates are rounded to 2 decimal places, percentages to 1,
indices to 2 and shares to 3 here, never in the analyses themselves."""

import dataclasses
import io
import json
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from safehold.core.exports import append_row, csv_writer, safe_arrow_column
from safehold.crime.queries import Table

FORMATS = ("csv", "json")
OGL = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(data.police.uk). Contains National Statistics data © Crown copyright and database right."
)
ROUNDING = {
    "rate_per_1000": 2,
    "change_percent": 1,
    "rolling_change_percent": 1,
    "average": 2,
    "index": 2,
    "share_at_repeat_locations": 3,
}


def _rounded(name: str, value: object) -> object:
    if isinstance(value, float) and name in ROUNDING:
        return round(value, ROUNDING[name])
    return value


def rows_of(result: Table | Sequence) -> tuple[list[str], list[dict[str, object]]]:
    """Column names and rows (as dicts, values rounded) of a Table or a list of dataclasses."""
    if isinstance(result, Table):
        columns = list(result.columns)
        dicts = result.dicts()
    else:
        items = list(result)
        columns = [f.name for f in dataclasses.fields(items[0])] if items else []
        dicts = [dataclasses.asdict(i) for i in items]
    return columns, [{k: _rounded(k, v) for k, v in row.items()} for row in dicts]


def _table_csv(table: Table) -> str:
    """A Table straight from Arrow (a summary may have millions of rows)."""
    arrow = table.arrow
    for i, name in enumerate(arrow.column_names):
        kind = arrow.schema.field(i).type
        if pa.types.is_dictionary(kind):  # text stored once per value (queries.monthly)
            arrow = arrow.set_column(i, name, arrow.column(i).cast(kind.value_type))
            kind = kind.value_type
        if name in ROUNDING and pa.types.is_floating(kind):
            arrow = arrow.set_column(i, name, pc.round(arrow.column(i), ROUNDING[name]))
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            arrow = arrow.set_column(i, name, safe_arrow_column(arrow.column(i)))
    # Arrow quotes every string or none: none, unless a value holds a comma, quote or newline.
    special = any(
        pc.any(pc.match_substring_regex(column, r'[",\r\n]')).as_py()
        for column in arrow.columns
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    )
    out = io.BytesIO()
    pacsv.write_csv(
        arrow,
        out,
        pacsv.WriteOptions(quoting_style="needed" if special else "none", quoting_header="none"),
    )
    return out.getvalue().decode("utf-8")


def as_csv(result: Table | Sequence, columns: Sequence[str] | None = None) -> str:
    """CSV with a header row; an empty value for a missing one."""
    if isinstance(result, Table) and columns is None:
        return _table_csv(result)
    found, rows = rows_of(result)
    columns = list(columns or found)
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return out.getvalue()


def payload(
    analysis: str, filters: dict[str, object], result: Table | Sequence, **extra
) -> dict[str, object]:
    """The JSON document: which analysis, its filters, its columns and rows."""
    columns, rows = rows_of(result)
    document = {"analysis": analysis, "filters": filters, "columns": columns, "rows": rows}
    for key, value in extra.items():
        document[key] = (
            {k: _rounded(k, v) for k, v in dataclasses.asdict(value).items()}
            if dataclasses.is_dataclass(value)
            else value
        )
    return document


def as_json(document: dict[str, object]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_xlsx(analysis: str, filters: dict[str, object], result: Table | Sequence) -> bytes:
    """A workbook: the rows on a sheet named after the analysis (the CSV's columns, values
    rounded as in CSV and JSON), and a sheet `about` with the filters and the attribution."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(analysis)
    columns, rows = rows_of(result)
    append_row(sheet, columns)
    for row in rows:
        append_row(sheet, [row[c] for c in columns])
    about = book.create_sheet("about")
    append_row(about, ["analysis", analysis])
    for key, value in filters.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        append_row(about, [key, "" if shown is None else shown])
    append_row(about, [])
    append_row(about, [OGL])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
