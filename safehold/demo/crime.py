"""The demo's police.uk data: Stockport's burglaries of February 2016 to January 2019, the real
public cut shipped with Safehold (safehold/crime/data/README.md: police.uk-derived, Open
Government Licence, places anonymised by police.uk, no people), imported into the analytics
store through the same import as an analyst's upload, so it is checked, recorded and audited.

Loaded once: `demo load` run again finds every force-month of the cut in the store, filled by
these very files (the import records' SHA-256), and does nothing. It never replaces data that
someone else imported for those force-months.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from safehold.accounts.models import User
from safehold.crime import store
from safehold.crime.ingest import ImportResult, import_police_files
from safehold.crime.ingest.files import NAME_RE
from safehold.crime.models import CrimeImport
from safehold.crime.store import Partition

ARCHIVE = (
    Path(__file__).resolve().parent.parent
    / "crime"
    / "data"
    / "stockport_burglary_2016-02_2019-01.zip"
)
IMPORTER = "performance@council.demo.safehold.test"  # the partnership's performance officer


@dataclass(frozen=True)
class Holding:
    """Where the cut stands in the store: its force-months loaded from it, missing, or held
    by other files."""

    loaded: list[Partition]
    missing: list[Partition]
    other: list[Partition]


def members() -> dict[Partition, str]:
    """The cut's force-months and the SHA-256 of each file (0.9 MB unzipped: milliseconds)."""
    found = {}
    with zipfile.ZipFile(ARCHIVE) as archive:
        for name in archive.namelist():
            match = NAME_RE.match(Path(name).name)
            if match:
                partition = Partition(match["kind"], match["force"], match["month"])
                found[partition] = hashlib.sha256(archive.read(name)).hexdigest()
    return found


def holding() -> Holding:
    """Which of the cut's force-months the store holds from these files (the latest import of
    each has the file's SHA-256), which it lacks and which hold other files."""
    wanted = members()
    root = store.store_root()
    latest: dict[Partition, str] = {}
    records = CrimeImport.objects.filter(
        status=CrimeImport.Status.DONE,
        kind__in={p.kind for p in wanted},
        force__in={p.force for p in wanted},
        month__in={p.month for p in wanted},
    ).order_by("created_at")
    for kind, force, month, sha in records.values_list("kind", "force", "month", "sha256"):
        latest[Partition(kind, force, month)] = sha  # later imports overwrite earlier ones
    loaded, missing, other = [], [], []
    for partition, sha in sorted(wanted.items()):
        if not partition.path(root).exists():
            missing.append(partition)
        elif latest.get(partition) == sha:
            loaded.append(partition)
        else:
            other.append(partition)
    return Holding(loaded, missing, other)


def load(*, by: User | None = None) -> tuple[ImportResult | None, Holding]:
    """Import the cut unless the store holds it already or holds other files for any of its
    force-months; returns the import's result (None when nothing was imported) and where the
    cut stood before."""
    before = holding()
    if before.other or not before.missing:
        return None, before
    # Recorded by the archive's name, not the path Safehold is installed at.
    return import_police_files(paths=[ARCHIVE], names={ARCHIVE: ARCHIVE.name}, by=by), before
