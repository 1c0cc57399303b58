"""Crime and ASB analyses over the analytics store: plain functions of a DuckDB connection
(`connect()`) and plain arguments, returning rows and dataclasses. No ORM, no requests.

Every analysis counts street-level rows (crimes and anti-social behaviour) and takes the same
filters: a period of months `start`..`end` (YYYY-MM, inclusive; either may be left open), crime
types, and an area code (an LSOA 2011 or 2021, a ward, a local authority, E47000001 Greater
Manchester, E92000001 England, W92000004 Wales, K04000001 England and Wales, or a police force
slug such as `greater-manchester`). Areas are those of the 2021 LSOA a row's LSOA code maps
to (or, with no LSOA, the one its coordinates fell in); rates are per 1,000 residents of the
area at the 2021 Census. docs/formats/crime-summary.md describes the outputs.

One module per analysis (summary: counts and coverage; trends; seasons; top; comparison;
repeats; points) over the filters every analysis takes (filters.py); this package's
`__init__` is the public interface the dashboard, API and CLI use.
"""

from safehold.crime.connection import connect
from safehold.crime.queries.before_after import (
    MONTHS_AFTER,
    MONTHS_BEFORE,
    BeforeAfter,
    SecondSeries,
    before_after,
    second_series,
    series_window,
)
from safehold.crime.queries.comparison import AreaRate, compare, lad_condition
from safehold.crime.queries.filters import (
    AREA_KEYS,
    GROUP_KEYS,
    MONTH_NAMES,
    MONTH_RE,
    OCCASIONS,
    Area,
    QueryError,
    as_dicts,
    find_area,
    month_range,
    shift_month,
)
from safehold.crime.queries.points import StreetPoints, street_points
from safehold.crime.queries.repeats import (
    RepeatLocation,
    RepeatProfile,
    repeat_locations,
    repeat_profile,
)
from safehold.crime.queries.seasons import SeasonalMonth, seasonal
from safehold.crime.queries.summary import Coverage, Table, area_months, counts, coverage
from safehold.crime.queries.top import AreaCount, top_areas
from safehold.crime.queries.trends import TrendPoint, trend

__all__ = [
    "AREA_KEYS",
    "GROUP_KEYS",
    "MONTHS_AFTER",
    "MONTHS_BEFORE",
    "MONTH_NAMES",
    "MONTH_RE",
    "OCCASIONS",
    "Area",
    "AreaCount",
    "AreaRate",
    "BeforeAfter",
    "Coverage",
    "QueryError",
    "RepeatLocation",
    "RepeatProfile",
    "SeasonalMonth",
    "SecondSeries",
    "StreetPoints",
    "Table",
    "TrendPoint",
    "area_months",
    "as_dicts",
    "before_after",
    "compare",
    "connect",
    "counts",
    "coverage",
    "find_area",
    "lad_condition",
    "month_range",
    "repeat_locations",
    "repeat_profile",
    "seasonal",
    "second_series",
    "series_window",
    "shift_month",
    "street_points",
    "top_areas",
    "trend",
]
