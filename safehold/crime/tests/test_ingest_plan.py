"""What an import will do, found before anything is converted (the files, their kinds, forces
and months, the force-months it replaces), and files kept under another name (an upload)."""

import shutil

import pytest

from safehold.crime.ingest import ImportRefused, import_police_files, plan_police_files
from safehold.crime.models import CrimeImport
from safehold.crime.store import Partition
from safehold.crime.tests.conftest import CLEVELAND, stored_rows, zip_folder

pytestmark = pytest.mark.django_db


def test_the_plan_names_each_file_and_the_force_months_already_held(store, police_folder):
    import_police_files(paths=[CLEVELAND[0]])
    plan = plan_police_files(paths=[police_folder])
    assert plan.errors == []
    assert [str(s.partition) for s in plan.sources] == [
        "outcomes cleveland 2023-03",
        "stop-and-search greater-manchester 2018-09",
        "street btp 2020-01",
        "street cleveland 2023-02",
        "street cleveland 2023-03",
    ]
    assert plan.replacing == {Partition("street", "cleveland", "2023-02")}
    assert stored_rows(store).keys() == {"kind=street/force=cleveland/month=2023-02/data.parquet"}


def test_the_plan_lists_every_problem_of_names_and_headers(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2023-04-cleveland-street.csv").write_text("Month,Crime.type\n2023-04,Burglary\n")
    shutil.copy(CLEVELAND[0], folder / "notes.csv")
    plan = plan_police_files(paths=[folder])
    named, shaped = plan.errors  # names are checked first, then the headers of those named
    assert named.startswith(f"{folder / 'notes.csv'}: the name does not say")
    assert named.endswith("Its columns are those of a police.uk street file")
    assert shaped.startswith(f"{folder / '2023-04-cleveland-street.csv'}: not the columns of a")


def test_nothing_given_is_a_problem(store, tmp_path):
    empty = tmp_path / "empty.zip"
    zip_folder(tmp_path / "nothing", empty)
    plan = plan_police_files(paths=[empty])
    assert plan.errors == [f"{empty}: the zip archive holds no CSV file"]


def test_a_file_kept_under_another_name_is_read_and_recorded_by_the_name_it_was_given(
    store, tmp_path, police_folder
):
    kept = tmp_path / "imports" / "1b2c.csv"
    kept.parent.mkdir()
    shutil.copy(zip_folder(police_folder, tmp_path / "x.zip"), kept)
    result = import_police_files(paths=[kept], names={kept: "police-uk.zip"})
    assert len(result.files) == 5
    assert "police-uk.zip:2023-03/2023-03-cleveland-street.csv" in {
        r.source for r in CrimeImport.objects.all()
    }
    csv_kept = tmp_path / "imports" / "3d4e.zip"
    shutil.copy(CLEVELAND[1], csv_kept)
    result = import_police_files(paths=[csv_kept], names={csv_kept: CLEVELAND[1].name})
    assert [f.source for f in result.files] == [CLEVELAND[1].name]
    assert result.files[0].replaced


def test_a_problem_of_a_file_kept_under_another_name_names_it_by_that_name(store, tmp_path):
    kept = tmp_path / "1b2c.csv"
    shutil.copy(CLEVELAND[1], kept)
    with pytest.raises(ImportRefused) as refused:
        import_police_files(paths=[kept], names={kept: "2023-04-cleveland-street.csv"})
    [error] = refused.value.errors
    assert error.startswith("2023-04-cleveland-street.csv: row 1 (line 2), column Month")
    assert str(kept) not in error
