"""The extract pages: the upload form queues the file and its page shows what was stored or every
problem of a bad file (the job queue runs at once in tests); the list shows the agency's
extracts, current and superseded, to its permitted roles only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.imports.models import ImportRun
from safehold.partners.models import Extract
from safehold.partners.tests.factories import PEOPLE_CSV, ExtractFactory
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def landlord(db):
    agency = AgencyFactory(name="Stockport Homes")
    return {
        "agency": agency,
        "ig": UserFactory(agency=agency, role=Role.IG_OFFICER),
        "agreement": AgreementFactory(parties=[agency], title="Safer Stockport ISA"),
    }


def post(client, landlord, content: str, **fields):
    return client.post(
        reverse("partners:upload"),
        {
            "kind": "people",
            "agreement": str(landlord["agreement"].pk),
            "purpose": "Finding people known to more than one agency",
            "extract_date_day": "31",
            "extract_date_month": "3",
            "extract_date_year": "2026",
            "file": SimpleUploadedFile("people.csv", content.encode(), "text/csv"),
            **fields,
        },
    )


def test_the_upload_page_stores_a_good_file_and_lists_it(client, landlord):
    client.force_login(landlord["ig"])
    assert client.get(reverse("partners:upload")).status_code == 200
    response = post(client, landlord, PEOPLE_CSV)
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert response.url == reverse("partners:upload-run", args=[run.pk])
    extract = Extract.objects.get()
    assert (extract.extract_date, extract.row_count) == (datetime.date(2026, 3, 31), 2)
    page = client.get(response.url).content.decode()
    assert "2 rows stored" in page and "2026-03-31" in page
    page = client.get(reverse("partners:extracts")).content.decode()
    assert "Safer Stockport ISA" in page and "Current" in page and "people.csv" in page


def test_the_same_file_again_changes_nothing_and_says_so(client, landlord):
    client.force_login(landlord["ig"])
    post(client, landlord, PEOPLE_CSV)
    response = post(client, landlord, PEOPLE_CSV)
    assert (
        "Nothing changed: this file was already stored" in client.get(response.url).content.decode()
    )
    assert Extract.objects.count() == 1


def test_a_newer_upload_says_what_it_supersedes(client, landlord):
    client.force_login(landlord["ig"])
    post(client, landlord, PEOPLE_CSV, extract_date_month="1")
    response = post(client, landlord, PEOPLE_CSV + "H-3,Grace,,,,,,,\n")
    page = client.get(response.url).content.decode()
    assert "it supersedes the extract of 2026-01-31, which is kept" in page


def test_a_bad_file_is_refused_with_every_problem_and_nothing_stored(client, landlord):
    client.force_login(landlord["ig"])
    response = post(client, landlord, "record_id,postcode,sex\n,SK1 3XE,F\nP2,nowhere,Q\n")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Check your file" in page
    assert "The file has 3 problems. Nothing was stored." in page
    assert "Row 2, record_id: Enter the record_id" in page
    assert "Row 3, postcode: Must be a UK postcode" in page
    assert "Row 3, sex: Must be M, F" in page
    assert Extract.objects.count() == 0


def test_the_form_offers_only_live_agreements_of_the_agency(client, landlord):
    lapsed = AgreementFactory(
        parties=[landlord["agency"]], title="Old ISA", end_date=datetime.date(2021, 1, 1)
    )
    others = AgreementFactory(parties=[AgencyFactory()], title="Another partnership's ISA")
    client.force_login(landlord["ig"])
    page = client.get(reverse("partners:upload")).content.decode()
    assert "Safer Stockport ISA" in page
    assert "Old ISA" not in page and "Another partnership" not in page
    for agreement in (lapsed, others):
        response = post(client, landlord, PEOPLE_CSV, agreement=str(agreement.pk))
        assert response.status_code == 400
        assert "Select a live agreement your agency is a party to" in response.content.decode()
    assert Extract.objects.count() == 0


def test_the_list_shows_current_and_superseded_extracts_and_is_audited(
    client, landlord, django_assert_num_queries
):
    older = ExtractFactory(
        owning_agency=landlord["agency"], by=landlord["ig"], agreement=landlord["agreement"],
        extract_date=datetime.date(2026, 1, 31),
    )  # fmt: skip
    ExtractFactory(
        owning_agency=landlord["agency"], by=landlord["ig"], agreement=landlord["agreement"],
        extract_date=datetime.date(2026, 2, 28), data=PEOPLE_CSV + "H-3,Grace,,,,,,,\n",
    )  # fmt: skip
    client.force_login(landlord["ig"])

    def count() -> tuple[int, str]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("partners:extracts"))
        assert response.status_code == 200
        return len(queries), response.content.decode()

    few, page = count()
    assert "Superseded" in page and "by the extract of 28 February 2026" in page
    assert "Current" in page
    event = AuditEvent.objects.filter(action=Action.CONSULT).latest("id")
    assert str(older.pk) in event.object_ids
    for month in range(3, 7):  # more extracts: the same number of queries
        ExtractFactory(
            owning_agency=landlord["agency"], by=landlord["ig"], agreement=landlord["agreement"],
            extract_date=datetime.date(2026, month, 1), data=PEOPLE_CSV + f"H-{month},X,,,,,,,\n",
        )  # fmt: skip
    with django_assert_num_queries(few):
        assert client.get(reverse("partners:extracts")).status_code == 200


def test_another_agency_does_not_see_the_extracts_but_the_owner_does(client, landlord):
    ExtractFactory(
        owning_agency=landlord["agency"], by=landlord["ig"], agreement=landlord["agreement"]
    )
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.ADMINISTRATOR))
    page = client.get(reverse("partners:extracts")).content.decode()
    assert "Safer Stockport ISA" not in page and "people.csv" not in page
    client.force_login(landlord["ig"])  # the positive control, on the same URL
    page = client.get(reverse("partners:extracts")).content.decode()
    assert "Safer Stockport ISA" in page and "people.csv" in page


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.REFERRER, Role.SUPERVISOR])
def test_casework_roles_may_not_open_the_extract_pages(client, landlord, role):
    client.force_login(UserFactory(agency=landlord["agency"], role=role))
    assert client.get(reverse("partners:extracts")).status_code == 403
    assert client.get(reverse("partners:upload")).status_code == 403
    assert post(client, landlord, PEOPLE_CSV).status_code == 403
    assert Extract.objects.count() == 0
