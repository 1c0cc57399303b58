"""What every analysis takes: an area (find_area), a period of months and crime types
(turned into one SQL filter), and the errors for arguments it cannot use."""

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from safehold.analytics.store import run, sql_string
from safehold.crime.forces import FORCES, SLUG_RE
from safehold.geography.layers import ENGLAND_CODE, GM_LADS, WALES_CODE

GROUP_KEYS = ("month", "crime_type", "outcome", "lsoa", "ward", "local_authority", "force")
AREA_KEYS = ("lsoa", "ward", "local_authority")  # finest first
# A local authority counts as loaded for a comparison when its rows per resident come to at least
# this share of the median local authority's (among those with any rows): a force's own area
# is dense with its rows, while a neighbouring force's rows that fall just over its boundary,
# when that authority's own force is not loaded, come to a small fraction of it.
COVERAGE_SHARE_OF_MEDIAN = 0.1
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
OCCASIONS = {6: "Summer", 7: "Summer", 8: "Summer", 10: "Halloween", 11: "Bonfire Night"}
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
CODE_RE = re.compile(r"^[EWKN]\d{8}$")


class QueryError(ValueError):
    """Arguments an analysis cannot use (an unknown area, a month not in YYYY-MM, …); `field`
    names the argument, for the API's field errors."""

    def __init__(self, message: str, field: str = "non_field_errors"):
        super().__init__(message)
        self.field = field


# --- areas and filters -------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """An area analyses can filter by: its code, level, name and Census 2021 population."""

    code: str
    level: str  # lsoa, ward, local_authority, combined_authority, country, force
    name: str | None
    population: int | None


def find_area(con, code: str) -> Area:
    """The area a code names (a 2011 LSOA code gives the 2021 LSOA it maps to)."""
    code = code.strip()
    if SLUG_RE.match(code) and not CODE_RE.match(code):
        known = {f for (f,) in run(con, "SELECT DISTINCT force FROM partitions")} | set(FORCES)
        if code not in known:
            raise QueryError(f"“{code}” is not a police force or area code Safehold knows", "area")
        population = run(con, "SELECT sum(population) FROM lsoa21 WHERE force = ?", [code])[0][0]
        return Area(code, "force", FORCES.get(code, code), population)
    code = code.upper()
    mapped = run(con, "SELECT lsoa21_code FROM lsoa_codes WHERE code = ?", [code])
    lookup = mapped[0][0] if mapped else code
    found = run(con, "SELECT code, level, name, population FROM areas WHERE code = ?", [lookup])
    if not found:
        raise QueryError(
            f"“{code}” is not an area Safehold knows: give an LSOA, ward or local authority "
            "code, E47000001 (Greater Manchester), E92000001, W92000004, K04000001 or a police "
            "force such as greater-manchester (load more geography with `safehold geography load`)",
            "area",
        )
    return Area(*found[0])


def _month(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not MONTH_RE.match(value):
        raise QueryError(f"{name} “{value}” is not a month in the format YYYY-MM", name)
    return value


@dataclass(frozen=True)
class _Filter:
    where: str  # SQL over s (street), m (lsoa_codes), g (lsoa21)
    needs_lsoa21: bool


def _filters(
    con, *, start: str | None, end: str | None, crime_types: Sequence[str], area_code: str | None
) -> tuple[_Filter, Area | None]:
    start, end = _month(start, "from"), _month(end, "to")
    if start and end and end < start:
        raise QueryError("to must be the same month as from or later", "to")
    where = ["true"]
    if start:
        where.append(f"s.month >= {sql_string(start)}")
    if end:
        where.append(f"s.month <= {sql_string(end)}")
    types = [t.strip() for t in crime_types if t and t.strip()]
    if types:
        where.append(f"s.crime_type IN ({', '.join(sql_string(t) for t in types)})")
    needs_lsoa21 = False
    found = find_area(con, area_code) if area_code else None
    if found:
        code = sql_string(found.code)
        placed = "coalesce(m.lsoa21_code, s.lsoa_code, s.placed_lsoa_code)"
        match found.level:
            case "force":
                where.append(f"s.force = {code}")
            case "lsoa":
                where.append(f"m.lsoa21_code = {code}")
            case "ward":
                where.append(f"g.ward_code = {code}")
                needs_lsoa21 = True
            case "local_authority":
                where.append(f"g.lad_code = {code}")
                needs_lsoa21 = True
            case "combined_authority":
                where.append(f"g.lad_code IN ({', '.join(sql_string(c) for c in GM_LADS)})")
                needs_lsoa21 = True
            case "country" if found.code == ENGLAND_CODE:
                where.append(f"{placed} LIKE 'E01%'")
            case "country" if found.code == WALES_CODE:
                where.append(f"{placed} LIKE 'W01%'")
            case "country":
                where.append(f"({placed} LIKE 'E01%' OR {placed} LIKE 'W01%')")
    return _Filter(" AND ".join(where), needs_lsoa21), found


def _from(needs_lsoa21: bool, counted: bool = False) -> str:
    """The street rows (or, `counted`, the counts kept of them: sum `s.n` instead of counting
    rows) with their 2021 LSOA, and its ward and local authority if `needs_lsoa21`."""
    source = "street_counts" if counted else "street"
    joins = (
        f"{source} s LEFT JOIN lsoa_codes m ON m.code = coalesce(s.lsoa_code, s.placed_lsoa_code)"
    )
    if needs_lsoa21:
        joins += " LEFT JOIN lsoa21 g ON g.lsoa21_code = m.lsoa21_code"
    return joins


def _rate(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return count * 1000 / population


def shift_month(month: str, months: int) -> str:
    year, m = int(month[:4]), int(month[5:])
    index = year * 12 + (m - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(start: str, end: str) -> list[str]:
    out, month = [], start
    while month <= end:
        out.append(month)
        month = shift_month(month, 1)
    return out


def _period(loaded: set[str], start: str | None, end: str | None) -> tuple[str, str] | None:
    start, end = _month(start, "from"), _month(end, "to")
    if not loaded and not (start and end):
        return None
    return start or min(loaded), end or max(loaded)


def as_dicts(items) -> list[dict]:
    """Dataclass results as plain dicts (for JSON)."""
    return [asdict(i) for i in items]
