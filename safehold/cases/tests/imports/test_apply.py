"""Importing historic cases (docs/formats/cases-csv.md): a good file, importing it again, and the
upload page's import runs."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.cases import imports
from safehold.cases.choices import CaseStatus, EnforcementKind, EnforcementStatus
from safehold.cases.models import AsbHandover, Case, EnforcementAction, Intervention, ReferralSource
from safehold.cases.services import cases as case_services
from safehold.cases.tests.factories import CaseFactory
from safehold.cases.tests.imports.files import GOOD_FILE, errors_of, good_rows, to_csv
from safehold.geography.models import NeighbourhoodArea
from safehold.imports.models import ImportRun
from safehold.people.models import Person
from safehold.people.tests.factories import PersonFactory

# --- A good file -------------------------------------------------------------------------------


def test_a_good_file_imports_every_case_with_its_closure_and_outcomes(programme, imported):
    assert imported == imports.ImportResult(created=6, unchanged=0)
    assert Case.objects.count() == 6
    assert Case.objects.filter(status=CaseStatus.OPEN).count() == 2
    agency = programme.lead_agency
    assert set(Case.objects.values_list("owning_agency", flat=True)) == {agency.pk}

    first = Case.objects.get(reference="EXP-2022-0001")
    assert first.referral_date == datetime.date(2022, 3, 14)
    assert first.referral_source.name == "Greater Manchester Police"
    assert first.area.name == "Brinnington"
    assert (first.status, first.closure_reason, first.closed_on) == (
        "closed",
        "positively_resolved",
        datetime.date(2022, 6, 30),
    )
    assert first.tenancy_sustained is True
    assert (first.subject.given_name, first.subject.family_name) == ("Alan", "Hart")
    assert first.location.address_line_1 == "12 Brinnington Road"
    assert first.location.postcode == "SK5 8AA"  # normalised from "sk5 8aa"

    # Outcome measures become the first intervention or enforcement of their list.
    [intervention] = first.interventions.all()
    assert intervention.type_id == "target_hardening"
    assert (intervention.agency, intervention.started_on, intervention.notes) == (
        agency,
        first.referral_date,
        "Imported",
    )
    [arrest] = first.enforcement.all()
    assert (arrest.kind, arrest.status, arrest.agency) == (
        EnforcementKind.ARREST,
        EnforcementStatus.IN_FORCE,
        agency,
    )
    second = Case.objects.get(reference="EXP-2022-0002")
    assert [i.type_id for i in second.interventions.all()] == ["move_property"]
    assert [e.kind for e in second.enforcement.all()] == ["cpw"]
    assert second.tenancy_sustained is False
    fourth = Case.objects.get(reference="EXP-2022-0004")
    assert sorted(e.kind for e in fourth.enforcement.all()) == ["perpetrator_excluded", "warning"]
    assert fourth.tenancy_sustained is None

    # "Refused to engage" hands the case to the ASB team, as closing it by hand does.
    assert AsbHandover.objects.get().case == fourth


def test_people_places_areas_and_sources_are_made_or_reused(programme, imported):
    # Alan Hart (same name and date of birth) is on two rows: one person.
    assert Person.objects.filter(family_name="Hart").count() == 1
    assert Case.objects.get(reference="EXP-2022-0004").subject.family_name == "Hart"
    # A one-word name is a family name; the last space splits a longer one.
    smith = Case.objects.get(reference="EXP-2022-0003").subject
    assert (smith.given_name, smith.family_name, smith.date_of_birth) == ("", "Smith", None)
    jones = Case.objects.get(reference="EXP-2022-0002").subject
    assert (jones.given_name, jones.family_name) == ("Mary Ann", "Jones")
    assert Case.objects.get(reference="EXP-2022-0003").location is None
    assert Case.objects.get(reference="EXP-2023-0012").location.postcode == ""
    # An unknown neighbourhood is added in Stockport, where the existing ones are.
    estate = NeighbourhoodArea.objects.get(name="Three Shires Estate")
    assert estate.local_authority.name == "Stockport"
    assert ReferralSource.objects.filter(name="Neighbourhood Watch").exists()
    assert Case.objects.get(reference="EXP-2023-0012").referral_source is None


def test_an_existing_person_of_the_agency_is_reused_not_duplicated(programme):
    alan = PersonFactory(
        owning_agency=programme.lead_agency,
        given_name="Alan",
        family_name="Hart",
        date_of_birth=datetime.date(1961, 5, 2),
    )
    imports.import_cases(data=GOOD_FILE.read_bytes(), programme=programme, by=None)
    assert Case.objects.get(reference="EXP-2022-0001").subject == alan
    assert Person.objects.filter(family_name="Hart").count() == 1


def test_every_write_is_audited(programme, imported):
    case = Case.objects.get(reference="EXP-2022-0001")
    events = AuditEvent.objects.filter(purpose__startswith="EXP-2022-0001")
    purposes = set(events.values_list("purpose", flat=True))
    assert "EXP-2022-0001: case opened" in purposes
    assert "EXP-2022-0001: case closed (positively_resolved)" in purposes
    assert "EXP-2022-0001: intervention target_hardening added" in purposes
    assert AuditEvent.objects.filter(
        action=Action.COLLECT, object_type="people.person", object_ids=str(case.subject_id)
    ).exists()
    summary = AuditEvent.objects.get(purpose__startswith="historic cases imported")
    assert "6 new, 0 unchanged" in summary.purpose


def test_numbers_handed_out_later_follow_the_imported_references(programme, imported):
    case = case_services.open_case(
        programme=programme,
        referral_date=datetime.date(2023, 6, 1),
        subject=PersonFactory(owning_agency=programme.lead_agency),
        exploitation_type="cuckooing",
        by=None,
    )
    assert case.reference == "EXP-2023-0013"


def test_columns_may_come_in_any_order_and_a_byte_order_mark_is_accepted(programme):
    rows = good_rows()
    text = to_csv(rows, columns=list(reversed(imports.COLUMNS)))
    data = "\ufeff".encode() + text.encode("utf-8")
    result = imports.import_cases(data=data, programme=programme, by=None)
    assert result.created == 6


def test_a_file_saved_from_excel_with_a_bom_and_crlf_line_endings_imports(programme):
    data = b"\xef\xbb\xbf" + GOOD_FILE.read_bytes().replace(b"\n", b"\r\n")
    assert imports.import_cases(data=data, programme=programme, by=None).created == 6


# --- Idempotency -------------------------------------------------------------------------------


def test_importing_the_same_file_twice_keeps_one_copy(programme, imported):
    events = AuditEvent.objects.count()
    again = imports.import_cases(data=GOOD_FILE.read_bytes(), programme=programme, by=None)
    assert again == imports.ImportResult(created=0, unchanged=6)
    assert Case.objects.count() == 6
    assert Person.objects.count() == 5
    assert Intervention.objects.count() == 3
    assert EnforcementAction.objects.count() == 4
    assert AuditEvent.objects.count() == events + 1  # only the import's own summary


def test_a_file_that_adds_cases_imports_only_the_new_ones(programme, imported):
    rows = good_rows()
    rows.append({**rows[2], "reference": "EXP-2023-0020", "subject_name": "Jo Bloggs"})
    result = imports.import_cases(data=to_csv(rows), programme=programme, by=None)
    assert result == imports.ImportResult(created=1, unchanged=6)


def test_a_corrected_reimport_is_refused_naming_the_column_that_differs(programme, imported):
    rows = good_rows()
    rows[1]["closure_reason"] = "positively_resolved"
    rows[2]["subject_dob"] = "1950-01-01"
    errors = errors_of(to_csv(rows), programme)
    assert errors == [
        "Row 3, closure_reason: case EXP-2022-0002 is already in Safehold with a different "
        "closure_reason (Safehold has “moved”, the file has “positively_resolved”). An import "
        "never changes existing cases: correct the case in Safehold, or make the file match it",
        # Personal details are never quoted back.
        "Row 4, subject_dob: case EXP-2022-0003 is already in Safehold with a different "
        "subject_dob. An import never changes existing cases: correct the case in Safehold, or "
        "make the file match it",
    ]
    assert Case.objects.get(reference="EXP-2022-0002").closure_reason == "moved"


# --- The upload page ---------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "cases.csv"):
    return client.post(
        reverse("cases:import"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def test_the_upload_page_imports_a_file_and_shows_the_result(client, officer):
    client.force_login(officer)
    page = client.get(reverse("cases:import"))
    assert page.status_code == 200
    assert b"Download all cases (CSV)" in page.content
    assert b'class="govuk-file-upload"' in page.content

    response = upload(client, GOOD_FILE.read_bytes(), "historic.csv")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:import-run", args=[run.pk])
    assert (run.status, run.total_rows, run.processed_rows) == ("done", 6, 6)
    assert (run.created_cases, run.unchanged_cases, run.agency) == (6, 0, officer.agency)
    assert Case.objects.count() == 6
    assert AuditEvent.objects.get(purpose="EXP-2022-0001: case opened").actor == officer

    result = client.get(response.url)
    assert result.status_code == 200
    assert b"Import complete" in result.content
    assert b"http-equiv" not in result.content  # finished: no refreshing
    upload(client, GOOD_FILE.read_bytes(), "historic.csv")
    assert ImportRun.objects.order_by("-created_at").first().unchanged_cases == 6
    assert Case.objects.count() == 6


def test_the_upload_page_lists_the_errors_by_row_and_column(client, officer):
    client.force_login(officer)
    rows = good_rows()
    rows[5].update(status="closed", closure_reason="other", closed_date="30/04/2023")
    response = upload(client, to_csv(rows).encode())
    run = ImportRun.objects.get()
    assert (run.status, run.total_rows, run.processed_rows) == (ImportRun.Status.INVALID, 6, 0)
    assert run.errors == [
        {
            "row": 7,
            "column": "closed_date",
            "message": "enter a date in the format YYYY-MM-DD, like 2023-04-30",
        }
    ]
    assert Case.objects.count() == 0
    page = client.get(response.url)
    assert b"govuk-error-summary" in page.content
    assert b"Enter a date in the format YYYY-MM-DD, like 2023-04-30" in page.content
    assert b"<code>closed_date</code>" in page.content


def test_a_nul_in_a_cell_is_an_error_naming_its_row_and_column_and_nothing_is_imported(
    client, officer
):
    # On PostgreSQL a NUL stopped the run with "The import stopped unexpectedly", naming no
    # row; SQLite stored it.
    client.force_login(officer)
    rows = good_rows()
    rows[1]["subject_name"] = "Sam\x00 Example"  # the second case is on spreadsheet row 3
    response = upload(client, to_csv(rows).encode())
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INVALID
    assert run.errors == [
        {
            "row": 3,
            "column": "subject_name",
            "message": "contains a NUL character (U+0000), which Safehold does not accept: "
            "remove it",
        }
    ]
    assert Case.objects.count() == 0 and Person.objects.count() == 0
    rows[1]["subject_name"] = "Sam Example"  # the positive control: the same file, clean
    upload(client, to_csv(rows).encode())
    assert Case.objects.count() == 6


def test_a_running_import_page_refreshes_itself_and_shows_its_progress(client, officer):
    run = ImportRun.objects.create(
        kind="cases", uploaded_by=officer, agency=officer.agency, file_name="big.csv",
        status=ImportRun.Status.IMPORTING, total_rows=200, processed_rows=50,
    )  # fmt: skip
    client.force_login(officer)
    page = client.get(reverse("cases:import-run", args=[run.pk]))
    assert b'<meta http-equiv="refresh" content="2">' in page.content
    assert b'<progress id="import-progress" class="safehold-progress" max="200" value="50">' in (
        page.content
    )
    assert b"Imported 50 of 200 rows (25%)" in page.content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cases.xlsx", b"PK\x03\x04", b"The selected file must be a CSV"),
        ("cases.csv", b"", b"The selected file is empty"),
    ],
)
def test_the_upload_form_explains_a_wrong_file(client, officer, name, content, message):
    client.force_login(officer)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert message in response.content
    assert not ImportRun.objects.exists()


def test_the_upload_form_asks_for_a_file(client, officer):
    client.force_login(officer)
    response = client.post(reverse("cases:import"), {})
    assert b"Select a CSV file" in response.content


def test_an_import_run_of_another_agency_is_not_found(client, officer, other_agency_caseworker):
    client.force_login(officer)
    upload(client, GOOD_FILE.read_bytes())
    run = ImportRun.objects.get()
    client.force_login(other_agency_caseworker)
    assert client.get(reverse("cases:import-run", args=[run.pk])).status_code == 404


def test_only_those_who_edit_records_for_the_lead_agency_may_import(client, programme):
    analyst = UserFactory(agency=programme.lead_agency, role=Role.ANALYST)
    client.force_login(analyst)
    assert client.get(reverse("cases:import")).status_code == 403
    # A caseworker of an agency that leads no programme has nowhere to import into.
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER))
    assert client.get(reverse("cases:import")).status_code == 403


def test_the_download_has_only_the_users_visible_cases_and_is_audited(client, officer, imported):
    CaseFactory(reference="EXP-2023-0500")  # another agency's case
    client.force_login(officer)
    response = client.get(reverse("cases:export-csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    references = [r["reference"] for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))]
    assert len(references) == 6 and "EXP-2023-0500" not in references
    event = AuditEvent.objects.get(channel=Channel.EXPORT)
    assert (event.action, event.actor) == (Action.CONSULT, officer)
    assert len(event.object_ids.split()) == 6
