"""Reading partner incident logs (ASB and other incidents with a date, time and place): the
DuckDB connection over the store and the analyses (peak times, seasons, hot spots, a summary
of each source). Aggregates only: counts, never a person. The format is
docs/formats/incidents-csv.md; writes are in services.py."""

from safehold.incidents.analysis import (
    DAYS,
    DayRow,
    Filters,
    HeatMap,
    MonthRow,
    Seasonal,
    Slot,
    SourceSummary,
    Summer,
    heatmap,
    hotspots,
    seasonal,
    summary,
)
from safehold.incidents.postcodes import Place, PostcodeLookup, current_lookup
from safehold.incidents.store import connect

__all__ = [
    "DAYS",
    "DayRow",
    "Filters",
    "HeatMap",
    "MonthRow",
    "Place",
    "PostcodeLookup",
    "Seasonal",
    "Slot",
    "SourceSummary",
    "Summer",
    "connect",
    "current_lookup",
    "heatmap",
    "hotspots",
    "seasonal",
    "summary",
]
