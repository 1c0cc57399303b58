"""Every kind of run the crash tests kill (ADR 0063): how to start one as its upload or page
does (committed, in a process of its own), and what it leaves in the database and the data
folder that must be all there or not there at all."""

# ruff: noqa: S608 -- our own SQL over test files.

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tests.crash.harness import Place

CRIME_DATA = Path(__file__).resolve().parents[2] / "safehold" / "crime" / "tests" / "data"


@dataclass(frozen=True)
class Kind:
    name: str
    start: str  # code that commits a queued run as its page does; prints the run's id
    tables: dict[str, str]  # what the run writes: a query of each table, without ids or times
    parquet: tuple[str, ...] = ()  # globs under DATA_DIR of the files it writes
    named_points: tuple[str, ...] = ()  # pause points of its own (safehold.core.testhooks)
    # Its files are read only through its records (a file without one is no one's until the
    # retry removes it): what a crash leaves visible is its tables.
    files_by_record: bool = False
    # What readers do first (code): settles a swap whose commit a kill stopped (ADR 0063).
    settle: str = ""
    # Points that found a bug (ADR 0063), killed at every time: the step numbers of the code
    # then (if its writes change, they land elsewhere; the seeded points still cover them).
    pinned: tuple[str, ...] = ()
    extra: Callable[[Place], object] | None = field(default=None)


def _start(setup: str, call: str) -> str:
    return f"""
    from django.db import transaction
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import AgencyFactory, UserFactory
    {setup}
    with transaction.atomic():  # as the upload request: the run and its task commit together
        run = {call}
    print("RUN", run.pk, flush=True)
    """


CASES = Kind(
    name="cases",
    start=_start(
        """
    import csv, io
    from safehold.cases.imports import COLUMNS
    from safehold.cases.tests.factories import ProgrammeFactory
    from safehold.imports import services
    programme = ProgrammeFactory(name="Exploitation project")
    officer = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    for n in range(1, 41):
        writer.writerow({"reference": f"EXP-2022-{n:04d}", "referral_date": "2022-03-14",
                         "exploitation_type": "cuckooing", "status": "open",
                         "subject_name": f"Sam Example{n}"})
    """,
        'services.start_run(kind="cases", data=out.getvalue().encode(), file_name="old.csv", '
        'by=officer, params={"programme": str(programme.pk)})',
    ),
    tables={
        "cases": "SELECT reference, status FROM cases_case ORDER BY reference",
        "people": "SELECT given_name, family_name FROM people_person ORDER BY 1, 2",
    },
    pinned=("write:3",),
)

INCIDENTS = Kind(
    name="incidents",
    start=_start(
        """
    from safehold.incidents.tests.pages import log_csv, spread_rows
    from safehold.incidents.uploads import start_upload
    analyst = UserFactory(role=Role.ANALYST)
    data = log_csv(spread_rows(60), source="").encode()
    """,
        'start_upload(data=data, file_name="log.csv", source="Example Homes", by=analyst)',
    ),
    tables={
        "audit": "SELECT action, purpose FROM audit_auditevent "
        "WHERE object_type = 'crime.incidents' ORDER BY id"
    },
    parquet=("incidents/**/*.parquet",),
    settle="from safehold.incidents.store import settle; settle()",
    pinned=("write:8",),
)

POLICE = Kind(
    name="police",
    start=_start(
        f"""
    from safehold.crime.ingest.uploads import start_upload
    from safehold.crime.tests.conftest import zip_of
    from pathlib import Path
    police = Path({str(CRIME_DATA / "police")!r})
    files = [police / "2023-02-cleveland-street.csv", police / "2023-03-cleveland-street.csv"]
    data = zip_of({{f"{{p.name[:7]}}/{{p.name}}": p.read_bytes() for p in files}})
    analyst = UserFactory(role=Role.ANALYST)
    """,
        'start_upload(file=data, file_name="download.zip", by=analyst)',
    ),
    tables={
        "imports": "SELECT kind, force, month, status, rows FROM crime_crimeimport ORDER BY 1, 2, 3"
    },
    parquet=("crime/kind=*/force=*/month=*/*.parquet",),
    named_points=("converted", "swapping", "swapped"),
    pinned=("swapped",),
)

KPI = Kind(
    name="kpi",
    start=_start(
        """
    from safehold.imports import services
    from safehold.performance.imports import import_indicators
    from safehold.performance.tests.test_imports import INDICATORS, VALUES
    import_indicators(data=INDICATORS, by=None)
    analyst = UserFactory(role=Role.ANALYST)
    """,
        'services.start_run(kind="kpi", data=VALUES.encode(), file_name="q3.csv", by=analyst, '
        'params={"contents": "values"}, details={"contents": "values"})',
    ),
    tables={
        "values": "SELECT i.code, v.period, v.value, v.count FROM performance_indicatorvalue v "
        "JOIN performance_indicator i ON i.id = v.indicator_id ORDER BY 1, 2",
        "changes": "SELECT count(*) FROM performance_valuechange",
    },
)

PARTNER_EXTRACT = Kind(
    name="partner_extract",
    start=_start(
        """
    from safehold.partners.tests.factories import PEOPLE_CSV
    from safehold.partners.uploads import start_upload
    from safehold.sharing.tests.factories import AgreementFactory
    agency = AgencyFactory()
    officer = UserFactory(agency=agency, role=Role.IG_OFFICER)
    agreement = AgreementFactory(parties=[agency])
    """,
        'start_upload(data=PEOPLE_CSV.encode(), file_name="people.csv", kind="people", '
        'agreement=agreement, purpose="Finding people known to more than one agency", '
        "extract_date=None, by=officer)",
    ),
    tables={
        "extracts": "SELECT kind, row_count, checksum, is_current FROM partners_extract",
        "audit": "SELECT action, purpose FROM audit_auditevent "
        "WHERE object_type = 'partners.extract' ORDER BY id",
    },
    parquet=("partners/*/*/*.parquet",),
    files_by_record=True,
    pinned=("write:7", "write:9"),
)

LINKAGE = Kind(
    name="linkage_run",
    start=_start(
        """
    from safehold.linkage.runs import start_linkage_run
    from safehold.linkage.tests.partnership import make_partnership
    partnership = make_partnership(people=60)
    """,
        'start_linkage_run(by=partnership.users["council_ig_officer"])',
    ),
    tables={
        # Kept runs (a run "running" is in hand; one that died is failed, its files removed).
        "runs": "SELECT status, record_count, cluster_count, linked_pair_count, is_current "
        "FROM linkage_run WHERE status = 'done'",
        "records": "SELECT count(*) FROM linkage_record",
        "pairs": "SELECT count(*) FROM linkage_pair",
    },
    parquet=("linkage/*.parquet",),
    files_by_record=True,
    pinned=("write:6",),
)

KINDS = [CASES, INCIDENTS, POLICE, KPI, PARTNER_EXTRACT, LINKAGE]


def parquet_rows(place: Place, pattern: str) -> list[tuple[str, int]]:
    """Each file matching the glob (run ids and extract ids made anonymous) and its rows."""
    rows = []
    for path in sorted(place.data.glob(pattern)):
        name = str(path.relative_to(place.data))
        for part in path.parts:
            if (len(part) >= 32 and "-" in part) or len(part.split(".")[0]) == 36:
                name = name.replace(part.split(".")[0].split("-records")[0], "<id>")
        count = duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]
        rows.append((name, count))
    return sorted(rows)


def snapshot(kind: Kind, place: Place, *, visible: bool = False) -> dict:
    """What the run left: its tables' rows and its files' rows, comparable across places
    (`visible`: only what a reader can see)."""
    found = {name: place.query(sql) for name, sql in kind.tables.items()}
    if visible and kind.files_by_record:
        return found
    for pattern in kind.parquet:
        found[pattern] = parquet_rows(place, pattern)
    return found
