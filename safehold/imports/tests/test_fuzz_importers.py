"""Every CSV importer of Safehold fed hostile files (issue 19 item 4, ADR 0064): random bytes,
five encodings, byte order marks, fields beyond `csv.field_size_limit`, NUL and other control
characters, formula-like values, ragged rows, quoting gone wrong, empty files.

What counts as handled: the importer returns (the file was good) or raises the error its page
or command shows (`ImportInvalid` with every problem by row and column, police.uk's
`ImportRefused`, the networks' `NetworkFileError`, a command's `CommandError`), each problem a
non-empty message; and a refused file wrote nothing (no row in any table the importer writes,
no audit event, no file in the data folder). Any other exception fails the test: Hypothesis
shrinks it to the smallest file that crashes.

Each importer is called at its check-and-write layer (not through HTTP, so it is fast): the
layer the upload's worker, the command line and the API call.
"""

import csv
import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.imports import COLUMNS as CASE_COLUMNS
from safehold.cases.imports import import_cases
from safehold.cases.models import Case, Referral
from safehold.cases.tests.factories import ProgrammeFactory
from safehold.core.csvfiles import ImportInvalid, RowError
from safehold.crime.ingest import ImportRefused, import_police_files
from safehold.crime.ingest.files import COLUMNS as POLICE_COLUMNS
from safehold.geography.models import PostcodePoint
from safehold.geography.postcode_files import ALIASES, load_postcode_points
from safehold.incidents.imports import import_incidents
from safehold.incidents.validation import COLUMNS as INCIDENT_COLUMNS
from safehold.linkage.management.commands.linkage import LABEL_COLUMNS
from safehold.linkage.management.commands.linkage import Command as LinkageCommand
from safehold.networks.formats.csv import ENTITY_COLUMNS, LINK_COLUMNS, read_csv
from safehold.networks.formats.validation import NetworkFileError
from safehold.operations.models import Operation
from safehold.operations.services.imports import COLUMNS as OPERATION_COLUMNS
from safehold.operations.services.imports import import_operations
from safehold.partners.choices import ExtractKind
from safehold.partners.models import Extract
from safehold.partners.services import upload_extract
from safehold.partners.validation import COLUMNS as EXTRACT_COLUMNS
from safehold.people.models import Person
from safehold.performance.imports import import_indicators, import_values
from safehold.performance.imports.files import (
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL,
    VALUE_COLUMNS,
    VALUE_OPTIONAL,
)
from safehold.performance.models import Indicator, IndicatorValue
from safehold.reassurance.models import Property, PropertyList
from safehold.reassurance.uploads import COLUMNS as PROPERTY_COLUMNS
from safehold.reassurance.uploads import import_property_list
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

# Modest example counts: the whole file runs in about half a minute on 2 cores (ADR 0064).
EXAMPLES = 60

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252")
BOMS = (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
FORMULAS = (
    "=1+1", '=HYPERLINK("http://x","y")', "+44 161 000", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1",
    "=cmd|' /C calc'!A0",
)  # fmt: skip
PLAUSIBLE = (
    "", " ", "1", "0", "-1", "1.5", "1e309", "nan", "inf", "2023-01-31", "31/01/2023",
    "2023-02-30", "2023-01-31 10:00", "2023/24", "2016/17", "Q1 2023", "2023-03", "yes", "no",
    "true", "SK1 3XE", "M1 1AA", "100012345678", "53.41", "-2.15", "400000", "100000", "P1",
    "person", "phone", "street", "open", "closed", "cuckooing", "high", "count", "up", "annual",
    "people", "Stockport", "a;b", "1;2", "£12.50", "12 kg cannabis", "E05000787",
)  # fmt: skip
# Beyond the csv module's default limit (131,072 characters): csv.Error, unless handled.
HUGE = "x" * (csv.field_size_limit() + 10)

cells = st.one_of(
    st.text(max_size=12),  # any Unicode: NUL, control characters, surrogates' neighbours
    st.sampled_from(FORMULAS),
    st.sampled_from(PLAUSIBLE),
    st.sampled_from(("\x00", "a\x00b", '"', 'a"b', "\n", "a\r\nb", "\x1b[31m", "\u202e")),
)


@st.composite
def csv_files(draw, columns: tuple[str, ...]) -> bytes:
    """A file near the importer's format (its columns, shuffled, some missing or repeated,
    an unknown one) or far from it (random bytes), in one of five encodings."""
    shape = draw(st.sampled_from(("rows", "rows", "near", "near", "bytes", "empty")))
    if shape == "bytes":
        return draw(st.binary(max_size=400))
    if shape == "empty":
        return draw(st.sampled_from((b"", b"\n", b"\r\n\r\n", b"\xef\xbb\xbf", b",,,\n")))
    huge = [[HUGE]] if draw(st.integers(0, 7)) == 0 else []  # one file in eight
    if shape == "rows":  # a good header in UTF-8, so that the rows' checks are reached
        row = st.lists(cells, min_size=max(len(columns) - 1, 1), max_size=len(columns) + 1)
        out = io.StringIO()
        csv.writer(out).writerows([columns, *draw(st.lists(row, min_size=1, max_size=4)), *huge])
        return out.getvalue().encode("utf-8", errors="surrogatepass")
    header = draw(
        st.one_of(
            st.just(list(columns)),
            st.permutations(columns),
            st.lists(st.sampled_from((*columns, "", "colour", " Reference ")), max_size=9),
        )
    )
    rows = [*draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=4)), *huge]
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out).writerows([header, *rows])
        text = out.getvalue()
    else:  # joined by hand: quotes left open, line breaks inside cells
        text = "\n".join(",".join(row) for row in [header, *rows])
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return draw(st.sampled_from(BOMS)) + data


def _files(root: Path) -> set[str]:
    """The data folder's files, leaving out what is not imported data: the shared caches
    (progress, heartbeats), lock files, and the geography layers an import loads once."""
    if not root.exists():
        return set()
    found = set()
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if path.is_file() and parts[0] != "cache" and "geography" not in parts:
            if not parts[-1].startswith("."):
                found.add("/".join(parts))
    return found


MODELS = (
    Case, Referral, Person, Indicator, IndicatorValue, Extract, PropertyList, Property,
    Operation, PostcodePoint, AuditEvent,
)  # fmt: skip


def _state(data_dir: Path) -> tuple:
    return tuple(m.objects.count() for m in MODELS), _files(data_dir)


def _messages(exc: BaseException) -> list[str]:
    """The problems the page or the command shows for a refused file."""
    if isinstance(exc, ImportInvalid):
        assert exc.errors and all(isinstance(e, RowError) for e in exc.errors)
        assert all(isinstance(e.row, int) and e.row >= 0 for e in exc.errors)
        return [str(e) for e in exc.errors]
    if isinstance(exc, ImportRefused):
        return list(exc.errors)
    if isinstance(exc, NetworkFileError):
        return list(exc.problems)
    return str(exc).splitlines()


def _depth(exc: BaseException) -> str:
    """How far into the file a refusal got: the whole file, its header, or its rows."""
    if isinstance(exc, ImportInvalid):
        rows = {e.row for e in exc.errors}
    elif isinstance(exc, ImportRefused):  # "row 1 (line 2)": police.uk numbers the records
        rows = {int(n) for n in re.findall(r"\bline (\d+)", " ".join(exc.errors))}
    else:
        rows = {int(n) for n in re.findall(r"\b[Rr]ow (\d+)", " ".join(_messages(exc)))}
    return "row" if max(rows, default=0) >= 2 else "header" if max(rows, default=0) else "file"


REFUSALS = (ImportInvalid, ImportRefused, NetworkFileError, CommandError)


@pytest.fixture
def world(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    landlord = AgencyFactory(name="Fuzz Homes")
    return {
        "data_dir": settings.DATA_DIR,
        "tmp": tmp_path,
        "programme": ProgrammeFactory(),
        "ig": UserFactory(agency=landlord, role=Role.IG_OFFICER),
        "worker": UserFactory(agency=landlord, role=Role.CASEWORKER),
        "agreement": AgreementFactory(parties=[landlord, AgencyFactory()]),
        "analyst": UserFactory(role=Role.ANALYST),
        "admin": UserFactory(role=Role.ADMINISTRATOR),
    }


def _police(data: bytes, world) -> None:
    folder = world["tmp"] / "police"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / "2023-03-cleveland-street.csv"
    path.write_bytes(data)
    import_police_files(paths=[path], by=world["analyst"], root=world["data_dir"] / "crime")


def _labels(data: bytes, world) -> None:
    path = world["tmp"] / "labels.csv"
    path.write_bytes(data)
    LinkageCommand()._labels(path)


GOOD_ENTITIES = b"entity_id,type,label\nP1,person,Someone\nP2,person,Another\n"


def _entities(data: bytes, world) -> None:
    read_csv(data, b"source_id,target_id,type,date\n")


def _links(data: bytes, world) -> None:
    read_csv(GOOD_ENTITIES, data)


def _extract(kind: str):
    def run(data: bytes, world) -> None:
        upload_extract(
            agency=world["ig"].agency, kind=kind, agreement=world["agreement"],
            purpose="Finding people known to more than one agency", data=data,
            file_name=f"{kind}.csv", by=world["ig"],
        )  # fmt: skip

    return run


IMPORTERS = {
    "cases": (
        CASE_COLUMNS,
        lambda data, w: import_cases(data=data, programme=w["programme"], by=w["worker"]),
    ),
    "incidents": (
        INCIDENT_COLUMNS,
        lambda data, w: import_incidents(data=data, source=None, by=w["analyst"]),
    ),
    "incidents of a named source": (
        INCIDENT_COLUMNS[:-1],
        lambda data, w: import_incidents(data=data, source="Fuzz ASB log", by=w["analyst"]),
    ),
    "police.uk street crime": (POLICE_COLUMNS["street"], _police),
    "KPI indicators": (
        (*INDICATOR_COLUMNS, *INDICATOR_OPTIONAL),
        lambda data, w: import_indicators(data=data, by=w["admin"]),
    ),
    "KPI values": (
        (*VALUE_COLUMNS, *VALUE_OPTIONAL),
        lambda data, w: import_values(data=data, by=w["admin"]),
    ),
    **{
        f"partner extract: {kind}": (tuple(c.name for c in EXTRACT_COLUMNS[kind]), _extract(kind))
        for kind in ExtractKind.values
    },
    "linkage labels": (LABEL_COLUMNS, _labels),
    "networks entities": (ENTITY_COLUMNS, _entities),
    "networks links": (LINK_COLUMNS, _links),
    "operations": (
        OPERATION_COLUMNS,
        lambda data, w: import_operations(data=data, by=w["worker"]),
    ),
    "property list": (
        PROPERTY_COLUMNS,
        lambda data, w: import_property_list(data=data, name="Fuzz stock", by=w["worker"]),
    ),
    "postcode points": (
        tuple(names[0] for names in ALIASES.values()),
        lambda data, w: load_postcode_points(source=data, file_name="fuzz.csv", by=w["admin"]),
    ),
}


@pytest.mark.parametrize("name", IMPORTERS)
def test_a_hostile_file_is_imported_or_refused_with_a_message_and_writes_nothing(world, name):
    columns, run = IMPORTERS[name]

    seen: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,  # the same examples on every machine and every run
        derandomize=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(data=csv_files(columns))
    def check(data):
        before = _state(world["data_dir"])
        try:
            run(data, world)
        except REFUSALS as exc:
            messages = _messages(exc)
            seen.append(_depth(exc))
            assert messages and all(m.strip() for m in messages), messages
            assert _state(world["data_dir"]) == before, "a refused file wrote something"
        else:
            seen.append("imported")

    check()
    # The positive control: the files reached the rows (not only the decoding or the header),
    # so the importer's row checks were fuzzed too.
    assert "row" in seen, Counter(seen)
