"""The historic cases files and helpers the import and export tests share."""

import csv
import io
from pathlib import Path

from safehold.cases import exports, imports
from safehold.cases.models import AsbHandover, Case, ReferenceCounter
from safehold.people.models import Location, Person

GOOD_FILE = Path(__file__).parent.parent / "data" / "historic_cases.csv"


def good_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(GOOD_FILE.read_text(encoding="utf-8"))))


def to_csv(rows: list[dict[str, str]], columns=imports.COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def errors_of(text: str | bytes, programme) -> list[str]:
    return [str(e) for e in imports.validate(data=text, programme=programme).errors]


def wipe_cases() -> None:
    """An empty casework database (geography, agencies and users stay)."""
    AsbHandover.objects.all().delete()
    Case.objects.all().delete()
    Person.objects.all().delete()
    Location.objects.all().delete()
    ReferenceCounter.objects.all().delete()


def export_text(programme) -> str:
    out = io.StringIO()
    exports.export_cases(cases=Case.objects.filter(programme=programme), out=out, by=None)
    return out.getvalue()


def canonical(rows: list[dict[str, str]], programme) -> list[dict[str, str]]:
    """The file as Safehold writes it: postcodes normalised, measures in a fixed order."""
    plan = imports.validate(data=to_csv(rows), programme=programme)
    return sorted((r.as_csv() for r in plan.rows), key=lambda r: r["reference"])
