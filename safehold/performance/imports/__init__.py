"""`safehold kpi import-indicators FILE.csv` and `import-values FILE.csv`: the whole file is
checked first and written in one transaction, or (if any row is wrong) not at all, with every
problem named by row and column. Formats: docs/formats/kpi-indicators-csv.md and
kpi-values-csv.md.

A row that matches what Safehold already holds is unchanged and writes nothing, so importing
the same file again changes nothing and leaves no audit events.
"""

from safehold.performance.imports.files import (
    CODE_HINT,
    CODE_RE,
    ImportInvalid,
    ImportResult,
    RowError,
)
from safehold.performance.imports.indicators import import_indicators
from safehold.performance.imports.values import import_values

__all__ = [
    "CODE_HINT",
    "CODE_RE",
    "ImportInvalid",
    "ImportResult",
    "RowError",
    "import_indicators",
    "import_values",
]
