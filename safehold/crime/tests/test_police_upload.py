"""Uploading police.uk files on the web, part one: who may, the form, and a CSV and a download
zip imported as an import run with the result in numbers, a force-month uploaded again replaced
and never doubled. Part two (test_police_upload_problems.py): files refused, the progress page,
and the two stores kept together. Fixtures: conftest.py; helpers: police_uploads.py."""

import zipfile

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.tests.tables import table
from safehold.crime.models import CrimeImport
from safehold.crime.tests.conftest import (
    CLEVELAND,
    STOCKPORT_BURGLARY,
    stored_rows,
)
from safehold.crime.tests.police_uploads import (
    OUTCOMES,
    STOP_AND_SEARCH,
    download_zip,
    latest_run,
    nothing_written,
    post,
    raw_rows,
    summary,
)
from safehold.imports import services as runs
from safehold.imports.models import ImportRun
from safehold.imports.selectors import runs_visible_to

pytestmark = pytest.mark.django_db


# --- Who may upload ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ANALYST, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.SUPERVISOR, 403),
        (Role.CASEWORKER, 403),
        (Role.IG_OFFICER, 403),
        (Role.REFERRER, 403),
    ],
)
def test_only_analysts_and_administrators_may_upload(client, store, role, status):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("crime:police-upload")).status_code == status
    response = post(client, CLEVELAND[0].read_bytes(), CLEVELAND[0].name)
    assert response.status_code == (302 if status == 200 else 403)
    if status == 403:
        assert nothing_written(store) and not ImportRun.objects.exists()


def test_someone_not_signed_in_is_sent_to_sign_in(client, store):
    for url in (reverse("crime:police-upload"), reverse("crime:police-data")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign-in"))


def test_an_upload_of_another_agency_or_by_someone_who_may_not_import_is_not_found(
    client, signed_in, analyst, store
):
    post(signed_in, CLEVELAND[0].read_bytes(), CLEVELAND[0].name)
    url = reverse("crime:police-upload-run", args=[latest_run().pk])
    assert signed_in.get(url).status_code == 200
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.ANALYST))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(agency=analyst.agency, role=Role.SUPERVISOR))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(agency=analyst.agency, role=Role.ADMINISTRATOR))
    assert client.get(url).status_code == 200


def test_police_uploads_are_neither_incident_uploads_nor_case_imports(signed_in, analyst, store):
    post(signed_in, CLEVELAND[0].read_bytes(), CLEVELAND[0].name)
    admin = UserFactory(agency=analyst.agency, role=Role.ADMINISTRATOR)
    assert latest_run().kind == "police"
    assert not runs_visible_to(admin, kind="incidents").exists()
    assert not runs_visible_to(admin, kind="cases").exists()
    incident = ImportRun.objects.create(
        kind="incidents", uploaded_by=analyst, agency=analyst.agency, file_name="x"
    )
    assert signed_in.get(reverse("crime:police-upload-run", args=[incident.pk])).status_code == 404


# --- The form ---------------------------------------------------------------------------------


def test_the_upload_page_asks_for_a_csv_or_a_zip_and_says_how_big(signed_in, settings):
    settings.SAFEHOLD_POLICE_UPLOAD_MAX_MB = 500
    page = signed_in.get(reverse("crime:police-upload")).content.decode()
    assert 'class="govuk-file-upload"' in page and 'accept=".csv,.zip' in page
    assert "It must be smaller than 500MB." in page
    assert "How to load police.uk data" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("police.xlsx", b"PK\x03\x04", "The selected file must be a CSV or a zip"),
        ("2023-02-cleveland-street.csv", b"", "The selected file is empty"),
    ],
)
def test_the_form_explains_a_wrong_file(signed_in, store, name, content, message):
    response = post(signed_in, content, name)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "govuk-error-summary" in page and "<title>Error:" in page
    assert not ImportRun.objects.exists()


def test_the_form_asks_for_a_file(signed_in, store):
    response = signed_in.post(reverse("crime:police-upload"), {})
    assert response.status_code == 400
    assert "Select a CSV file or a zip file" in response.content.decode()


def test_a_file_over_the_size_set_is_refused(signed_in, settings, store):
    settings.SAFEHOLD_POLICE_UPLOAD_MAX_MB = 1
    big = CLEVELAND[0].read_bytes() * (1 + 1024 * 1024 // len(CLEVELAND[0].read_bytes()))
    response = post(signed_in, big, CLEVELAND[0].name)
    assert response.status_code == 400
    assert "The selected file must be smaller than 1MB" in response.content.decode()
    assert not ImportRun.objects.exists()


# --- Imports ----------------------------------------------------------------------------------


def test_a_good_csv_is_imported_and_the_result_page_gives_its_numbers(signed_in, analyst, store):
    response = post(signed_in, CLEVELAND[0].read_bytes(), CLEVELAND[0].name)
    run = latest_run()
    assert response.status_code == 302
    assert response.url == reverse("crime:police-upload-run", args=[run.pk])
    expected = raw_rows(CLEVELAND[0])
    assert (run.status, run.total_rows, run.result["rows"]) == ("done", expected, expected)
    record = CrimeImport.objects.get()
    assert (record.source, record.kind, record.force, record.month, record.rows) == (
        CLEVELAND[0].name, "street", "cleveland", "2023-02", expected,
    )  # fmt: skip
    assert record.imported_by == analyst and not record.replaced
    assert list(stored_rows(store)) == ["kind=street/force=cleveland/month=2023-02/data.parquet"]

    page = signed_in.get(response.url).content.decode()
    assert "Import complete" in page and f"{expected} rows from 1 file" in page
    assert "hx-trigger" not in page and "http-equiv" not in page  # finished: no polling
    facts = summary(page)
    assert facts["Rows: street-level crime"] == str(expected)
    assert (facts["Force-months new"], facts["Force-months replaced"]) == ("1", "0")
    assert facts["Rows without an LSOA placed by their coordinates"] == str(record.placed)
    assert facts["Rows with no LSOA"].startswith(str(record.unplaced))
    assert table(page, "result-table")[1:] == [
        ["Street-level crime", "Cleveland Police", "February 2023", str(expected), "1", "0",
         str(record.placed), str(record.unplaced)],
    ]  # fmt: skip
    event = AuditEvent.objects.get(object_type="crime.import")
    assert event.action == "collect" and event.actor == analyst
    assert event.object_ids == str(record.pk)
    assert not runs.upload_path(run.pk).exists()  # the kept upload is removed


def test_a_download_zip_is_imported_with_its_rows_by_kind(signed_in, store):
    files = [*CLEVELAND, OUTCOMES, STOP_AND_SEARCH]
    post(signed_in, download_zip(*files), "police-uk.zip")
    run = latest_run()
    assert run.status == "done"
    assert run.result["rows_by_kind"] == {
        "outcomes": raw_rows(OUTCOMES),
        "stop-and-search": raw_rows(STOP_AND_SEARCH),
        "street": raw_rows(*CLEVELAND),
    }
    assert (run.result["files"], run.result["new"], run.result["replaced"]) == (4, 4, 0)
    sources = set(CrimeImport.objects.values_list("source", flat=True))
    assert sources == {f"police-uk.zip:{p.name[:7]}/{p.name}" for p in files}
    placed = sum(CrimeImport.objects.values_list("placed", flat=True))
    assert run.result["placed"] == placed > 0  # the stop and searches, by their coordinates

    page = signed_in.get(reverse("crime:police-upload-run", args=[run.pk])).content.decode()
    facts = summary(page)
    assert facts["Rows: outcomes"] == str(raw_rows(OUTCOMES))
    assert facts["Rows: stop and search"] == str(raw_rows(STOP_AND_SEARCH))
    assert facts["Rows: street-level crime"] == f"{raw_rows(*CLEVELAND):,}"
    rows = table(page, "result-table")[1:]
    assert [r[:4] for r in rows] == [
        ["Outcomes", "Cleveland Police", "March 2023", str(raw_rows(OUTCOMES))],
        ["Stop and search", "Greater Manchester Police", "September 2018",
         str(raw_rows(STOP_AND_SEARCH))],
        ["Street-level crime", "Cleveland Police", "February 2023 to March 2023",
         str(raw_rows(*CLEVELAND))],
    ]  # fmt: skip


def test_the_stockport_burglaries_are_all_placed_by_their_coordinates(signed_in, store):
    post(signed_in, STOCKPORT_BURGLARY.read_bytes(), STOCKPORT_BURGLARY.name)
    run = latest_run()
    with zipfile.ZipFile(STOCKPORT_BURGLARY) as z:
        members = [n for n in z.namelist() if n.endswith(".csv")]
        rows = sum(len(z.read(n).decode().splitlines()) - 1 for n in members)
    assert (run.result["rows"], run.result["placed"], run.result["unplaced"]) == (rows, rows, 0)
    assert (run.result["files"], run.result["new"]) == (len(members), len(members))
    page = signed_in.get(reverse("crime:police-upload-run", args=[run.pk])).content.decode()
    assert summary(page)["Rows without an LSOA placed by their coordinates"] == f"{rows:,}"


def test_uploading_a_force_month_again_replaces_it_and_never_doubles_it(signed_in, store):
    post(signed_in, download_zip(*CLEVELAND), "first.zip")
    before = stored_rows(store)
    post(signed_in, CLEVELAND[0].read_bytes(), CLEVELAND[0].name)
    again = latest_run()
    assert (again.result["new"], again.result["replaced"]) == (0, 1)
    assert stored_rows(store) == before  # the same rows, once
    # A newer, shorter version of February replaces it; March stays as it was.
    shorter = "".join(CLEVELAND[0].read_text().splitlines(keepends=True)[:11])
    response = post(signed_in, shorter.encode(), CLEVELAND[0].name)
    after = stored_rows(store)
    assert len(after["kind=street/force=cleveland/month=2023-02/data.parquet"]) == 10
    march = "kind=street/force=cleveland/month=2023-03/data.parquet"
    assert after[march] == before[march]
    page = signed_in.get(response.url).content.decode()
    facts = summary(page)
    assert (facts["Force-months new"], facts["Force-months replaced"]) == ("0", "1")
    assert CrimeImport.objects.filter(month="2023-02").count() == 3
    assert CrimeImport.objects.filter(month="2023-02", replaced=True).count() == 2
