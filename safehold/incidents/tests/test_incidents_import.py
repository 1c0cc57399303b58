"""Importing partner incident logs: validated all or nothing, idempotent, replaced by reference."""

import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.geography.postcode_files import load_postcode_points
from safehold.geography.postcodes import to_wgs84
from safehold.hotspots.grid import to_bng
from safehold.incidents.selectors import connect
from safehold.incidents.services import (
    ImportInvalid,
    import_incidents,
    validate_incidents,
)
from safehold.incidents.store import dataset_path, source_key, sources_dir

SAMPLE = Path(__file__).parent / "data" / "incidents" / "log.csv"
HEADER = "reference,occurred_at,type,latitude,longitude,postcode,source\n"
UTC = datetime.UTC
NOW = datetime.datetime(2024, 6, 1, 12, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(agency):
    return UserFactory(agency=agency, role=Role.ADMINISTRATOR)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "incidents"


def stored(source="Example Homes") -> list[dict]:
    path = dataset_path(source)
    return pq.read_table(path).to_pylist() if path.exists() else []


def errors_of(text: str, **kwargs) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportInvalid) as caught:
        import_incidents(data=text, now=NOW, **kwargs)
    return [(e.row, e.column, e.message) for e in caught.value.errors]


def test_the_sample_file_is_stored_with_utc_times_and_bng_places(caseworker):
    result = import_incidents(data=SAMPLE.read_bytes(), by=caseworker, file_name="incidents.csv")
    assert (result.added, result.replaced, result.unchanged, result.total) == (20, 0, 0, 20)
    assert result.source == "Example Homes"
    rows = {r["reference"]: r for r in stored()}
    assert len(rows) == 20
    # 21:15 BST on 17 June is 20:15 UTC; 22:40 GMT in January is 22:40 UTC.
    assert rows["EXH-ASB-0005"]["occurred_at"] == datetime.datetime(2023, 6, 17, 20, 15, tzinfo=UTC)
    assert rows["EXH-ASB-0001"]["occurred_at"] == datetime.datetime(2023, 1, 14, 22, 40, tzinfo=UTC)
    # The hour the clocks go back: no offset means the first (BST) 01:30; +00:00 the second.
    assert rows["EXH-ASB-0009"]["occurred_at"] == datetime.datetime(2023, 10, 29, 0, 30, tzinfo=UTC)
    assert rows["EXH-ASB-0010"]["occurred_at"] == datetime.datetime(2023, 10, 29, 1, 30, tzinfo=UTC)
    assert rows["EXH-ASB-0006"]["occurred_at"] == datetime.datetime(2023, 7, 4, 20, 15, tzinfo=UTC)
    # By postcode: the lookup's published position; by coordinates: projected.
    sk1 = rows["EXH-ASB-0007"]
    assert (sk1["located_by"], sk1["postcode"]) == ("postcode", "SK1 1EB")
    lon, lat = to_wgs84([389602], [390359])  # OS Code-Point Open's point, shipped
    assert (sk1["latitude"], sk1["longitude"], sk1["easting"], sk1["northing"]) == (
        float(lat[0]), float(lon[0]), 389602, 390359
    )  # fmt: skip
    first = rows["EXH-ASB-0001"]
    e, n = to_bng(-2.15804, 53.40912)
    assert first["located_by"] == "coordinates" and first["postcode"] is None
    assert (first["easting"], first["northing"]) == pytest.approx((float(e), float(n)))
    assert set(first) == {
        "source", "reference", "type", "occurred_at", "latitude", "longitude", "easting",
        "northing", "postcode", "located_by", "imported_at",
    }  # fmt: skip


def test_one_audit_event_per_import_names_who_what_and_which_file(caseworker):
    import_incidents(data=SAMPLE.read_bytes(), by=caseworker, file_name="incidents.csv")
    event = AuditEvent.objects.get(object_type="crime.incidents")
    assert event.action == "collect" and event.actor == caseworker
    assert source_key("Example Homes") in event.object_ids.split()
    assert "sha256:" in event.object_ids
    assert "incidents.csv" in event.purpose and "20 added" in event.purpose


def test_re_importing_the_same_file_changes_nothing(caseworker):
    import_incidents(data=SAMPLE.read_bytes(), by=caseworker)
    path = dataset_path("Example Homes")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    again = import_incidents(data=SAMPLE.read_bytes(), by=caseworker)
    assert (again.added, again.replaced, again.unchanged, again.total) == (0, 0, 20, 20)
    assert not again.changed
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert AuditEvent.objects.filter(object_type="crime.incidents").count() == 2


def test_a_file_with_the_same_references_replaces_those_incidents(caseworker):
    import_incidents(data=SAMPLE.read_bytes(), by=caseworker)
    update = (
        HEADER
        + "EXH-ASB-0001,2023-01-14T22:40,Criminal damage,53.40912,-2.15804,,Example Homes\n"
        + "EXH-ASB-0002,2023-03-25 23:50:00,Anti-social behaviour,53.40871,-2.16122,,Example Homes\n"
        + "EXH-ASB-0100,2023-12-01T17:00,Noise,53.40871,-2.16122,,Example Homes\n"
    )
    result = import_incidents(data=update, by=caseworker)
    assert (result.added, result.replaced, result.unchanged, result.kept) == (1, 1, 1, 18)
    rows = stored()
    assert len(rows) == 21 == result.total
    by_ref = {r["reference"]: r for r in rows}
    assert by_ref["EXH-ASB-0001"]["type"] == "Criminal damage"
    assert [r["reference"] for r in rows].count("EXH-ASB-0001") == 1
    event = AuditEvent.objects.filter(object_type="crime.incidents").latest("id")
    assert event.action == "alter" and "1 replaced" in event.purpose


def test_the_source_is_one_dataset_whatever_its_case_and_keeps_its_first_spelling():
    import_incidents(data=SAMPLE.read_bytes())
    text = HEADER.replace(",source", "") + "EXH-ASB-0200,2023-12-02T17:00,Noise,53.4,-2.16,\n"
    result = import_incidents(data=text, source="example  HOMES")
    assert result.source == "Example Homes" and result.total == 21
    assert len(list(sources_dir().glob("*.parquet"))) == 1


@pytest.mark.parametrize(
    ("line", "row", "column", "words"),
    [
        ("X-1,2023-10-31T25:15,Noise,53.4,-2.16,,P", 3, "occurred_at", "real date and time"),
        ("X-1,31/10/23 21:15,Noise,53.4,-2.16,,P", 3, "occurred_at", "31/10/2023 21:15"),
        ("X-1,31/02/2023 21:15,Noise,53.4,-2.16,,P", 3, "occurred_at", "real date and time"),
        ("X-1,31/10/2023,Noise,53.4,-2.16,,P", 3, "occurred_at", "time as well as the date"),
        ("X-1,31/3/2024 01:30,Noise,53.4,-2.16,,P", 3, "occurred_at", "clocks went forward"),
        ("X-1,2023-10-31,Noise,53.4,-2.16,,P", 3, "occurred_at", "time as well as the date"),
        ("X-1,2024-03-31 01:30,Noise,53.4,-2.16,,P", 3, "occurred_at", "clocks went forward"),
        ("X-1,2024-07-01T10:00,Noise,53.4,-2.16,,P", 3, "occurred_at", "in the past"),
        ("X-1,2023-10-31T21:15,Noise,153.4,-2.16,,P", 3, "latitude", "between -90 and 90"),
        ("X-1,2023-10-31T21:15,Noise,north,-2.16,,P", 3, "latitude", "number of degrees"),
        ("X-1,2023-10-31T21:15,Noise,40.7,-74.0,,P", 3, "latitude", "outside Great Britain"),
        ("X-1,2023-10-31T21:15,Noise,53.4,,,P", 3, "longitude", "longitude too"),
        ("X-1,2023-10-31T21:15,Noise,,,SK9 9ZZ,P", 3, "postcode", "not in the postcode lookup"),
        ("X-1,2023-10-31T21:15,Noise,,,SK1,P", 3, "postcode", "postcode district"),
        ("X-1,2023-10-31T21:15,Noise,,,,P", 3, "postcode", "latitude and longitude, or a postcode"),
        ("X-1,2023-10-31T21:15,,53.4,-2.16,,P", 3, "type", "type of incident"),
        (",2023-10-31T21:15,Noise,53.4,-2.16,,P", 3, "reference", "reference"),
        ("X-1,2023-10-31T21:15,Noise,53.4,-2.16,,", 3, "source", "enter the source"),
        ("X-1,2023-10-31T21:15,No\x00ise,53.4,-2.16,,P", 3, "type", "NUL character (U+0000)"),
        ("X-1\x1b,2023-10-31T21:15,Noise,53.4,-2.16,,P", 3, "reference", "(U+001B)"),
    ],
)
def test_a_bad_row_names_its_row_and_column_and_nothing_is_stored(line, row, column, words):
    good = "G-1,2023-10-30T20:00,Noise,53.41,-2.16,,P\n"
    errors = errors_of(HEADER + good + line + "\n")
    assert len(errors) == 1, errors
    assert errors[0][:2] == (row, column)
    assert words in errors[0][2]
    assert not sources_dir().exists() or not any(sources_dir().iterdir())
    assert not AuditEvent.objects.filter(object_type="crime.incidents").exists()


def test_a_duplicate_reference_names_both_rows():
    text = (
        HEADER
        + "A-1,2023-10-30T20:00,Noise,53.41,-2.16,,P\n"
        + "A-2,2023-10-30T20:00,Noise,53.41,-2.16,,P\n"
        + "A-1,2023-10-31T20:00,Noise,53.41,-2.16,,P\n"
    )
    assert errors_of(text) == [
        (4, "reference", "A-1 is also on row 2: each incident must appear once")
    ]


@pytest.mark.parametrize(
    ("header", "column", "words"),
    [
        ("reference,type,latitude,longitude,source", "occurred_at", "no occurred_at column"),
        ("occurred_at,type,latitude,longitude,source", "reference", "no reference column"),
        ("reference,occurred_at,latitude,longitude,source", "type", "no type column"),
        ("reference,occurred_at,type,latitude,source", "longitude", "or a postcode column"),
        ("reference,occurred_at,type,latitude,longitude", "source", "no source column"),
        ("reference,occurred_at,type,postcode,source,name", "name", "carry no names"),
        ("reference,occurred_at,type,postcode,source,type", "type", "more than once"),
    ],
)
def test_a_missing_or_unknown_column_is_named_in_row_one(header, column, words):
    errors = errors_of(header + "\nA-1,2023-10-30T20:00,Noise,SK1 1EB,P\n")
    assert (1, column) in [e[:2] for e in errors]
    assert any(words in e[2] for e in errors if e[1] == column)
    assert not sources_dir().exists() or not any(sources_dir().iterdir())


def test_every_problem_is_listed_with_one_good_row_among_them():
    text = (
        HEADER
        + "A-1,2023-10-30T20:00,Noise,53.41,-2.16,,P\n"
        + "A-2,not a date,,95,-2.16,,P\n"
        + "A-3,2023-10-30T20:00,Noise,,,ZZ1 1ZZ,P\n"
        + "A-4,2023-10-30T20:00,Noise,53.41,-2.16,,Q\n"
    )
    errors = errors_of(text)
    assert [(r, c) for r, c, _ in errors] == [
        (3, "occurred_at"), (3, "type"), (3, "latitude"), (4, "postcode"), (5, "source"),
    ]  # fmt: skip
    assert "same source as row 2" in errors[-1][2]


def test_every_error_is_written_for_a_person():
    text = HEADER + "A-1,2023-10-30,Noise,53.41,-2.16,,P\n"
    plan = validate_incidents(data=text, now=NOW)
    assert str(plan.errors[0]).startswith("Row 2, occurred_at: enter the time as well")


def test_a_row_source_that_differs_from_the_named_source_is_an_error():
    text = HEADER + "A-1,2023-10-30T20:00,Noise,53.41,-2.16,,Other Partner\n"
    errors = errors_of(text, source="Example Homes")
    assert errors[0][:2] == (2, "source") and "import is for “Example Homes”" in errors[0][2]
    # An empty or same source cell is fine.
    ok = (
        HEADER
        + "A-1,2023-10-30T20:00,Noise,53.41,-2.16,,example homes\nA-2,2023-10-30T20:00,Noise,53.41,-2.16,,\n"
    )
    assert import_incidents(data=ok, source="Example Homes", now=NOW).added == 2


def test_offsets_and_seconds_are_understood():
    text = (
        HEADER
        + "A-1,2023-07-01T21:15:30Z,Noise,53.41,-2.16,,P\n"
        + "A-2,2023-07-01T21:15+01:00,Noise,53.41,-2.16,,P\n"
        + "A-3,2023-07-01 21:15:00.250,Noise,53.41,-2.16,,P\n"
    )
    plan = validate_incidents(data=text, now=NOW)
    assert [r.occurred_at for r in plan.rows] == [
        datetime.datetime(2023, 7, 1, 21, 15, 30, tzinfo=UTC),
        datetime.datetime(2023, 7, 1, 20, 15, tzinfo=UTC),
        datetime.datetime(2023, 7, 1, 20, 15, 0, 250000, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        # As Excel writes them in the UK: day first, UK local time.
        ("31/10/2023 21:15", datetime.datetime(2023, 10, 31, 21, 15, tzinfo=UTC)),
        ("17/06/2023 21:15:30", datetime.datetime(2023, 6, 17, 20, 15, 30, tzinfo=UTC)),
        ("1/7/2023 9:05", datetime.datetime(2023, 7, 1, 8, 5, tzinfo=UTC)),
        ("17-06-2023 9:15 pm", datetime.datetime(2023, 6, 17, 20, 15, tzinfo=UTC)),
        ("14/01/2023 12:40 AM", datetime.datetime(2023, 1, 14, 0, 40, tzinfo=UTC)),
    ],
)
def test_day_first_dates_as_excel_writes_them_are_accepted(written, utc):
    result = import_incidents(data=HEADER + f"X-1,{written},Noise,53.4,-2.16,,P\n", now=NOW)
    assert result.added == 1
    assert stored("P")[0]["occurred_at"] == utc


def test_not_utf8_and_empty_files_are_refused():
    assert "not UTF-8" in errors_of("reference\nA-1 caf\xe9\n".encode("latin-1"))[0][2]
    assert "empty" in errors_of("")[0][2]
    assert "no incidents" in errors_of(HEADER)[0][2]


def test_loaded_postcode_points_place_postcodes_the_shipped_extract_lacks(administrator):
    onspd = (
        "pcds,lat,long,oseast1m,osnrth1m,doterm\n"
        "WA1 1AA,53.361140,-2.134000,391123,384937,\n"
        "SK9 9ZZ,99.999999,0.000000,,,\n"
        "m12 1ab,53.330000,-2.100000,,,\n"
    )
    loaded = load_postcode_points(source=onspd.encode(), by=administrator, file_name="onspd.csv")
    assert (loaded.postcodes, loaded.skipped) == (2, 1)
    text = (
        HEADER + "A-1,2023-10-30T20:00,Noise,,,WA1 1AA,P\nA-2,2023-10-30T21:00,Noise,,,M12 1AB,P\n"
    )
    import_incidents(data=text, now=NOW)
    rows = {r["reference"]: r for r in stored("P")}
    assert (rows["A-1"]["easting"], rows["A-1"]["northing"]) == (391123, 384937)
    e, n = to_bng(-2.1, 53.33)  # no published grid reference: projected
    assert (rows["A-2"]["easting"], rows["A-2"]["northing"]) == pytest.approx(
        (float(e), float(n)), abs=0.1
    )
    # Loaded points add to the shipped SK postcodes: those still answer.
    assert import_incidents(data=HEADER + "A-3,2023-10-30T20:00,Noise,,,SK1 1EB,P\n", now=NOW).added
    event = AuditEvent.objects.get(object_type="geography.postcode_points")
    assert event.actor == administrator and "onspd.csv" in event.purpose


def test_postcode_points_with_a_bad_row_load_nothing():
    with pytest.raises(ImportInvalid) as caught:
        load_postcode_points(
            source=b"postcode,lat,lon\nWA7 1AA,53.36,-2.13\nnonsense,53.3,-2.1\n", file_name="x"
        )
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "postcode")]
    with pytest.raises(ImportInvalid) as caught:
        load_postcode_points(
            source=b"postcode,lat,lon\nWA7 1AA,53.36,-2.13\nWA7 1AB\x00,53.3,-2.1\n", file_name="x"
        )
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "postcode")]
    assert "NUL character" in caught.value.errors[0].message
    with pytest.raises(ImportInvalid) as caught:
        load_postcode_points(source=b"code,lat,lon\n", file_name="x")
    assert "no postcode column" in caught.value.errors[0].message
    # Nothing was loaded; the shipped extract still answers.
    assert "WA7 1AA" in errors_of(HEADER + "A-1,2023-10-30T20:00,Noise,,,WA7 1AA,P\n")[0][2]
    text = HEADER + "A-1,2023-10-30T20:00,Noise,,,SK1 1EB,P\n"
    assert import_incidents(data=text, now=NOW).added == 1


def test_the_view_reads_every_source():
    import_incidents(data=SAMPLE.read_bytes())
    import_incidents(data=HEADER + "A-1,2023-10-30T20:00,Noise,53.41,-2.16,,Other\n", now=NOW)
    with connect() as con:
        assert con.execute(
            "SELECT source, count(*) FROM incidents GROUP BY ALL ORDER BY 1"
        ).fetchall() == [("Example Homes", 20), ("Other", 1)]


def test_a_row_far_longer_than_an_incident_is_refused_naming_it_and_the_log_is_kept(caseworker):
    """Issue 12, finding 7d, for incident logs: the CSV reader stops at a value longer than its
    field limit and names the row; nothing is skipped, and the stored log stays as it was. (An
    incident log is a CSV, never a zip: finding 7f does not arise.)"""
    import_incidents(data=SAMPLE.read_bytes(), by=caseworker)
    before = stored()
    lines = SAMPLE.read_text().splitlines(keepends=True)
    long_row = lines[1].rstrip("\n").replace("Anti-social behaviour", "x" * 40_000_000) + "\n"
    assert len(long_row) > 40_000_000
    errors = errors_of("".join(lines[:3]) + long_row + "".join(lines[3:]))
    assert errors == [
        (4, "", "the file cannot be read as CSV (field larger than field limit (131072))")
    ]
    assert stored() == before
