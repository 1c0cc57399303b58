"""Every CSV and XLSX export writes text a spreadsheet would run as a formula as plain text with
an apostrophe before it (ADR 0028): for each export, text fields holding formula payloads are
read back from the file, and must be there, neutralised, with no formula cell anywhere."""

import csv
import io

import pyarrow as pa
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safehold import audit
from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.choices import Action
from safehold.cases.models import ReferralSource
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core.exports import is_formula_like, safe_cell
from safehold.crime import formats as crime_formats
from safehold.crime.queries import Table
from safehold.people.tests.factories import PersonFactory
from safehold.performance.imports import import_indicators, import_values

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(1)"]


def _csv_cells(content: bytes) -> list:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    return [c.value for c in cells]


def _people():
    programme = ProgrammeFactory()
    for payload in PAYLOADS:
        CaseFactory(
            programme=programme,
            subject=PersonFactory(
                owning_agency=programme.lead_agency, given_name=payload, family_name="Example"
            ),
        )
    return programme.lead_agency


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _case_list(fmt):
    def fetch(client):
        return _body(client.get(reverse("cases:export"), {"format": fmt}))

    return fetch


def _evaluation(fmt):
    def fetch(client):
        programme = ProgrammeFactory._meta.model.objects.get()
        params = {"format": fmt, "programme": programme.pk, "date_from_day": "1",
                  "date_from_month": "1", "date_from_year": "2023", "date_to_day": "31",
                  "date_to_month": "12", "date_to_year": "2023"}  # fmt: skip
        return client.get(reverse("reports:evaluation"), params).content

    return fetch


def _sources():
    programme = ProgrammeFactory()
    for payload in PAYLOADS:
        CaseFactory(
            programme=programme, referral_source=ReferralSource.objects.create(name=payload)
        )
    return programme.lead_agency


def _indicators():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "theme", "source", "unit", "polarity", "tolerance_percent",
                     "frequency"])  # fmt: skip
    for n, payload in enumerate(PAYLOADS):
        writer.writerow([f"X-{n}", payload, payload, "GMP", "count", "none", "", "annual"])
    import_indicators(data=out.getvalue(), by=None)
    values = "code,period,value,count,break_in_series\n" + "".join(
        f"X-{n},2016/17,{n + 1},,\n" for n in range(len(PAYLOADS))
    )
    import_values(data=values, by=None)
    return None


def _board(fmt):
    def fetch(client):
        return client.get(
            reverse("performance:report"), {"period": "2016/17", "format": fmt}
        ).content

    return fetch


def _audit_events():
    user = UserFactory(role=Role.IG_OFFICER)
    for payload in PAYLOADS:
        audit.record(action=Action.CONSULT, actor=user, object_type="cases.case", purpose=payload)
    return user


EXPORTS = {
    "case list CSV": (_people, _case_list("csv"), Role.CASEWORKER, False),
    "case list XLSX": (_people, _case_list("xlsx"), Role.CASEWORKER, True),
    "all cases CSV (import format)": (
        _people,
        lambda client: client.get(reverse("cases:export-csv")).content,
        Role.CASEWORKER,
        False,
    ),
    "evaluation report CSV": (_sources, _evaluation("csv"), Role.ANALYST, False),
    "evaluation report XLSX": (_sources, _evaluation("xlsx"), Role.ANALYST, True),
    "board report CSV": (_indicators, _board("csv"), Role.SUPERVISOR, False),
    "board report XLSX": (_indicators, _board("xlsx"), Role.SUPERVISOR, True),
}


@pytest.mark.parametrize("name", EXPORTS)
def test_every_export_writes_formula_text_as_neutralised_text(client, db, name):
    plant, fetch, role, xlsx = EXPORTS[name]
    agency = plant()
    client.force_login(UserFactory(role=role, **({"agency": agency} if agency else {})))
    content = fetch(client)
    cells = _xlsx_cells(content) if xlsx else _csv_cells(content)
    for payload in PAYLOADS:
        written = [c for c in cells if isinstance(c, str) and payload in c]
        assert written, f"{payload} is not in the export at all"  # the positive control
        assert any(c.startswith(f"'{payload}") for c in written), written
    assert not [c for c in cells if isinstance(c, str) and is_formula_like(c)]


def test_the_audit_export_neutralises_formula_text(client, db):
    ig = _audit_events()
    client.force_login(ig)
    response = client.get(reverse("audit:export"), {"actor": ig.pk})
    assert response.status_code == 200
    content = _body(response)
    cells = _csv_cells(content)
    assert {f"'{p}" for p in PAYLOADS} <= set(cells)
    assert not [c for c in cells if is_formula_like(c)]


def test_the_crime_analyses_neutralise_formula_text_in_csv_and_xlsx():
    arrow = pa.table(
        {"location": [*PAYLOADS, "On or near High Street"], "crimes": [1, -2, 3, 4, 5]}
    )
    table = Table(("location", "crimes"), arrow)
    cells = _csv_cells(crime_formats.as_csv(table).encode())
    assert cells[2:4] == ['\'=HYPERLINK("http://x","y")', "1"]
    assert "-2" in cells and "'-1+1" in cells and "On or near High Street" in cells
    cells = _xlsx_cells(crime_formats.as_xlsx("top", {"area": "=1"}, table))
    assert {f"'{p}" for p in PAYLOADS} | {"'=1", -2} <= set(cells)


def test_numbers_stay_numbers_and_ordinary_text_is_unchanged():
    assert [safe_cell(v) for v in (-1, -1.5, "-1.5", "-2.1600000", "EXP-2023-0001", None)] == [
        -1,
        -1.5,
        "-1.5",
        "-2.1600000",
        "EXP-2023-0001",
        None,
    ]
    assert [safe_cell(v) for v in ("-1+2", "+1", "\tx", "\rx", "-")] == [
        "'-1+2",
        "'+1",
        "'\tx",
        "'\rx",
        "'-",
    ]


# Every place that writes a CSV or XLSX file, and why it may use a raw writer. Any other raw
# writer fails the test below: a new export must go through safehold.core.exports (ADR 0064).
RAW_WRITERS_ALLOWED = {
    "safehold/core/exports.py": "the neutraliser itself",
    "safehold/networks/formats/csv.py": "every cell through guard(), tested in networks",
    "safehold/crime/formats.py": "every text column through safe_arrow_column, tested above",
    "safehold/demo/linkage.py": "writes the demo's input files, not an export",
    "safehold/demo/incidents.py": "writes the demo's input files, not an export",
}
RAW_CALLS = {"writer", "DictWriter", "write_csv", "to_csv", "cell"}


def _raw_writer_calls(tree) -> list[str]:
    """Calls of csv.writer / csv.DictWriter / pyarrow.csv.write_csv / DataFrame.to_csv and
    openpyxl's sheet.cell(value=…), by line."""
    import ast

    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, owner = node.func.attr, node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else ""
        if name in {"writer", "DictWriter"} and owner_name == "csv":
            found.append(f"{node.lineno}: csv.{name}")
        elif name in {"write_csv", "to_csv"} and owner_name in {"pacsv", "csv", "df", "frame"}:
            found.append(f"{node.lineno}: {owner_name}.{name}")
        elif name == "cell" and any(k.arg == "value" for k in node.keywords):
            found.append(f"{node.lineno}: sheet.cell(value=…)")
    return found


def test_every_csv_and_xlsx_writer_of_the_product_goes_through_the_neutraliser():
    """A source check over every module: an export that writes cells with a raw csv writer
    or openpyxl's own append would let `=…` through (the intelligence list did)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    offenders, seen_allowed = {}, set()
    for path in sorted((root / "safehold").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        source = path.read_text(encoding="utf-8")
        calls = _raw_writer_calls(ast.parse(source))
        # openpyxl: a module that makes a Workbook appends its rows with append_row only.
        if "Workbook(" in source and (
            "append_row" not in source or ".append(safe_row" in source.replace(" ", "")
        ):
            calls.append("Workbook without append_row")
        if "openpyxl" in source:
            sheet_appends = [
                n.lineno
                for n in ast.walk(ast.parse(source))
                if isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute)
                and n.func.attr == "append"
                and isinstance(n.func.value, ast.Name)
                and n.func.value.id in {"sheet", "ws", "worksheet", "about", "book"}
            ]
            calls += [f"{line}: sheet.append" for line in sheet_appends]
        if not calls:
            continue
        if relative in RAW_WRITERS_ALLOWED:
            seen_allowed.add(relative)
            continue
        offenders[relative] = calls
    assert not offenders, f"raw CSV/XLSX writers, not through safehold.core.exports: {offenders}"
    # The positive control: the scan does find the raw writers that are allowed.
    assert seen_allowed >= {"safehold/core/exports.py", "safehold/networks/formats/csv.py"}


def test_tab_and_carriage_return_starts_are_neutralised_in_csv_and_xlsx_files():
    from openpyxl import Workbook

    from safehold.core.exports import append_row, csv_writer

    values = ["\t=1+2", "\r=3+4", "=1", "+1", "-1+1", "@SUM(1)", "-1.5", "text"]
    out = io.StringIO()
    csv_writer(out).writerow(values)
    assert _csv_cells(out.getvalue().encode()) == [*("'" + v for v in values[:6]), "-1.5", "text"]
    book = Workbook()
    append_row(book.active, values)
    saved = io.BytesIO()
    book.save(saved)
    # XML reads a carriage return back as a line feed; the apostrophe is what matters.
    expected = [*("'" + v.replace("\r", "\n") for v in values[:6]), "-1.5", "text"]
    assert _xlsx_cells(saved.getvalue()) == expected
