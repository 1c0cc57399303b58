"""The indicators file (docs/formats/kpi-indicators-csv.md)."""

from dataclasses import dataclass

from django.db import transaction

from safehold import audit
from safehold.audit.choices import Action
from safehold.performance import services
from safehold.performance.choices import DEFAULT_DECIMAL_PLACES, Frequency, Polarity, Unit
from safehold.performance.computed import COMPUTED_CODES
from safehold.performance.imports.files import (
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL,
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
from safehold.performance.models import Indicator
from safehold.performance.parsing import parse_decimal_places, parse_tolerance


@dataclass(frozen=True)
class _IndicatorRow:
    row: int
    code: str
    definition: dict


def _indicator_rows(table: Table) -> list[_IndicatorRow]:
    rows, first_row = [], {}
    existing = Indicator.objects.in_bulk(
        [cells["code"].strip().upper() for _, cells in table.rows], field_name="code"
    )
    for row, cells in table.rows:
        errors: list[RowError] = []

        def error(column: str, message: str, row=row, errors=errors) -> None:
            errors.append(RowError(row, column, message))

        code = code_of(cells, error)
        definition = {
            "name": text_of(cells, "name", "the indicator's name", 300, error),
            "theme": text_of(
                cells, "theme", "the theme, like Protecting Vulnerable People", 200, error
            ),
            "source": text_of(cells, "source", "the source of the figures, like GMP", 100, error),
            "unit": choice_of(cells, "unit", Unit, "a unit", error),
            "polarity": choice_of(cells, "polarity", Polarity, "a polarity", error),
            "tolerance_percent": parsed(cells, "tolerance_percent", parse_tolerance, error),
            "frequency": choice_of(cells, "frequency", Frequency, "a frequency", error),
        }
        current = existing.get(code)
        if "decimal_places" in table.columns:
            places = parsed(cells, "decimal_places", parse_decimal_places, error)
            if places is None and definition["unit"]:
                places = DEFAULT_DECIMAL_PLACES[Unit(definition["unit"])]
            definition["decimal_places"] = places
        elif current is None and definition["unit"]:
            definition["decimal_places"] = DEFAULT_DECIMAL_PLACES[Unit(definition["unit"])]
        for column, limit in (("lead_officer", 200), ("notes", 2000)):
            if column in table.columns:
                definition[column] = text_of(
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


def check_indicators(*, data: bytes | str) -> list[_IndicatorRow]:
    """Read and check the whole file, writing nothing: its rows, or ImportInvalid with every
    problem by row and column."""
    table = read_table(data, INDICATOR_COLUMNS, INDICATOR_OPTIONAL)
    rows = _indicator_rows(table)
    if table.errors:
        raise ImportInvalid(sorted_errors(table.errors, (*INDICATOR_COLUMNS, *INDICATOR_OPTIONAL)))
    return rows


def import_indicators(*, data: bytes | str, by, file_name: str = "") -> ImportResult:
    """Define or update every indicator of the file, or (if any row is wrong) none."""
    rows = check_indicators(data=data)
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
