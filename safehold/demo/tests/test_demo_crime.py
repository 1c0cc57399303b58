"""The demo's police.uk data: Stockport's real burglaries, shipped with Safehold (no need for
../shared/data), imported by the demo's performance officer once, and never over files someone
else imported for the same force-months."""

import zipfile

import pytest
from django.conf import settings
from django.core.management import call_command

from safehold.audit.models import AuditEvent
from safehold.crime import queries, store
from safehold.crime.ingest import import_police_files
from safehold.crime.models import CrimeImport
from safehold.demo import crime as demo

pytestmark = pytest.mark.django_db

STOCKPORT = "E08000007"


def cut_rows() -> tuple[int, int]:
    """(files, rows) of the shipped cut, read straight from the zip."""
    with zipfile.ZipFile(demo.ARCHIVE) as archive:
        names = [n for n in archive.namelist() if n.endswith(".csv")]
        rows = sum(len(archive.read(n).decode().splitlines()) - 1 for n in names)
    return len(names), rows


def stored_files() -> dict[str, int]:
    root = store.store_root()
    return {
        str(p.relative_to(root)): p.stat().st_mtime_ns
        for p in root.glob("kind=*/force=*/month=*/data.parquet")
    }


def test_the_cut_ships_inside_safehold():
    assert demo.ARCHIVE.is_relative_to(settings.BASE_DIR / "safehold")
    files, rows = cut_rows()
    assert (files, rows) == (len(demo.members()), 9_648)


def test_demo_load_imports_the_burglaries_once(capsys):
    files, rows = cut_rows()
    call_command("demo", "load")
    out = capsys.readouterr().out
    assert (
        f"Loaded the demo police.uk data: {rows:,} burglaries in Stockport, February 2016 to "
        f"January 2019 ({files} force-months), {rows:,} placed by their coordinates." in out
    )
    records = CrimeImport.objects.all()
    assert records.count() == files and sum(r.rows for r in records) == rows
    assert {r.imported_by.email for r in records} == {demo.IMPORTER}
    # Recorded by the archive's name, not the folder Safehold is installed in.
    assert all(r.source.startswith(f"{demo.ARCHIVE.name}:20") for r in records)
    event = AuditEvent.objects.get(object_type="crime.import")
    assert event.action == "collect" and event.actor.email == demo.IMPORTER
    with queries.connect() as con:
        by_ward = queries.counts(con, group_by=["ward"], area=STOCKPORT)
        assert queries.coverage(con).rows == rows
    assert sum(n for *_, n in by_ward.rows) == rows  # every burglary in a Stockport ward
    assert len(by_ward.rows) == 21

    stored = stored_files()
    assert len(stored) == files
    call_command("demo", "load")
    assert "The demo police.uk data is already loaded." in capsys.readouterr().out
    assert stored_files() == stored  # nothing rewritten
    assert CrimeImport.objects.count() == files
    assert AuditEvent.objects.filter(object_type="crime.import").count() == 1


def test_a_store_emptied_since_is_loaded_again():
    first, _ = demo.load()
    assert first is not None and not demo.holding().missing
    for path in store.store_root().glob("kind=*"):
        import shutil

        shutil.rmtree(path)
    assert len(demo.holding().missing) == len(demo.members())
    again, before = demo.load()
    assert again is not None and again.rows == first.rows and before.loaded == []


def test_the_demo_does_not_replace_files_someone_else_imported(tmp_path, capsys):
    with zipfile.ZipFile(demo.ARCHIVE) as archive:
        name = sorted(n for n in archive.namelist() if n.endswith(".csv"))[0]
        lines = archive.read(name).decode().splitlines(keepends=True)
    theirs = tmp_path / name.split("/")[-1]
    theirs.write_text("".join(lines[:6]))  # a different file for the same force-month
    import_police_files(paths=[theirs])
    before = stored_files()
    call_command("demo", "load")
    out = capsys.readouterr().out
    assert "holds other police.uk files for 1 of the demo's force-months" in out
    assert "street greater-manchester 2016-02" in out
    assert stored_files() == before
    assert CrimeImport.objects.count() == 1
