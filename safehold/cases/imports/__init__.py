"""Historic cases into Safehold from CSV (docs/formats/cases-csv.md); split next (#13)."""

from safehold.cases.imports.validate import *  # noqa: F403
from safehold.cases.imports.validate import KIND, export_cases, import_cases, process_run  # noqa: F401
