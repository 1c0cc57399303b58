"""Importing and exporting historic cases as CSV (docs/formats/cases-csv.md)."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.cases import imports
from safehold.cases.choices import CaseStatus, EnforcementKind, EnforcementStatus
from safehold.cases.models import (
    AsbHandover,
    Case,
    EnforcementAction,
    Intervention,
    InterventionType,
    ReferenceCounter,
    ReferralSource,
)
from safehold.cases.services import cases as case_services
from safehold.cases.services import casework as casework_services
from safehold.cases.services import enforcement as enforcement_services
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.geography.models import NeighbourhoodArea
from safehold.geography.services import load_stockport_extract
from safehold.imports.models import ImportRun
from safehold.people.models import Location, Person
from safehold.people.tests.factories import LocationFactory, PersonFactory

GOOD_FILE = Path(__file__).parent.parent / "data" / "historic_cases.csv"


def good_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(GOOD_FILE.read_text(encoding="utf-8"))))


def to_csv(rows: list[dict[str, str]], columns=imports.COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def errors_of(text: str | bytes, programme) -> list[str]:
    return [str(e) for e in imports.validate(data=text, programme=programme).errors]


@pytest.fixture
def programme(db):
    load_stockport_extract()
    return ProgrammeFactory(name="Exploitation project")


@pytest.fixture
def imported(programme):
    return imports.import_cases(data=GOOD_FILE.read_bytes(), programme=programme, by=None)


def wipe_cases() -> None:
    """An empty casework database (geography, agencies and users stay)."""
    AsbHandover.objects.all().delete()
    Case.objects.all().delete()
    Person.objects.all().delete()
    Location.objects.all().delete()
    ReferenceCounter.objects.all().delete()


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


# --- Bad files: every error names its row and column, and nothing is written ---------------------


def test_one_bad_row_writes_nothing_and_the_error_names_its_row_and_column(programme):
    rows = good_rows()
    rows[5]["status"], rows[5]["closure_reason"] = "closed", "other"
    rows[5]["closed_date"] = "30/04/2023"  # the sixth case is on spreadsheet row 7
    events = AuditEvent.objects.count()
    with pytest.raises(imports.ImportInvalid) as raised:
        imports.import_cases(data=to_csv(rows), programme=programme, by=None)
    assert [str(e) for e in raised.value.errors] == [
        "Row 7, closed_date: enter a date in the format YYYY-MM-DD, like 2023-04-30"
    ]
    assert Case.objects.count() == 0
    assert Person.objects.count() == 0
    assert Location.objects.count() == 0
    assert not ReferralSource.objects.exists()
    assert AuditEvent.objects.count() == events


CHANGES = [
    (
        {"closed_date": "2022-03-01"},
        "Row 2, closed_date: the closed date must be the same as or after the referral date (2022-03-14)",
    ),
    (
        {"closure_reason": ""},
        "Row 2, closure_reason: enter a closure reason: one of positively_resolved, moved, "
        "no_engagement, no_exploitation, other",
    ),
    (
        {"closed_date": ""},
        "Row 2, closed_date: enter the date the case was closed in the format YYYY-MM-DD, "
        "like 2023-04-30",
    ),
    (
        {"status": "open", "closure_reason": "", "tenancy_sustained": ""},
        "Row 2, closed_date: leave closed_date empty for an open case, or make status closed",
    ),
    (
        {"status": "open", "closed_date": "", "closure_reason": ""},
        "Row 2, tenancy_sustained: leave tenancy_sustained empty for an open case, or make "
        "status closed",
    ),
    ({"status": "shut"}, "Row 2, status: enter open or closed"),
    (
        {"exploitation_type": "drugs"},
        "Row 2, exploitation_type: “drugs” is not an exploitation type: enter one of cuckooing, "
        "financial, sexual, family, criminal, modern_slavery, other",
    ),
    (
        {"outcome_measures": "warning;hug"},
        "Row 2, outcome_measures: “hug” is not an outcome measure: use arrest_conviction, "
        "target_hardening_support, cpw_cpn, moved, warning, perpetrator_excluded, separated by ;",
    ),
    ({"tenancy_sustained": "maybe"}, "Row 2, tenancy_sustained: enter yes or no, or leave it empty if not known"),
    ({"referral_date": "2022-02-30"}, "Row 2, referral_date: enter a real date in the format YYYY-MM-DD, like 2023-04-30"),
    (
        {"referral_date": "2999-01-01", "status": "open", "closed_date": "", "closure_reason": "", "tenancy_sustained": ""},
        "Row 2, referral_date: the referral date must be today or in the past",
    ),
    ({"reference": "CASE-2022-0001"}, "Row 2, reference: enter the case reference in the format EXP-YYYY-NNNN, like EXP-2023-0042"),
    ({"reference": ""}, "Row 2, reference: enter the case reference, like EXP-2023-0042"),
    ({"subject_name": "  "}, "Row 2, subject_name: enter the subject's name"),
    ({"subject_dob": "2023-01-01"}, "Row 2, subject_dob: the date of birth must be the same as or before the referral date"),
    ({"postcode": "SK5 ZZZ"}, "Row 2, postcode: enter a real postcode, like SK1 3XE"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), CHANGES)
def test_each_rule_is_checked_and_explained(programme, change, expected):
    rows = good_rows()
    rows[0].update(change)
    assert errors_of(to_csv(rows), programme) == [expected]


def test_every_error_in_the_file_is_reported_not_just_the_first(programme):
    rows = good_rows()
    rows[1]["status"] = "pending"
    rows[3]["referral_date"] = "18/07/2022"
    rows[4]["postcode"] = "nowhere"
    assert errors_of(to_csv(rows), programme) == [
        "Row 3, status: enter open or closed",
        "Row 5, referral_date: enter a date in the format YYYY-MM-DD, like 2023-04-30",
        "Row 6, postcode: enter a real postcode, like SK1 3XE",
    ]


def test_a_reference_twice_in_the_file_is_an_error_on_its_second_row(programme):
    rows = good_rows()
    rows[4]["reference"] = "EXP-2022-0002"
    assert errors_of(to_csv(rows), programme) == [
        "Row 6, reference: EXP-2022-0002 is also on row 3: each case must appear once"
    ]


def test_missing_unknown_and_repeated_columns_are_named(programme):
    columns = [c for c in imports.COLUMNS if c not in ("postcode", "closed_date")]
    text = to_csv(good_rows(), columns=[*columns, "notes", "area"])
    errors = errors_of(text, programme)
    assert "Row 1, area: the area column appears more than once" in errors
    assert any(e.startswith("Row 1, notes: “notes” is not a column of this format") for e in errors)
    assert "Row 1, closed_date: the header has no closed_date column" in errors
    assert "Row 1, postcode: the header has no postcode column" in errors
    assert len(errors) == 4


def test_a_value_under_a_column_with_no_name_is_an_error(programme):
    text = to_csv(good_rows()).splitlines()
    text[0] += ","
    text[2] += ",stray"
    assert errors_of("\n".join(text), programme) == [
        "Row 3, column O: there is a value here, but this column has no name in row 1"
    ]


def test_an_empty_file_and_a_file_that_is_not_utf8_are_explained(programme):
    assert errors_of(b"", programme) == ["The file is empty: the first row must name the columns"]
    latin1 = GOOD_FILE.read_text().replace("Alan", "Siân").encode("latin-1")
    assert errors_of(latin1, programme) == [
        "The file is not UTF-8 text: in Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”"
    ]


def test_a_new_area_without_any_geography_is_refused_with_what_to_do(db):
    programme = ProgrammeFactory()
    rows = good_rows()[:1]
    errors = errors_of(to_csv(rows), programme)
    assert errors == [
        "Row 2, area: “Brinnington” is not a neighbourhood in Safehold yet, and there is no "
        "local authority to add it to: load the geography first "
        "(safehold geography load-stockport), or leave area empty"
    ]
    rows[0]["area"] = ""
    assert imports.import_cases(data=to_csv(rows), programme=programme, by=None).created == 1


def test_another_programmes_references_are_its_own_and_never_named(programme):
    """Programmes can share a prefix: each has its own references, so another agency's
    EXP-2022-0003 neither blocks the import nor is named in an error (it was: probe finding g)."""
    theirs = CaseFactory(reference="EXP-2022-0003")
    assert errors_of(GOOD_FILE.read_bytes(), programme) == []
    result = imports.import_cases(data=GOOD_FILE.read_bytes(), programme=programme, by=None)
    assert result.created == 6
    assert Case.objects.filter(reference="EXP-2022-0003").count() == 2
    theirs.refresh_from_db()
    assert theirs.programme != programme


def test_a_changed_row_of_the_same_programme_is_still_an_error(programme):
    """The positive control of the test above: within the programme a reference is one case."""
    imports.import_cases(data=GOOD_FILE.read_bytes(), programme=programme, by=None)
    rows = good_rows()
    rows[2]["exploitation_type"] = "sexual"
    assert any(
        e.startswith("Row 4, exploitation_type:") for e in errors_of(to_csv(rows), programme)
    )


def test_each_programme_numbers_its_own_referrals_and_cases(db):
    from safehold.cases.services.references import next_reference

    first, second = ProgrammeFactory(), ProgrammeFactory()
    assert next_reference(programme=first, prefix="REF", year=2026) == "REF-2026-0001"
    assert next_reference(programme=first, prefix="REF", year=2026) == "REF-2026-0002"
    # Another agency's programme starts at one: its volume cannot be read off one's own numbers.
    assert next_reference(programme=second, prefix="REF", year=2026) == "REF-2026-0001"


def test_checking_a_file_takes_the_same_number_of_queries_however_long_it_is(
    programme, django_assert_max_num_queries
):
    def file_of(n: int) -> str:
        template = good_rows()[0]
        rows = [{**template, "reference": f"EXP-2022-{i + 1:04d}"} for i in range(n)]
        return to_csv(rows)

    with CaptureQueriesContext(connection) as small:
        imports.validate(data=file_of(5), programme=programme)
    with django_assert_max_num_queries(len(small.captured_queries)):
        imports.validate(data=file_of(500), programme=programme)


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


# --- Export and the round trip -----------------------------------------------------------------


def export_text(programme) -> str:
    out = io.StringIO()
    imports.export_cases(cases=Case.objects.filter(programme=programme), out=out, by=None)
    return out.getvalue()


def canonical(rows: list[dict[str, str]], programme) -> list[dict[str, str]]:
    """The file as Safehold writes it: postcodes normalised, measures in a fixed order."""
    plan = imports.validate(data=to_csv(rows), programme=programme)
    return sorted((r.as_csv() for r in plan.rows), key=lambda r: r["reference"])


def test_export_writes_what_was_imported(programme, imported):
    exported = list(csv.DictReader(io.StringIO(export_text(programme))))
    assert exported == canonical(good_rows(), programme)
    assert exported[0]["postcode"] == "SK5 8AA"
    assert exported[0]["outcome_measures"] == "arrest_conviction;target_hardening_support"


def test_export_then_import_round_trips_onto_the_same_and_an_empty_database(programme, imported):
    first = export_text(programme)
    # Onto the same database: nothing to do.
    same = imports.import_cases(data=first, programme=programme, by=None)
    assert same == imports.ImportResult(created=0, unchanged=6)
    # Into an empty one: the same cases come back, and export the same file.
    wipe_cases()
    again = imports.import_cases(data=first, programme=programme, by=None)
    assert again == imports.ImportResult(created=6, unchanged=0)
    assert export_text(programme) == first


def test_cases_recorded_by_hand_round_trip_through_their_outcome_measures(programme):
    agency = programme.lead_agency
    case = CaseFactory(
        programme=programme,
        reference="EXP-2023-0042",
        subject=PersonFactory(owning_agency=agency, given_name="Ann", family_name="Van Dyke"),
        location=LocationFactory(owning_agency=agency, postcode="SK1 3XE"),
    )
    # Wrap-around support counts as target hardening & support; a charge as arrest/conviction.
    wraparound = InterventionType.objects.get(code="wraparound_support")
    casework_services.add_intervention(
        case=case, by=None, type=wraparound, agency=agency, started_on=case.referral_date
    )
    enforcement_services.add_enforcement(
        case=case, by=None, kind="charge", status="applied", agency=agency,
        started_on=case.referral_date,
    )  # fmt: skip
    first = export_text(programme)
    [row] = csv.DictReader(io.StringIO(first))
    assert row["outcome_measures"] == "arrest_conviction;target_hardening_support"
    assert row["subject_name"] == "Ann Van Dyke"
    assert imports.import_cases(data=first, programme=programme, by=None).unchanged == 1
    wipe_cases()
    imports.import_cases(data=first, programme=programme, by=None)
    assert export_text(programme) == first
    reimported = Case.objects.get(reference="EXP-2023-0042")
    assert [i.type_id for i in reimported.interventions.all()] == ["target_hardening"]
    assert [e.kind for e in reimported.enforcement.all()] == ["arrest"]


def test_an_export_is_audited_with_every_case_and_subject(programme, imported):
    export_text(programme)
    event = AuditEvent.objects.get(channel=Channel.EXPORT)
    assert event.action == Action.CONSULT
    cases = Case.objects.all()
    assert set(event.object_ids.split()) == {str(c.pk) for c in cases}
    assert set(event.subject_ids.split()) == {str(c.subject_id) for c in cases}


# --- The command line --------------------------------------------------------------------------


def test_the_import_command_shows_progress_and_a_summary(programme):
    out = io.StringIO()
    call_command("cases", "import", str(GOOD_FILE), stdout=out)
    output = out.getvalue()
    assert "Checked 6 row(s) of historic_cases.csv: no errors" in output
    assert "[####################] 100%  6 of 6" in output
    assert "6 new case(s), 0 unchanged" in output
    assert Case.objects.count() == 6
    out = io.StringIO()
    call_command("cases", "import", str(GOOD_FILE), stdout=out)
    assert "0 new case(s), 6 unchanged" in out.getvalue()


def test_the_import_command_fails_listing_the_errors_and_writes_nothing(programme, tmp_path):
    rows = good_rows()
    rows[1]["status"] = "pending"
    bad = tmp_path / "bad.csv"
    bad.write_text(to_csv(rows), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("cases", "import", str(bad), stdout=io.StringIO())
    assert "Row 3, status: enter open or closed" in str(raised.value)
    assert "nothing was imported" in str(raised.value)
    assert Case.objects.count() == 0


def test_the_import_command_lists_at_most_50_errors(programme, tmp_path):
    template = {**good_rows()[2], "status": "pending"}
    rows = [{**template, "reference": f"EXP-2022-{i + 1:04d}"} for i in range(60)]
    bad = tmp_path / "bad.csv"
    bad.write_text(to_csv(rows), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("cases", "import", str(bad), stdout=io.StringIO())
    message = str(raised.value)
    assert "The file has 60 problem(s)" in message
    assert "Row 51, status" in message and "Row 52, status" not in message
    assert message.endswith("and 10 more")


def test_the_import_command_attributes_the_work_to_a_user_and_a_named_programme(programme):
    ProgrammeFactory(name="Another project")
    user = UserFactory(agency=programme.lead_agency, email="officer@example.org")
    call_command(
        "cases", "import", str(GOOD_FILE), "--programme", "Exploitation project",
        "--user", "Officer@example.org", stdout=io.StringIO(),
    )  # fmt: skip
    assert set(Case.objects.values_list("programme", flat=True)) == {programme.pk}
    assert AuditEvent.objects.get(purpose="EXP-2022-0001: case opened").actor == user
    with pytest.raises(CommandError, match="no programme called “Nope”"):
        call_command("cases", "import", str(GOOD_FILE), "--programme", "Nope")


def test_the_export_command_writes_the_format_to_a_file_or_standard_output(
    programme, imported, tmp_path
):
    out = io.StringIO()
    call_command("cases", "export", stdout=out)
    assert out.getvalue().replace("\r\n", "\n") == export_text(programme).replace("\r\n", "\n")
    target = tmp_path / "cases.csv"
    call_command("cases", "export", "--output", str(target), stdout=io.StringIO())
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so that Excel reads it as UTF-8
    assert imports.import_cases(data=data, programme=programme, by=None).unchanged == 6
    exports = AuditEvent.objects.filter(channel=Channel.EXPORT, action=Action.CONSULT)
    assert exports.count() == 3
    assert all(e.actor is None for e in exports)


def test_the_export_command_for_a_user_writes_only_what_that_user_may_see(programme, imported):
    outsider = UserFactory(agency=AgencyFactory(), role=Role.ADMINISTRATOR)
    owner = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    theirs, mine = io.StringIO(), io.StringIO()
    call_command("cases", "export", "--user", outsider.email, stdout=theirs)
    call_command("cases", "export", "--user", owner.email, stdout=mine)
    assert len(list(csv.reader(io.StringIO(theirs.getvalue())))) == 1  # the header alone
    assert mine.getvalue() == export_text(programme)  # the positive control: all six cases
    assert "EXP-2022-0001" in mine.getvalue() and "EXP-2022-0001" not in theirs.getvalue()


# --- The upload page ---------------------------------------------------------------------------


@pytest.fixture
def officer(programme):
    return UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)


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
