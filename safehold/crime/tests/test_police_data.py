"""The "what is loaded" page: the store's coverage and holdings as the store has them, every
import a page at a time, its CSV download audited as an export, and a fixed number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.tests.tables import table
from safehold.crime import queries
from safehold.crime.ingest import import_police_files
from safehold.crime.ingest.history import HISTORY_COLUMNS, month_ranges
from safehold.crime.models import CrimeImport
from safehold.crime.tests.conftest import CLEVELAND, POLICE, stored_rows
from safehold.crime.views.police_upload import HISTORY_PER_PAGE

pytestmark = pytest.mark.django_db

STOP_AND_SEARCH = POLICE / "2018-09-greater-manchester-stop-and-search.csv"
OUTCOMES = POLICE / "2023-03-cleveland-outcomes.csv"
URL = "crime:police-data"


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST, full_name="Ravi Chauhan")


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ANALYST, 200),
        (Role.SUPERVISOR, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.CASEWORKER, 200),
        (Role.IG_OFFICER, 200),
        (Role.REFERRER, 403),
    ],
)
def test_the_page_is_for_those_who_see_crime_analytics(client, store, role, status):
    from safehold.crime.rules import can_view_crime_analytics

    user = UserFactory(role=role)
    assert can_view_crime_analytics(user) == (status == 200)
    client.force_login(user)
    assert client.get(reverse(URL)).status_code == status
    assert client.get(reverse(URL), {"format": "csv"}).status_code == status


def test_only_those_who_may_import_are_offered_the_upload(client, store):
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    page = client.get(reverse(URL)).content.decode()
    assert reverse("crime:police-upload") not in page
    assert "An analyst or an administrator can upload them." in page
    client.force_login(UserFactory(role=Role.ANALYST))
    page = client.get(reverse(URL)).content.decode()
    assert f'href="{reverse("crime:police-upload")}"' in page
    assert "How to load police.uk data" in page


def test_an_empty_store_says_nothing_is_loaded(signed_in, store):
    page = signed_in.get(reverse(URL)).content.decode()
    assert "No police.uk street-level crime is loaded yet." in page
    assert "Nothing has been imported yet." in page


def test_the_coverage_and_holdings_are_the_stores(signed_in, store):
    import_police_files(paths=[*CLEVELAND, OUTCOMES, STOP_AND_SEARCH])
    page = signed_in.get(reverse(URL)).content.decode()
    with queries.connect() as con:
        coverage = queries.coverage(con)
    assert coverage.months == ["2023-02", "2023-03"]
    assert f"{month_ranges(coverage.months)} (2 months)" in page
    assert "February 2023 to March 2023 (2 months)" in page
    assert coverage.forces == ["cleveland"]  # of street-level crime; GMP has stop and search
    assert (
        '<dd class="govuk-summary-list__value" id="coverage-forces">Cleveland Police</dd>' in page
    )
    assert ", ".join(coverage.crime_types) in page and "Anti-social behaviour" in page
    assert f">{coverage.rows}<" in page

    # Every stored file, counted by kind and force, straight from the Parquet files.
    held: dict[tuple[str, str], list[int]] = {}
    for path, rows in stored_rows(store).items():
        kind, force, _ = (part.split("=", 1)[1] for part in path.split("/")[:3])
        held.setdefault((kind, force), []).append(len(rows))
    assert table(page, "holdings")[1:] == [
        ["Street-level crime", "Cleveland Police", "February 2023 to March 2023", "2",
         str(sum(held[("street", "cleveland")]))],
        ["Outcomes", "Cleveland Police", "March 2023", "1",
         str(sum(held[("outcomes", "cleveland")]))],
        ["Stop and search", "Greater Manchester Police", "September 2018", "1",
         str(sum(held[("stop-and-search", "greater-manchester")]))],
    ]  # fmt: skip


def test_the_imports_are_listed_newest_first_with_who_and_whether_they_replaced(
    signed_in, analyst, store
):
    import_police_files(paths=[CLEVELAND[0]])  # the command line, no user
    import_police_files(paths=CLEVELAND, by=analyst)
    page = signed_in.get(reverse(URL)).content.decode()
    rows = table(page, "imports-table")[1:]
    records = list(CrimeImport.objects.order_by("-created_at", "kind", "force", "month"))
    assert len(rows) == len(records) == 3
    for row, record in zip(rows, records, strict=True):
        assert row[1:] == [
            record.source, "Street-level crime", "Cleveland Police",
            month_ranges([record.month]), str(record.rows),
            "Replaced" if record.replaced else "New",
        ]  # fmt: skip
    assert [r[0].split(" by ")[1] for r in rows] == [
        "Ravi Chauhan", "Ravi Chauhan", "the command line",
    ]  # fmt: skip
    # February imported twice: the second time replaced it.
    assert sorted((r[4], r[-1]) for r in rows) == [
        ("February 2023", "New"), ("February 2023", "Replaced"), ("March 2023", "New"),
    ]  # fmt: skip
    event = AuditEvent.objects.filter(object_type="crime.import", action="consult").get()
    assert event.actor == analyst and event.channel == "web"
    assert set(event.object_ids.split()) == {str(r.pk) for r in records}


def _records(n: int, by) -> None:
    import uuid

    CrimeImport.objects.bulk_create(
        CrimeImport(
            run=uuid.uuid4(), source=f"2020-{1 + i % 12:02d}-kent-street.csv", kind="street",
            force="kent", month=f"{2000 + i // 12}-{1 + i % 12:02d}", rows=i, sha256="0" * 64,
            imported_by=by if i % 2 else None, replaced=bool(i % 3),
        )
        for i in range(n)
    )  # fmt: skip


def test_the_imports_are_paged(signed_in, analyst, store):
    _records(HISTORY_PER_PAGE + 7, analyst)
    first = signed_in.get(reverse(URL)).content.decode()
    assert len(table(first, "imports-table")) == 1 + HISTORY_PER_PAGE
    assert "1 of 2" in first and "page=2" in first
    second = signed_in.get(reverse(URL), {"page": 2}).content.decode()
    assert len(table(second, "imports-table")) == 1 + 7


def test_the_page_issues_the_same_queries_for_one_import_or_many(signed_in, analyst, store):
    import_police_files(paths=[CLEVELAND[0]], by=analyst)
    signed_in.get(reverse(URL))  # the store's first use loads its geography
    with CaptureQueriesContext(connection) as one:
        assert signed_in.get(reverse(URL)).status_code == 200
    _records(HISTORY_PER_PAGE * 3, analyst)
    with CaptureQueriesContext(connection) as many:
        assert signed_in.get(reverse(URL), {"page": 2}).status_code == 200
    assert len(one) == len(many)
    with CaptureQueriesContext(connection) as download:
        assert signed_in.get(reverse(URL), {"format": "csv"}).status_code == 200
    _records(5, analyst)
    with CaptureQueriesContext(connection) as bigger:
        signed_in.get(reverse(URL), {"format": "csv"})
    assert len(download) == len(bigger)


def test_the_csv_download_has_every_import_and_is_audited_as_an_export(signed_in, analyst, store):
    import_police_files(paths=[CLEVELAND[0]])
    import_police_files(paths=[*CLEVELAND, STOP_AND_SEARCH], by=analyst)
    response = signed_in.get(reverse(URL), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="police-uk-imports-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HISTORY_COLUMNS
    records = CrimeImport.objects.order_by("-created_at", "kind", "force", "month")
    assert [
        (r["file"], r["kind"], r["force"], r["month"], int(r["rows"]), r["result"], r["run"])
        for r in rows
    ] == [
        (c.source, c.kind, c.force, c.month, c.rows, "replaced" if c.replaced else "new",
         str(c.run))
        for c in records
    ]  # fmt: skip
    assert [r["imported_by"] for r in rows] == [analyst.email] * 3 + ["command line"]
    assert all(len(r["sha256"]) == 64 for r in rows)
    event = AuditEvent.objects.get(object_type="crime.import", action="consult")
    assert event.channel == "export" and event.actor == analyst
    assert "4 import(s)" in event.purpose


def test_a_file_name_a_spreadsheet_would_run_is_written_quoted(signed_in, analyst, store):
    import uuid

    CrimeImport.objects.create(
        run=uuid.uuid4(), source="=HYPERLINK(x).zip:2020-01/2020-01-kent-street.csv",
        kind="street", force="kent", month="2020-01", rows=1, sha256="0" * 64,
    )  # fmt: skip
    content = signed_in.get(reverse(URL), {"format": "csv"}).content.decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(content)))
    assert row["file"] == "'=HYPERLINK(x).zip:2020-01/2020-01-kent-street.csv"


def test_months_are_written_as_ranges():
    assert month_ranges([]) == ""
    assert month_ranges(["2019-01", "2018-12", "2018-11"]) == "November 2018 to January 2019"
    assert month_ranges(["2020-03", "2020-01", "2020-02", "2020-06"]) == (
        "January 2020 to March 2020, June 2020"
    )
