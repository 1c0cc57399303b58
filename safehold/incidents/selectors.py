"""Partner incident logs (ASB and other incidents with a date, time and place): import,
peak times, seasons and hot spots. The public interface is re-exported here; the format is
docs/formats/incidents-csv.md."""

from safehold.core.csvfiles import ImportInvalid, RowError
from safehold.crime.incidents.analysis import (
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
from safehold.crime.incidents.imports import ImportResult, apply_plan, import_incidents
from safehold.crime.incidents.postcodes import (
    LookupLoaded,
    Place,
    PostcodeLookup,
    current_lookup,
    load_postcode_lookup,
)
from safehold.crime.incidents.store import connect
from safehold.crime.incidents.validation import (
    COLUMNS,
    ImportPlan,
    IncidentRow,
    validate_incidents,
)

__all__ = [
    "COLUMNS",
    "DAYS",
    "DayRow",
    "Filters",
    "HeatMap",
    "ImportInvalid",
    "ImportPlan",
    "ImportResult",
    "IncidentRow",
    "LookupLoaded",
    "MonthRow",
    "Place",
    "PostcodeLookup",
    "RowError",
    "Seasonal",
    "Slot",
    "SourceSummary",
    "Summer",
    "apply_plan",
    "connect",
    "current_lookup",
    "heatmap",
    "hotspots",
    "import_incidents",
    "load_postcode_lookup",
    "seasonal",
    "summary",
    "validate_incidents",
]
