"""The committed Safer Stockport Partnership 2016/17 framework (data/ssp_2016_17/README.md),
loaded through the same imports and services as a user's files, so loading it twice changes
nothing. `safehold demo load` uses it."""

import csv
import io
from pathlib import Path

from safehold.performance import imports, services
from safehold.performance.models import Theme
from safehold.performance.periods import parse

SSP_2016_17 = Path(__file__).resolve().parent / "data" / "ssp_2016_17"


def load_ssp_2016_17(*, by) -> dict[str, int]:
    """Import the indicators and values, and write the narratives; returns what changed."""
    folder = SSP_2016_17
    indicators = imports.import_indicators(
        data=(folder / "indicators.csv").read_bytes(), by=by, file_name="indicators.csv"
    )
    values = imports.import_values(
        data=(folder / "values.csv").read_bytes(), by=by, file_name="values.csv"
    )
    written = 0
    rows = csv.DictReader(io.StringIO((folder / "narratives.csv").read_text(encoding="utf-8")))
    for row in rows:
        _, changed = services.write_narrative(
            theme=Theme.objects.get(name=row["theme"]),
            period=parse(row["period"]),
            text=row["narrative"],
            by=by,
        )
        written += changed
    return {
        "indicators": indicators.created + indicators.changed,
        "values": values.created + values.changed,
        "narratives": written,
    }
