"""`safehold kpi import-indicators FILE.csv` and `import-values FILE.csv`: the whole file is
checked first and written in one transaction, or (if any row is wrong) not at all, with every
problem named by row and column. Formats: docs/formats/kpi-indicators-csv.md and
kpi-values-csv.md.

A row that matches what Safehold already holds is unchanged and writes nothing, so importing
the same file again changes nothing and leaves no audit events.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases.services.imports import (
    ImportInvalid,
    RowError,
    _column_letter,
    _decode,
    _read,
)
from safehold.performance import services
from safehold.performance.choices import (
    DEFAULT_DECIMAL_PLACES,
    Area,
    EntryMethod,
    Frequency,
    Polarity,
    Unit,
)
from safehold.performance.computed import COMPUTED_CODES
from safehold.performance.models import Indicator, IndicatorValue
from safehold.performance.parsing import (
    parse_count,
    parse_decimal_places,
    parse_tolerance,
    parse_value,
)
from safehold.performance.periods import PeriodError, parse, parse_for

__all__ = ["ImportInvalid", "RowError", "import_indicators", "import_values"]

INDICATOR_COLUMNS = (
    "code", "name", "theme", "source", "unit", "polarity", "tolerance_percent", "frequency",
)  # fmt: skip
INDICATOR_OPTIONAL = ("decimal_places", "lead_officer", "notes")
VALUE_COLUMNS = ("code", "period", "value", "count", "break_in_series")
VALUE_OPTIONAL = ("area", "note")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,39}$")
CODE_HINT = "up to 40 letters, numbers, hyphens, underscores or full stops, like DA-INCIDENTS"


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows new to Safehold, rows that changed something, rows as they were."""

    created: int
    changed: int
    unchanged: int

    def __str__(self) -> str:
        return f"{self.created} new, {self.changed} changed, {self.unchanged} unchanged"


@dataclass
class _Table:
    columns: set[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _table(data: bytes | str, required: tuple, optional: tuple) -> _Table:
    """The file's rows as {column: text}, with every header and stray-cell problem."""
    records = [(n, cells) for n, cells in _read(_decode(data)) if any(c.strip() for c in cells)]
    if not records:
        raise ImportInvalid(
            [RowError(0, "", "the file is empty: the first row must name the columns")]
        )
    if records[0][0] != 1:
        raise ImportInvalid([RowError(1, "", "row 1 is empty: it must name the columns")])
    known = (*required, *optional)
    positions: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(records[0][1]):
        name = cell.strip().lower()
        if not name:
            continue
        if name in positions:
            errors.append(RowError(1, name, f"the {name} column appears more than once"))
        elif name not in known:
            errors.append(
                RowError(
                    1,
                    cell.strip(),
                    f"“{cell.strip()}” is not a column of this file. The columns are: "
                    f"{', '.join(required)}, and optionally {', '.join(optional)}",
                )
            )
        else:
            positions[name] = index
    errors += [
        RowError(1, name, f"the header has no {name} column")
        for name in required
        if name not in positions
    ]
    if errors:
        raise ImportInvalid(errors)
    table = _Table(columns=set(positions))
    named = set(positions.values())
    for row, raw in records[1:]:
        for index, cell in enumerate(raw):
            if index not in named and cell.strip():
                table.errors.append(
                    RowError(
                        row,
                        f"column {_column_letter(index)}",
                        "there is a value here, but this column has no name in row 1",
                    )
                )
        table.rows.append(
            (row, {name: raw[i] if i < len(raw) else "" for name, i in positions.items()})
        )
    return table


def _code(cells: dict, error) -> str:
    code = cells["code"].strip().upper()
    if not code:
        error("code", f"enter the indicator's code: {CODE_HINT}")
    elif not CODE_RE.match(code):
        error("code", f"“{cells['code'].strip()}” is not a code: use {CODE_HINT}")
    return code


def _choice(cells: dict, column: str, choices, noun: str, error) -> str:
    value = cells[column].strip()
    if value.lower() in choices.values:
        return value.lower()
    codes = ", ".join(choices.values)
    error(
        column,
        f"“{value}” is not {noun}: enter one of {codes}"
        if value
        else f"enter {noun}: one of {codes}",
    )
    return ""


def _text(cells: dict, column: str, noun: str, limit: int, error, required: bool = True) -> str:
    value = " ".join(cells.get(column, "").split())
    if required and not value:
        error(column, f"enter {noun}")
    elif len(value) > limit:
        error(column, f"{noun[0].upper()}{noun[1:]} must be {limit} characters or fewer")
    return value


def _parsed(cells: dict, column: str, parser, error, *args):
    try:
        return parser(cells[column], *args)
    except ValueError as exc:
        error(column, str(exc))
        return None


def _sort(errors: list[RowError], columns: tuple) -> list[RowError]:
    return sorted(
        errors, key=lambda e: (e.row, columns.index(e.column) if e.column in columns else 99)
    )


# --- Indicators --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _IndicatorRow:
    row: int
    code: str
    definition: dict


def _indicator_rows(table: _Table) -> list[_IndicatorRow]:
    rows, first_row = [], {}
    existing = Indicator.objects.in_bulk(
        [cells["code"].strip().upper() for _, cells in table.rows], field_name="code"
    )
    for row, cells in table.rows:
        errors: list[RowError] = []

        def error(column: str, message: str, row=row, errors=errors) -> None:
            errors.append(RowError(row, column, message))

        code = _code(cells, error)
        definition = {
            "name": _text(cells, "name", "the indicator's name", 300, error),
            "theme": _text(
                cells, "theme", "the theme, like Protecting Vulnerable People", 200, error
            ),
            "source": _text(cells, "source", "the source of the figures, like GMP", 100, error),
            "unit": _choice(cells, "unit", Unit, "a unit", error),
            "polarity": _choice(cells, "polarity", Polarity, "a polarity", error),
            "tolerance_percent": _parsed(cells, "tolerance_percent", parse_tolerance, error),
            "frequency": _choice(cells, "frequency", Frequency, "a frequency", error),
        }
        current = existing.get(code)
        if "decimal_places" in table.columns:
            places = _parsed(cells, "decimal_places", parse_decimal_places, error)
            if places is None and definition["unit"]:
                places = DEFAULT_DECIMAL_PLACES[Unit(definition["unit"])]
            definition["decimal_places"] = places
        elif current is None and definition["unit"]:
            definition["decimal_places"] = DEFAULT_DECIMAL_PLACES[Unit(definition["unit"])]
        for column, limit in (("lead_officer", 200), ("notes", 2000)):
            if column in table.columns:
                definition[column] = _text(
                    cells, column, f"the {column.replace('_', ' ')}", limit, error, required=False
                )
        if code and (code in COMPUTED_CODES or (current is not None and current.computed)):
            error(
                "code",
                f"{code} is computed by Safehold: leave it out of the file (change its theme, polarity or tolerance on its page)",
            )
        elif code in first_row:
            error(
                "code", f"{code} is also on row {first_row[code]}: each indicator must appear once"
            )
        elif (
            current is not None
            and definition["frequency"]
            and current.frequency != definition["frequency"]
        ):
            if current.values.exists():
                error(
                    "frequency",
                    f"{code} already has values reported {Frequency(current.frequency).label.lower()}: its frequency cannot change (Safehold has {current.frequency}, the file has {definition['frequency']})",
                )
        if code:
            first_row.setdefault(code, row)
        if errors:
            table.errors += errors
        else:
            rows.append(_IndicatorRow(row, code, definition))
    return rows


def _unchanged(current: Indicator, definition: dict) -> bool:
    return all(
        (current.theme.name.casefold() == value.casefold())
        if column == "theme"
        else getattr(current, column) == value
        for column, value in definition.items()
    )


def import_indicators(*, data: bytes | str, by, file_name: str = "") -> ImportResult:
    """Define or update every indicator of the file, or (if any row is wrong) none."""
    table = _table(data, INDICATOR_COLUMNS, INDICATOR_OPTIONAL)
    rows = _indicator_rows(table)
    if table.errors:
        raise ImportInvalid(_sort(table.errors, (*INDICATOR_COLUMNS, *INDICATOR_OPTIONAL)))
    existing = {
        i.code: i
        for i in Indicator.objects.select_related("theme").filter(code__in=[r.code for r in rows])
    }
    created = changed = unchanged = 0
    with transaction.atomic(), audit.batched():
        for row in rows:
            current = existing.get(row.code)
            if current is not None and _unchanged(current, row.definition):
                unchanged += 1
                continue
            definition = dict(row.definition)
            if (
                current is not None
                and current.theme.name.casefold() == definition["theme"].casefold()
            ):
                definition["theme"] = current.theme.name  # the same theme, whatever the case
            try:
                services.save_indicator(code=row.code, by=by, **definition)
            except services.PerformanceError as exc:
                raise ImportInvalid([RowError(row.row, "code", str(exc))]) from exc
            created, changed = (created + 1, changed) if current is None else (created, changed + 1)
        result = ImportResult(created, changed, unchanged)
        if created or changed:
            audit.record(
                action=Action.COLLECT,
                actor=by,
                object_type="performance.indicator",
                purpose=f"indicators imported{f' from {file_name}' if file_name else ''}: {result}",
            )
    return result


# --- Values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ValueRow:
    row: int
    indicator: Indicator
    period: object
    area: str
    figure: services.Figure
    has_note: bool


def _value_rows(table: _Table) -> list[_ValueRow]:
    codes = {cells["code"].strip().upper() for _, cells in table.rows}
    indicators = Indicator.objects.in_bulk(list(codes), field_name="code")
    rows, first_row = [], {}
    for row, cells in table.rows:
        errors: list[RowError] = []

        def error(column: str, message: str, row=row, errors=errors) -> None:
            errors.append(RowError(row, column, message))

        code = _code(cells, error)
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
            area = _choice(cells, "area", Area, "an area", error)
        value = _parsed(cells, "value", parse_value, error, indicator.unit if indicator else None)
        count = _parsed(cells, "count", parse_count, error)
        if count is not None and not parse_value_is_available(cells["value"]):
            error("count", "leave count empty when the value is not available")
        flag = cells["break_in_series"].strip().lower()
        if flag not in ("yes", ""):
            error(
                "break_in_series",
                f"“{cells['break_in_series'].strip()}” is not allowed here: enter yes, or leave it empty",
            )
        note = (
            _text(cells, "note", "the note", 200, error, required=False)
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


def parse_value_is_available(text: str) -> bool:
    try:
        return parse_value(text, None) is not None
    except ValueError:
        return True  # the value's own error is reported on its column


def import_values(*, data: bytes | str, by, file_name: str = "") -> ImportResult:
    """Enter every value of the file, or (if any row is wrong) none."""
    table = _table(data, VALUE_COLUMNS, VALUE_OPTIONAL)
    rows = _value_rows(table)
    if table.errors:
        raise ImportInvalid(_sort(table.errors, (*VALUE_COLUMNS, *VALUE_OPTIONAL)))
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
