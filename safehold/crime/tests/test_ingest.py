"""Importing police.uk files: all or nothing, replacing a force-month, never doubling it."""

# ruff: noqa: S608 -- the tests' own SQL reads the test files by path.

import csv
import json
import shutil

import duckdb
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.crime import queries
from safehold.crime.ingest import ImportRefused, import_police_files
from safehold.crime.ingest.files import STREET_COLUMNS
from safehold.crime.models import CrimeImport
from safehold.crime.tests.conftest import CLEVELAND, POLICE, stored_rows, zip_folder
from safehold.geography.boundaries import GM_BOUNDARIES

pytestmark = pytest.mark.django_db


def _raw_count(paths) -> int:
    files = ", ".join(f"'{p}'" for p in paths)
    return duckdb.sql(f"SELECT count(*) FROM read_csv([{files}], header=true)").fetchall()[0][0]


def test_importing_the_same_files_twice_holds_their_rows_once(store):
    first = import_police_files(paths=CLEVELAND)
    before = stored_rows(store)
    second = import_police_files(paths=CLEVELAND)
    assert first.rows == second.rows == _raw_count(CLEVELAND)
    assert stored_rows(store) == before
    con = queries.connect()
    assert queries.counts(con, group_by=[]).rows == [(_raw_count(CLEVELAND),)]
    assert [f.replaced for f in first.files] == [False, False]
    assert [f.replaced for f in second.files] == [True, True]
    assert CrimeImport.objects.count() == 4
    assert CrimeImport.objects.filter(run=second.run, replaced=True).count() == 2


def test_asb_rows_without_a_crime_id_are_all_kept(store):
    result = import_police_files(paths=CLEVELAND)
    no_id = duckdb.sql(
        "SELECT count(*) FROM read_csv(["
        + ", ".join(f"'{p}'" for p in CLEVELAND)
        + '], header=true) WHERE "Crime ID" IS NULL'
    ).fetchall()[0][0]
    assert no_id > 0
    con = queries.connect()
    stored = con.execute("SELECT count(*) FROM street WHERE crime_id IS NULL").fetchall()[0][0]
    assert stored == no_id
    assert result.rows == _raw_count(CLEVELAND)


def test_a_zip_and_a_folder_of_the_same_files_give_the_same_store(
    settings, tmp_path, police_folder
):
    settings.DATA_DIR = tmp_path / "from_folder"
    import_police_files(paths=[police_folder])
    from_folder = stored_rows(tmp_path / "from_folder" / "crime")
    archive = zip_folder(police_folder, tmp_path / "police.zip")
    settings.DATA_DIR = tmp_path / "from_zip"
    result = import_police_files(paths=[archive])
    from_zip = stored_rows(tmp_path / "from_zip" / "crime")
    assert from_zip == from_folder
    assert len(from_folder) == 5  # 3 street, 1 outcomes, 1 stop-and-search partitions
    assert any(":2023-03/2023-03-cleveland-street.csv" in f.source for f in result.files)


def test_the_import_is_recorded_with_its_hash_and_one_audit_event(store):
    analyst = UserFactory(role=Role.ANALYST)
    result = import_police_files(paths=[CLEVELAND[0]], by=analyst)
    record = CrimeImport.objects.get()
    assert (record.kind, record.force, record.month) == ("street", "cleveland", "2023-02")
    assert record.rows == result.rows
    assert record.imported_by == analyst
    import hashlib

    assert record.sha256 == hashlib.sha256(CLEVELAND[0].read_bytes()).hexdigest()
    event = AuditEvent.objects.get(object_type="crime.import")
    assert event.action == "collect"
    assert event.actor == analyst
    assert event.object_ids == str(record.pk)


def _copy(source, folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    return shutil.copy(source, folder / name)


def test_a_file_of_another_shape_is_refused_naming_it_and_nothing_is_written(store, tmp_path):
    odd = tmp_path / "in" / "2023-04-cleveland-street.csv"
    odd.parent.mkdir()
    odd.write_text("Month,Crime.type,Longitude,Latitude\n2023-04,Burglary,-1.2,54.5\n")
    with pytest.raises(ImportRefused) as refused:
        import_police_files(paths=[*CLEVELAND, odd])
    [error] = refused.value.errors
    assert str(odd) in error
    assert "not the columns of a police.uk street file" in error
    assert "missing Crime ID" in error
    assert stored_rows(store) == {}
    assert not CrimeImport.objects.exists()
    assert not AuditEvent.objects.filter(object_type="crime.import").exists()


def test_a_month_that_disagrees_with_the_file_name_is_refused_naming_the_row(store, tmp_path):
    renamed = _copy(CLEVELAND[1], tmp_path / "in", "2023-04-cleveland-street.csv")
    with pytest.raises(ImportRefused) as refused:
        import_police_files(paths=[CLEVELAND[0], renamed])
    [error] = refused.value.errors
    assert error.startswith(f"{renamed}: row 1 (line 2), column Month is 2023-03")
    assert "the file name says 2023-04" in error
    assert stored_rows(store) == {}


def test_a_bad_value_is_refused_naming_its_line_and_column(store, tmp_path):
    lines = CLEVELAND[0].read_text().splitlines()
    row = next(csv.reader([lines[5]]))
    row[4] = "west"
    lines[5] = ",".join(row)
    bad = tmp_path / "in" / CLEVELAND[0].name
    bad.parent.mkdir()
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportRefused) as refused:
        import_police_files(paths=[bad])
    assert refused.value.errors == [
        f"{bad}: line 6, column Longitude: Could not convert string \"west\" to 'DOUBLE'"
    ]


def test_rows_of_another_force_are_refused(store, tmp_path):
    renamed = _copy(CLEVELAND[0], tmp_path / "in", "2023-02-durham-street.csv")
    with pytest.raises(ImportRefused) as refused:
        import_police_files(paths=[renamed])
    assert "rows fall within Cleveland Police, not the force “durham”" in refused.value.errors[0]


def test_a_file_whose_name_says_nothing_is_refused(store, tmp_path):
    other = _copy(CLEVELAND[0], tmp_path / "in", "cleveland.csv")
    with pytest.raises(ImportRefused) as refused:
        import_police_files(paths=[tmp_path / "in"])
    assert refused.value.errors[0].startswith(f"{other}: the name does not say what the file")


def test_a_failed_run_leaves_an_earlier_import_as_it_was(store, tmp_path):
    import_police_files(paths=CLEVELAND)
    before = stored_rows(store)
    # A new version of February (fewer rows) with a bad file: neither is imported.
    lines = CLEVELAND[0].read_text().splitlines(keepends=True)
    newer = tmp_path / "in" / CLEVELAND[0].name
    newer.parent.mkdir()
    newer.write_text("".join(lines[:10]))
    bad = _copy(CLEVELAND[1], tmp_path / "in", "2023-05-cleveland-street.csv")
    with pytest.raises(ImportRefused):
        import_police_files(paths=[newer, bad])
    assert stored_rows(store) == before
    assert CrimeImport.objects.count() == 2
    # The new version alone replaces February and leaves March.
    import_police_files(paths=[newer])
    after = stored_rows(store)
    assert len(after["kind=street/force=cleveland/month=2023-02/data.parquet"]) == 9
    assert (
        after["kind=street/force=cleveland/month=2023-03/data.parquet"]
        == before["kind=street/force=cleveland/month=2023-03/data.parquet"]
    )


def test_two_different_files_for_one_force_month_are_refused(store, tmp_path):
    lines = CLEVELAND[0].read_text().splitlines(keepends=True)
    other = tmp_path / "other" / CLEVELAND[0].name
    other.parent.mkdir()
    other.write_text("".join(lines[:5]))
    with pytest.raises(ImportRefused) as refused:
        import_police_files(paths=[CLEVELAND[0], other])
    assert refused.value.errors[0].startswith("Two different files for street cleveland 2023-02")


def _gm_lsoa_point():
    feature = json.loads(GM_BOUNDARIES.read_text())["features"][100]
    point = shape(feature["geometry"]).representative_point()
    return feature["properties"]["area_code"], round(point.x, 6), round(point.y, 6)


def test_points_without_an_lsoa_are_placed_by_their_coordinates(store, tmp_path):
    code, longitude, latitude = _gm_lsoa_point()
    path = tmp_path / "in" / "2019-01-greater-manchester-street.csv"
    path.parent.mkdir()
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(STREET_COLUMNS)
        force = "Greater Manchester Police"
        w.writerow(
            ["", "2019-01", force, force, longitude, latitude, "", "", "", "Burglary", "", ""]
        )
        w.writerow(["", "2019-01", force, force, "", "", "No location", "", "", "Burglary", "", ""])
        w.writerow(["", "2019-01", force, force, -4.0, 53.9, "", "", "", "Burglary", "", ""])
    result = import_police_files(paths=[path])
    assert (result.rows, result.placed, result.unplaced) == (3, 1, 2)
    con = queries.connect()
    rows = con.execute("SELECT lsoa_code, lsoa21_code FROM crimes ORDER BY longitude").fetchall()
    assert (None, code) in rows  # the original LSOA code stays empty; the placed one groups it
    table = queries.counts(con, group_by=["lsoa"])
    assert (code, table.rows[0][1], 1) in table.rows


def test_stop_and_search_is_stored_by_the_uk_month_and_placed(store):
    path = POLICE / "2018-09-greater-manchester-stop-and-search.csv"
    result = import_police_files(paths=[path])
    assert result.rows == 40  # the first row is 23:05 UTC on 31 August: September in the UK
    con = queries.connect()
    placed = con.execute(
        "SELECT count(*) FROM stop_and_search s JOIN lsoa21 g ON g.lsoa21_code = s.placed_lsoa_code"
    ).fetchall()[0][0]
    with_coordinates = con.execute(
        "SELECT count(*) FROM stop_and_search WHERE longitude IS NOT NULL"
    ).fetchall()[0][0]
    assert placed == with_coordinates == result.placed > 0


def test_outcomes_files_are_stored(store):
    result = import_police_files(paths=[POLICE / "2023-03-cleveland-outcomes.csv"])
    con = queries.connect()
    assert con.execute("SELECT count(*) FROM outcomes").fetchall()[0][0] == result.rows == 176


@pytest.mark.parametrize("role", [Role.REFERRER, Role.CASEWORKER, Role.SUPERVISOR])
def test_roles_without_permission_cannot_import(store, role):
    with pytest.raises(PermissionDenied):
        import_police_files(paths=CLEVELAND, by=UserFactory(role=role))
    assert stored_rows(store) == {}


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR])
def test_analysts_and_administrators_can_import(store, role):
    assert import_police_files(paths=CLEVELAND, by=UserFactory(role=role)).rows > 0


def test_the_command_imports_and_says_what_it_did(store, capsys):
    call_command("crime", "import", *map(str, CLEVELAND))
    out = capsys.readouterr().out
    assert "Imported 2 file(s)" in out
    assert f"{_raw_count(CLEVELAND):,} rows ({_raw_count(CLEVELAND):,} street)" in out


def test_the_command_refuses_bad_files_with_a_non_zero_exit(store, tmp_path):
    renamed = _copy(CLEVELAND[1], tmp_path / "in", "2023-04-cleveland-street.csv")
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("crime", "import", str(renamed))


def test_the_command_refuses_a_user_who_may_not_import(store):
    user = UserFactory(role=Role.CASEWORKER)
    with pytest.raises(CommandError, match="Only analysts and administrators"):
        call_command("crime", "import", str(CLEVELAND[0]), "--user", user.email)


def test_a_control_character_in_a_police_file_refuses_the_import_naming_its_line(store, tmp_path):
    lines = CLEVELAND[0].read_text().splitlines()
    row = next(csv.reader([lines[5]]))
    row[STREET_COLUMNS.index("Location")] = "On or near\x00 High Street"
    lines[5] = ",".join(row)
    bad = tmp_path / "in" / CLEVELAND[0].name
    bad.parent.mkdir()
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportRefused) as refused:
        import_police_files(paths=[bad])
    assert refused.value.errors == [
        f"{bad}: line 6, column Location: contains a NUL character (U+0000), which Safehold "
        "does not accept: remove it"
    ]
    assert stored_rows(store) == {}
    assert not CrimeImport.objects.exists()
    assert import_police_files(paths=[CLEVELAND[0]]).rows  # the positive control: the clean file
