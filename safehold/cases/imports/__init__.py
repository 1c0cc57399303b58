"""Historic cases into Safehold from CSV (docs/formats/cases-csv.md), in three steps a newcomer
can read one at a time: `format` (the columns and a row of them), `validate` (check a whole
file, writing nothing) and `apply` (write a checked plan, all or nothing; the upload's run).

Callers import from here; the way back out is safehold.cases.exports.
"""

from safehold.cases.imports.apply import KIND, ProgressCallback, apply, import_cases, process_run
from safehold.cases.imports.format import COLUMNS, CaseRow, ImportPlan, ImportResult
from safehold.cases.imports.validate import validate
from safehold.core.csvfiles import ImportInvalid, RowError

__all__ = [
    "COLUMNS",
    "KIND",
    "CaseRow",
    "ImportInvalid",
    "ImportPlan",
    "ImportResult",
    "ProgressCallback",
    "RowError",
    "apply",
    "import_cases",
    "process_run",
    "validate",
]
