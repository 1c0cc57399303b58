"""Checking a historic cases file (docs/formats/cases-csv.md): every error names its row and
column, and nothing is written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehold.audit.models import AuditEvent
from safehold.cases import imports
from safehold.cases.models import Case, ReferralSource
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.cases.tests.imports.files import GOOD_FILE, errors_of, good_rows, to_csv
from safehold.people.models import Location, Person

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
        "local authority to add it to: ask your Safehold administrator to load the geography "
        "first, or leave area empty"
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
