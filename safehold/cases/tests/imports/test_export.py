"""Exporting cases in the import format, the round trip, and the `safehold cases` command."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.cases import imports
from safehold.cases.models import Case, InterventionType
from safehold.cases.services import casework as casework_services
from safehold.cases.services import enforcement as enforcement_services
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.cases.tests.imports.files import (
    GOOD_FILE,
    canonical,
    export_text,
    good_rows,
    to_csv,
    wipe_cases,
)
from safehold.people import services as people_services
from safehold.people.tests.factories import PersonFactory

# --- Export and the round trip -----------------------------------------------------------------


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
    # The place as Safehold records it: placed in its ward by its postcode (ADR 0037), and the
    # case in that ward's neighbourhood, as opening a case there does.
    place = people_services.create_location(
        owning_agency=agency, by=None, address_line_1="692 Nigel Pass", postcode="SK1 3XE"
    )
    case = CaseFactory(
        programme=programme,
        reference="EXP-2023-0042",
        subject=PersonFactory(owning_agency=agency, given_name="Ann", family_name="Van Dyke"),
        location=place,
        area=place.ward.neighbourhoods.order_by("name").first(),
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
