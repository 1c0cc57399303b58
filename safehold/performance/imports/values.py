"""The values file (docs/formats/kpi-values-csv.md)."""

from dataclasses import dataclass

from django.db import transaction

from safehold import audit
from safehold.audit.choices import Action
from safehold.performance import services
from safehold.performance.choices import Area, EntryMethod
from safehold.performance.imports.files import (
    VALUE_COLUMNS,
    VALUE_OPTIONAL,
    ImportInvalid,
    ImportResult,
    RowError,
    Table,
    choice_of,
    code_of,
    parsed,
    read_table,
    sorted_errors,
    text_of,
)
from safehold.performance.models import Indicator, IndicatorValue
from safehold.performance.parsing import parse_count, parse_value
from safehold.performance.periods import PeriodError, parse, parse_for


@dataclass(frozen=True)
class _ValueRow:
    row: int
    indicator: Indicator
    period: object
    area: str
    figure: services.Figure
    has_note: bool


def _value_rows(table: Table) -> list[_ValueRow]:
    codes = {cells["code"].strip().upper() for _, cells in table.rows}
    indicators = Indicator.objects.in_bulk(list(codes), field_name="code")
    rows, first_row = [], {}
    for row, cells in table.rows:
        errors: list[RowError] = []

        def error(column: str, message: str, row=row, errors=errors) -> None:
            errors.append(RowError(row, column, message))

        code = code_of(cells, error)
        indicator = indicators.get(code)
        if code and indicator is None and not errors:
            error(
                "code",
                f"“{code}” is not an indicator in Safehold: define it first (safehold kpi import-indicators), or correct the code",
            )
        period = None
        try:
            period = (
                parse_for(cells["period"], indicator.frequency, code)
                if indicator
                else parse(cells["period"])
            )
        except PeriodError as exc:
            error("period", str(exc))
        area = Area.BOROUGH
        if "area" in table.columns and cells["area"].strip():
            area = choice_of(cells, "area", Area, "an area", error)
        value = parsed(cells, "value", parse_value, error, indicator.unit if indicator else None)
        count = parsed(cells, "count", parse_count, error)
        if count is not None and not _available(cells["value"]):
            error("count", "leave count empty when the value is not available")
        flag = cells["break_in_series"].strip().lower()
        if flag not in ("yes", ""):
            error(
                "break_in_series",
                f"“{cells['break_in_series'].strip()}” is not allowed here: enter yes, or leave it empty",
            )
        note = (
            text_of(cells, "note", "the note", 200, error, required=False)
            if "note" in table.columns
            else ""
        )
        if indicator is not None and indicator.computed and area == Area.BOROUGH:
            error(
                "code",
                f"{code} is computed by Safehold from the casework: its values cannot be entered (leave its rows out of the file)",
            )
        key = (code, area, period.label if period else "")
        if period is not None and indicator is not None and key in first_row:
            where = f"{code} {period.label}" + ("" if area == Area.BOROUGH else f" ({area})")
            error("period", f"{where} is also on row {first_row[key]}: each value must appear once")
        first_row.setdefault(key, row)
        if errors:
            table.errors += errors
            continue
        figure = services.Figure(value, count, flag == "yes", note)
        rows.append(_ValueRow(row, indicator, period, area, figure, "note" in table.columns))
    return rows


def _available(text: str) -> bool:
    try:
        return parse_value(text, None) is not None
    except ValueError:
        return True  # the value's own error is reported on its column


def check_values(*, data: bytes | str) -> list[_ValueRow]:
    """Read and check the whole file, writing nothing: its rows, or ImportInvalid with every
    problem by row and column."""
    table = read_table(data, VALUE_COLUMNS, VALUE_OPTIONAL)
    rows = _value_rows(table)
    if table.errors:
        raise ImportInvalid(sorted_errors(table.errors, (*VALUE_COLUMNS, *VALUE_OPTIONAL)))
    return rows


def import_values(*, data: bytes | str, by, file_name: str = "") -> ImportResult:
    """Enter every value of the file, or (if any row is wrong) none."""
    rows = check_values(data=data)
    held = {
        (v.indicator_id, v.area, v.period): v
        for v in IndicatorValue.objects.filter(indicator__in={r.indicator.pk for r in rows})
    }
    created = changed = unchanged = 0
    with transaction.atomic(), audit.batched():
        for row in rows:
            current = held.get((row.indicator.pk, row.area, row.period.label))
            figure = row.figure
            if current is not None and not row.has_note:
                figure = services.Figure(
                    figure.value, figure.count, figure.break_in_series, current.note
                )
            _, wrote = services.store_value(
                indicator=row.indicator, period=row.period, area=row.area, figure=figure, by=by,
                method=EntryMethod.IMPORT, file_name=file_name, current=current, look_up=False,
            )  # fmt: skip
            if not wrote:
                unchanged += 1
            elif current is None:
                created += 1
            else:
                changed += 1
        result = ImportResult(created, changed, unchanged)
        if created or changed:
            audit.record(
                action=Action.COLLECT,
                actor=by,
                object_type="performance.indicatorvalue",
                purpose=f"indicator values imported{f' from {file_name}' if file_name else ''}: {result}",
            )
    return result
