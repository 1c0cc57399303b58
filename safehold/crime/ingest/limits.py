"""How much a police.uk import may read: the longest row, and what a zip archive may expand to
(docs/formats/police-uk.md, "Limits"). The command line and the upload page both read files
through these checks, so one setting holds for both.

A zip's directory says how big each member is once expanded: it is checked before anything is
extracted, and the bytes are counted again while a member is read, since the directory can lie.
"""

import contextlib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

# A police.uk row is a few hundred bytes; a line far longer is not a police.uk row (and a line
# of tens of MB is one DuckDB's reader could drop without an error).
DEFAULT_MAX_LINE_BYTES = 64 * 1024
# A month of every force (street, outcomes, stop and search) is about 300 MB as CSV; three years
# of them, the longest police.uk custom download, about 11 GB.
DEFAULT_ZIP_MAX_MB = 20_000
# police.uk CSVs compress 5 to 20 times; a zip bomb of repeated rows, hundreds of times.
DEFAULT_ZIP_MAX_RATIO = 100
# Smaller than this, a member's ratio is not checked: a small file of repeated values can
# compress far better than a month of crime, and cannot fill a disk.
RATIO_FLOOR_BYTES = 1024 * 1024


class TooLarge(Exception):
    """A zip member gave more bytes than its archive's directory said it holds."""


def max_line_bytes() -> int:
    """The longest row accepted, in bytes (SAFEHOLD_POLICE_MAX_LINE_BYTES)."""
    return int(getattr(settings, "SAFEHOLD_POLICE_MAX_LINE_BYTES", DEFAULT_MAX_LINE_BYTES))


def zip_max_bytes() -> int:
    """The most a zip's files may hold once expanded (SAFEHOLD_POLICE_ZIP_MAX_MB, in MB)."""
    return int(getattr(settings, "SAFEHOLD_POLICE_ZIP_MAX_MB", DEFAULT_ZIP_MAX_MB)) * 1_000_000


def zip_max_ratio() -> float:
    """How many times its compressed size a zip member may expand to
    (SAFEHOLD_POLICE_ZIP_MAX_RATIO)."""
    return float(getattr(settings, "SAFEHOLD_POLICE_ZIP_MAX_RATIO", DEFAULT_ZIP_MAX_RATIO))


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def zip_problem(path: Path, label: str) -> str | None:
    """None if the zip's directory says it expands within the limits; otherwise why not."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        return f"{label}: not a zip archive that can be read ({exc})"
    total, limit = sum(i.file_size for i in members), zip_max_bytes()
    if total > limit:
        return (
            f"{label}: the zip file expands to {_mb(total)}; it must expand to {_mb(limit)} or "
            "less (SAFEHOLD_POLICE_ZIP_MAX_MB). Import its files in smaller parts"
        )
    ratio = zip_max_ratio()
    for info in members:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > ratio * info.compress_size:
            return (
                f"{label}:{info.filename}: expands {info.file_size / max(info.compress_size, 1):,.0f} "
                f"times, to {_mb(info.file_size)}; a police.uk file expands less than "
                f"{ratio:,.0f} times (SAFEHOLD_POLICE_ZIP_MAX_RATIO), so this is not one"
            )
    size = path.stat().st_size
    if total > RATIO_FLOOR_BYTES and total > ratio * size:
        return (
            f"{label}: the zip file expands {total / size:,.0f} times, to {_mb(total)}; police.uk "
            f"files expand less than {ratio:,.0f} times (SAFEHOLD_POLICE_ZIP_MAX_RATIO)"
        )
    return None


class Counted:
    """A zip member's stream that stops with TooLarge past the size its directory gave.

    Python's zipfile also stops there (and checks the CRC); counting here keeps the limit from
    resting on that.
    """

    def __init__(self, stream: BinaryIO, limit: int, label: str):
        self._stream, self._limit, self._label, self._read = stream, limit, label, 0

    def read(self, n: int = -1) -> bytes:
        data = self._stream.read(n)
        self._read += len(data)
        if self._read > self._limit:
            raise TooLarge(
                f"{self._label}: holds more than the {_mb(self._limit)} the zip file's "
                "directory says; the zip file is damaged or not as downloaded"
            )
        return data


@contextlib.contextmanager
def open_member(path: Path, member: str, label: str) -> Iterator[BinaryIO]:
    """A zip member's bytes, never more than its directory entry says it holds."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
        with archive.open(info) as stream:
            yield Counted(stream, info.file_size, label)  # type: ignore[misc]
