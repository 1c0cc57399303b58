"""`safehold incidents …`: import, sources, the analyses as CSV and JSON, the postcode lookup."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safehold.audit.models import AuditEvent

SAMPLE = Path(__file__).parent / "data" / "incidents" / "log.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def run(*args) -> str:
    out = io.StringIO()
    call_command("incidents", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_then_re_import_reports_what_changed(caseworker):
    first = run("import", str(SAMPLE), "--user", caseworker.email)
    assert "20 new, 0 replaced, 0 unchanged; 20 incident(s) stored for Example Homes" in first
    assert "Nothing changed: all 20 incident(s)" in run("import", str(SAMPLE))
    events = AuditEvent.objects.filter(object_type="crime.incidents").order_by("id")
    assert [e.actor for e in events] == [caseworker, None]
    assert all(e.channel == "cli" for e in events)


def test_a_bad_file_names_each_row_and_column_and_imports_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reference,occurred_at,type,postcode\n"
        "A-1,2023-10-31T21:15,Noise,SK1 1EB\n"
        "A-2,yesterday,Noise,SK1 1EB\n"
        "A-1,2023-10-31T21:15,,SK9 9ZZ\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        run("import", str(bad), "--source", "Example Homes")
    message = str(caught.value)
    assert "The file has 4 problem(s); nothing was imported:" in message
    assert "Row 3, occurred_at: enter the date and time like 31/10/2023 21:15" in message
    assert "Row 4, reference: A-1 is also on row 2" in message
    assert "Row 4, type: enter the type of incident" in message
    assert "Row 4, postcode: SK9 9ZZ is not in the postcode lookup" in message
    assert "No incidents stored yet" in run("sources")


def test_sources_lists_what_is_stored():
    run("import", str(SAMPLE))
    listing = run("sources")
    assert listing.startswith("Example Homes: 20 incident(s), 2023-01-14 to 2023-11-18")
    assert "Fireworks 6" in listing


def test_heatmap_as_csv_and_json(tmp_path):
    run("import", str(SAMPLE))
    rows = list(csv.reader(io.StringIO(run("heatmap", "--format", "csv"))))
    assert rows[0][0] == "day" and rows[0][1] == "00" and rows[0][-1] == "total"
    assert [r[0] for r in rows[1:]] == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "total",
    ]  # fmt: skip
    assert rows[-1][-1] == "20"
    out = tmp_path / "heatmap.json"
    run("heatmap", "--format", "json", "--output", str(out), "--type", "Fireworks")
    data = json.loads(out.read_text())
    assert data["total"] == 6 and data["filters"]["types"] == ["Fireworks"]
    assert len(data["counts"]) == 7 and len(data["counts"][0]) == 24
    assert data["peak_days"] == ["Sunday"]  # 5 November 2023 was a Sunday
    consults = AuditEvent.objects.filter(object_type="crime.incidents", action="consult")
    assert consults.count() == 2


def test_seasonal_as_json_and_csv():
    run("import", str(SAMPLE))
    data = json.loads(run("seasonal", "--from", "2023-01-01", "--to", "2023-12-31"))
    assert data["total"] == 20
    halloween, bonfire = data["call_outs"]
    assert (halloween["label"], halloween["incidents"]) == ("Halloween", 4)
    assert (bonfire["label"], bonfire["incidents"]) == ("Bonfire Night", 4)
    # October: 6 incidents (two on the 29th, four on the 31st) over 31 days.
    assert halloween["ratio"] == round(4 / (6 / 31), 4)
    rows = list(csv.DictReader(io.StringIO(run("seasonal", "--format", "csv"))))
    assert {r["section"] for r in rows} == {"month", "summer", "call_out", "around"}


def test_hotspots_as_geojson_and_csv():
    run("import", str(SAMPLE))
    layer = json.loads(run("hotspots", "--cell-size", "500", "--all-cells"))
    assert layer["type"] == "FeatureCollection"
    assert layer["safehold"]["cell_size_m"] == 500 and layer["safehold"]["incidents"] == 20
    assert sum(f["properties"]["count"] for f in layer["features"]) == 20
    assert sum(layer["safehold"]["classes"].values()) == len(layer["features"])
    rows = list(csv.DictReader(io.StringIO(run("hotspots", "--format", "csv", "--all-cells"))))
    assert rows and rows[0]["polygon_wkt"].startswith("POLYGON((")
    assert sum(int(r["count"]) for r in rows) == 20


def test_bad_options_are_explained():
    with pytest.raises(CommandError, match="not a date"):
        run("heatmap", "--from", "31/10/2023")
    with pytest.raises(CommandError, match="after its start"):
        run("seasonal", "--from", "2023-12-01", "--to", "2023-01-01")
    with pytest.raises(CommandError, match="no user"):
        run("import", str(SAMPLE), "--user", "nobody@example.invalid")
