"""Files that must never replace a force-month: a row far too long (which DuckDB's reader can
drop without an error), a file with no rows, a row that cannot be read, and zip archives that
expand too far (zip bombs) or whose directory lies. Each is refused whole, naming the file, and
the force-month imported before stays as it was; a good file still replaces it."""

import io
import struct
import zipfile

import pytest

from safehold.audit.models import AuditEvent
from safehold.crime.ingest import ImportRefused, import_police_files, limits
from safehold.crime.models import CrimeImport
from safehold.crime.tests.conftest import CLEVELAND, stored_rows, zip_of

pytestmark = pytest.mark.django_db

FEBRUARY = "kind=street/force=cleveland/month=2023-02/data.parquet"
LINES = CLEVELAND[0].read_text().splitlines(keepends=True)
HEADER, GOOD = LINES[0], LINES[1:]


def with_context(line: str, length: int) -> str:
    """A good row whose last column (Context) makes it `length` bytes long, line break aside."""
    row = line.rstrip("\n")
    return row + "x" * (length - len(row.encode())) + "\n"


@pytest.fixture
def february(store):
    """February imported once: what a refused file must leave as it was."""
    import_police_files(paths=[CLEVELAND[0]])
    return stored_rows(store)


def refused(store, before, path) -> str:
    """Import `path`, check it was refused with the store and the records untouched, and
    return its one error."""
    records = CrimeImport.objects.count()
    events = AuditEvent.objects.filter(object_type="crime.import").count()
    with pytest.raises(ImportRefused) as caught:
        import_police_files(paths=[path])
    assert stored_rows(store) == before
    assert CrimeImport.objects.count() == records
    assert AuditEvent.objects.filter(object_type="crime.import").count() == events
    assert not any((store / ".staging").iterdir())
    [error] = caught.value.errors
    return error


def write(tmp_path, text: str, name: str = CLEVELAND[0].name):
    path = tmp_path / "new" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


# --- Rows --------------------------------------------------------------------------------------


def test_a_file_whose_only_row_is_longer_than_the_limit_is_refused(
    settings, store, february, tmp_path
):
    settings.SAFEHOLD_POLICE_MAX_LINE_BYTES = 1000
    path = write(tmp_path, HEADER + with_context(GOOD[0], 1001))
    assert refused(store, february, path) == (
        f"{path}: line 2 is longer than 1,000 bytes; a police.uk row is a few hundred bytes, so "
        "this is not a police.uk file as downloaded (SAFEHOLD_POLICE_MAX_LINE_BYTES)"
    )


def test_the_default_limit_refuses_a_row_just_over_it(store, february, tmp_path):
    limit = limits.DEFAULT_MAX_LINE_BYTES
    assert limits.max_line_bytes() == limit  # the settings' own value, not one set here
    good = with_context(GOOD[0], limit)  # as long as a row may be
    path = write(tmp_path, HEADER + "".join(GOOD[:3]) + good + with_context(GOOD[1], limit + 1))
    assert refused(store, february, path).startswith(
        f"{path}: line 6 is longer than {limit:,} bytes"
    )


def test_a_last_row_the_reader_drops_without_an_error_is_refused(
    settings, store, february, tmp_path
):
    """The finding: a header and one line of 40 MB imported as 0 rows over the force-month.
    With the limit raised past it, the row count still refuses it: DuckDB reads no row."""
    settings.SAFEHOLD_POLICE_MAX_LINE_BYTES = 64_000_000
    path = write(tmp_path, HEADER + with_context(GOOD[0], 40_000_000))
    assert refused(store, february, path) == (
        f"{path}: the file holds 1 row but 0 could be read; nothing of it was imported. "
        "Download the file again"
    )


def test_a_file_with_a_header_and_no_rows_is_refused(store, february, tmp_path):
    path = write(tmp_path, HEADER)
    assert refused(store, february, path) == (
        f"{path}: the file has a header but no rows; a police.uk file has a row for each crime, "
        "outcome or search"
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("abc,2023-02,Cleveland Police\n", "line 4: Expected Number of Columns: 12 Found: 3"),
        ('"abc,2023-02,Cleveland Police\n', "line 4"),  # a quote never closed
    ],
)
def test_one_malformed_row_among_good_ones_is_refused(store, february, tmp_path, bad, message):
    path = write(tmp_path, HEADER + "".join(GOOD[:2]) + bad + "".join(GOOD[2:5]))
    assert refused(store, february, path).startswith(f"{path}: {message}")


def test_a_good_file_still_replaces_the_force_month(store, february, tmp_path):
    """The positive control: the checks refuse bad files, not re-imports."""
    path = write(tmp_path, HEADER + "".join(GOOD[:9]))
    result = import_police_files(paths=[path])
    assert result.rows == 9 and result.replaced == 1
    assert len(stored_rows(store)[FEBRUARY]) == 9


# --- Zip archives ------------------------------------------------------------------------------


def repeated_february(size: int) -> bytes:
    """A February file of real rows repeated until it is `size` bytes: valid, and compressing
    hundreds of times like a zip bomb."""
    rows = "".join(GOOD[:20]).encode()
    return HEADER.encode() + rows * (size // len(rows))


def test_a_zip_expanding_past_the_size_limit_is_refused_before_anything_is_extracted(
    settings, store, february, tmp_path
):
    settings.SAFEHOLD_POLICE_ZIP_MAX_MB = 1
    archive = tmp_path / "police.zip"
    archive.write_bytes(zip_of({f"2023-02/{CLEVELAND[0].name}": repeated_february(1_200_000)}))
    error = refused(store, february, archive)
    assert error.startswith(
        f"{archive}: the zip file expands to 1.2 MB; it must expand to 1.0 MB or less "
        "(SAFEHOLD_POLICE_ZIP_MAX_MB)"
    )
    # Refused from the directory: the member was never copied out.
    assert not (store / ".staging").exists() or not any((store / ".staging").rglob("*.csv"))


def test_a_zip_bomb_is_refused_by_how_far_it_expands(store, february, tmp_path):
    archive = tmp_path / "police.zip"
    archive.write_bytes(zip_of({f"2023-02/{CLEVELAND[0].name}": repeated_february(20_000_000)}))
    info = zipfile.ZipFile(archive).infolist()[0]
    assert info.file_size > limits.DEFAULT_ZIP_MAX_RATIO * info.compress_size
    assert refused(store, february, archive).startswith(
        f"{archive}:2023-02/{CLEVELAND[0].name}: expands "
    )


def test_a_zip_whose_directory_understates_a_member_is_refused(store, february, tmp_path):
    """The directory can lie: it says 100,000 bytes (within every limit, and more than the
    header check reads), the member expands to 2 MB of rows. Reading stops at 100,000."""
    data = bytearray(zip_of({CLEVELAND[0].name: repeated_february(2_000_000)}))
    struct.pack_into("<I", data, 22, 100_000)  # the local header's size
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + 24, 100_000)  # the directory's
    archive = tmp_path / "police.zip"
    archive.write_bytes(bytes(data))
    assert refused(store, february, archive) == (
        f"{archive}:{CLEVELAND[0].name}: cannot be read (Bad CRC-32 for file "
        f"'{CLEVELAND[0].name}'); the zip file is damaged or not as downloaded"
    )


def test_a_member_is_read_no_further_than_its_directory_says():
    """The count kept while extracting, whatever zipfile itself does."""
    counted = limits.Counted(io.BytesIO(b"x" * 2000), 1000, "police.zip:a.csv")
    assert len(counted.read(1000)) == 1000
    with pytest.raises(
        limits.TooLarge, match=r"police\.zip:a\.csv: holds more than the 1,000 bytes"
    ):
        counted.read(1000)


def test_a_normal_download_zip_imports_within_the_limits(settings, store, february, tmp_path):
    """The positive control: limits lowered to a little more than the zip needs."""
    settings.SAFEHOLD_POLICE_ZIP_MAX_MB = 1
    archive = tmp_path / "police.zip"
    archive.write_bytes(
        zip_of(
            {
                f"2023-0{m}/{p.name}": p.read_bytes()
                for m, p in ((2, CLEVELAND[0]), (3, CLEVELAND[1]))
            }
        )
    )
    result = import_police_files(paths=[archive])
    assert result.replaced == 1 and len(result.files) == 2
