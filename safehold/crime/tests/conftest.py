"""Fixtures for the crime tests: a store of their own in a temporary DATA_DIR."""

# ruff: noqa: S608 -- the tests' own SQL reads the test files by path.

import io
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.crime.store import store_root
from safehold.geography.tests.conftest import ONS, store

__all__ = ["ONS", "store"]  # the geography tests' ONS files and empty store, used here too

DATA = Path(__file__).resolve().parent / "data"
POLICE = DATA / "police"
STOCKPORT_BURGLARY = (
    Path(__file__).resolve().parent.parent / "data" / "stockport_burglary_2016-02_2019-01.zip"
)
CLEVELAND = [POLICE / "2023-02-cleveland-street.csv", POLICE / "2023-03-cleveland-street.csv"]


@pytest.fixture
def police_folder(tmp_path) -> Path:
    """The police.uk test files laid out as the police.uk download is: YYYY-MM/…csv."""
    folder = tmp_path / "download"
    for path in POLICE.glob("*.csv"):
        (folder / path.name[:7]).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / path.name[:7] / path.name)
    return folder


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as z:
        for path in sorted(folder.rglob("*.csv")):
            z.write(path, path.relative_to(folder).as_posix())
    return target


def zip_of(files: dict[str, bytes]) -> bytes:
    """A zip archive of the given members (names and bytes), deflated as police.uk's is."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def stored_rows(root: Path) -> dict[str, list[tuple]]:
    """Every stored row, by partition path (relative to the store), sorted."""
    con = duckdb.connect()
    rows = {}
    for path in sorted(root.glob("kind=*/force=*/month=*/data.parquet")):
        found = con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
        rows[str(path.relative_to(root))] = sorted(found, key=repr)
    return rows


@pytest.fixture(scope="session")
def police_store_dir(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """A DATA_DIR holding the Stockport burglary cut and the invented BTP rows
    (safehold/crime/tests/police.py), imported once for the session; the import's records are
    rolled back, the Parquet files stay. Pages only read it."""
    from django.db import transaction

    from safehold.crime.ingest import import_police_files
    from safehold.crime.queries import connect
    from safehold.crime.tests.police import write_btp

    data_dir = tmp_path_factory.mktemp("police-store")
    btp = write_btp(tmp_path_factory.mktemp("btp"))
    with django_db_blocker.unblock(), transaction.atomic():
        import_police_files(paths=[STOCKPORT_BURGLARY, *btp], root=data_dir / "crime")
        transaction.set_rollback(True)
    connect(data_dir / "crime").close()  # the combined geography, built once
    return data_dir


@pytest.fixture
def police_store(settings, police_store_dir) -> Path:
    """This test reads the session's police.uk store."""
    settings.DATA_DIR = police_store_dir
    return store_root()


# The police.uk upload tests' user (test_police_upload*.py; a module with its own wins).
@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST)


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client
