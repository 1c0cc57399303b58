"""Writing partner incident logs: validating a log, importing it (all or nothing, a re-run
of the same file a no-op). Each write is audited (postcode points are loaded by
safehold.geography.postcode_files). The format is
docs/formats/incidents-csv.md; reads are in selectors.py."""

from safehold.core.csvfiles import ImportInvalid, RowError
from safehold.incidents.imports import ImportResult, apply_plan, import_incidents
from safehold.incidents.validation import COLUMNS, ImportPlan, IncidentRow, validate_incidents

__all__ = [
    "COLUMNS",
    "ImportInvalid",
    "ImportPlan",
    "ImportResult",
    "IncidentRow",
    "RowError",
    "apply_plan",
    "import_incidents",
    "validate_incidents",
]
