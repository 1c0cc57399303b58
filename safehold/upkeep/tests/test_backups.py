"""A restore checks the whole backup, and its target, before it touches anything (ADR 0062).

The backups here are made by hand (a manifest over a few files), so that each check can be
broken on its own; the restore drill (test_restore_drill.py) makes and restores real ones.
"""

import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehold.upkeep import backups

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def make_backup(folder: Path, files: dict[str, bytes], **changes) -> Path:
    """A backup folder holding `files`, with a manifest that describes them truly (then
    `changes` applied to it)."""
    entries = []
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)
        entries.append(
            {"path": path, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        )
    manifest = {
        "format": backups.FORMAT,
        "safehold": {"version": "0.1.0", "commit": "abc123"},
        "created_at": "2026-12-07T10:00:00+00:00",
        "database": {"engine": backups.engine(), "file": "database.sqlite3"},
        "migrations": backups.applied_migrations(),
        "audit": {"last_event_id": 0, "last_hash": ""},
        "files": entries,
        **changes,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


FILES = {
    "database.sqlite3": b"not restored in these tests",
    "data/partners/a/people/1.parquet": b"PAR1 rows PAR1",
    "data/documents/enforcement/notice.pdf": b"%PDF-1.4 notice",
}


def restore(folder: Path, *args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("backup", "restore", str(folder), *args)
    return str(refused.value)


def test_a_file_changed_since_the_backup_is_named_and_nothing_is_restored(tmp_path, data_dir):
    folder = make_backup(tmp_path / "backup", FILES)
    (folder / "data/partners/a/people/1.parquet").write_bytes(b"PAR1 ROWS PAR1")
    message = restore(folder)
    assert "does not match its manifest; nothing was restored" in message
    assert "data/partners/a/people/1.parquet: its SHA-256 is not the manifest's" in message
    assert not data_dir.exists() or not list(backups.data_files(data_dir))


def test_a_missing_a_truncated_and_an_unlisted_file_are_each_named(tmp_path, data_dir):
    folder = make_backup(tmp_path / "backup", FILES)
    (folder / "data/documents/enforcement/notice.pdf").unlink()
    (folder / "database.sqlite3").write_bytes(b"short")
    (folder / "data/extra.csv").write_bytes(b"a,b\n")
    message = restore(folder)
    assert "data/documents/enforcement/notice.pdf: missing" in message
    assert "database.sqlite3: 5 bytes, the manifest says 27" in message
    assert "data/extra.csv: not in the manifest" in message


def test_a_whole_backup_is_refused_when_the_database_is_not_empty(tmp_path, data_dir):
    folder = make_backup(tmp_path / "backup", FILES)
    message = restore(folder)
    assert "is restored into an empty database and data folder" in message
    assert "is not empty. Nothing was restored" in message
    assert "--force" in message
    assert not list(backups.data_files(data_dir))  # no file copied


def test_a_backup_from_a_newer_safehold_is_refused(tmp_path, data_dir):
    newer = [*backups.applied_migrations(), "cases.9999_from_the_future"]
    folder = make_backup(tmp_path / "backup", FILES, migrations=newer)
    message = restore(folder)
    assert "made by a newer Safehold" in message and "cases.9999_from_the_future" in message
    assert "commit abc123" in message


def test_a_backup_of_the_other_database_engine_is_refused(tmp_path, data_dir):
    other = "postgresql" if backups.engine() == "sqlite" else "sqlite"
    folder = make_backup(
        tmp_path / "backup", FILES, database={"engine": other, "file": "database.sqlite3"}
    )
    assert f"is of a {other} database" in restore(folder)


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path, data_dir):
    (tmp_path / "half").mkdir()
    assert "has no manifest.json (a backup without one was not finished)" in restore(
        tmp_path / "half"
    )


def test_the_manifest_lists_what_the_data_folder_holds_but_not_locks_caches_or_half_files(
    tmp_path,
):
    root = tmp_path / "data"
    for path in [
        "partners/.lock",
        "partners/a/people/1.parquet",
        "partners/a/people/.2.parquet.123.tmp",
        "cache/imports/progress.djcache",
        "crime/.staging.lock",
        "imports/run.csv",
        "maintenance",
    ]:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(b"x")
    listed = [p.as_posix() for p in backups.data_files(root)]
    assert listed == ["imports/run.csv", "partners/a/people/1.parquet"]
