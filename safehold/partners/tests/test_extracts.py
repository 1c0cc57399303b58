"""Partner extracts: the whole file is checked (every problem by row and column), stored all or
nothing as Parquet, the same file again changes nothing, a newer extract supersedes the current
one with the history kept, the agreement must be live and include the agency, and only the
owning agency's permitted roles see an extract and its rows (issue 17, item 1)."""

import datetime
from decimal import Decimal

import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.partners import store
from safehold.partners.models import Extract
from safehold.partners.selectors import extract_rows, extracts_visible_to
from safehold.partners.services import (
    AgreementNotUsable,
    ExtractRefused,
    ImportInvalid,
    upload_extract,
)
from safehold.partners.tests.factories import PEOPLE_CSV, ExtractFactory
from safehold.sharing.tests.factories import AgreementFactory

PEOPLE_HEADER = "record_id,first_name,surname,other_names,date_of_birth,sex,postcode,address,uprn\n"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def landlord(db):
    agency = AgencyFactory(name="Stockport Homes")
    return {
        "agency": agency,
        "ig": UserFactory(agency=agency, role=Role.IG_OFFICER),
        "agreement": AgreementFactory(parties=[agency, AgencyFactory()]),
    }


def upload(landlord, data: str, *, kind="people", **extra):
    return upload_extract(
        agency=landlord["agency"],
        kind=kind,
        agreement=extra.pop("agreement", landlord["agreement"]),
        purpose=extra.pop("purpose", "Finding people known to more than one agency"),
        data=data.encode(),
        file_name=f"{kind}.csv",
        by=extra.pop("by", landlord["ig"]),
        **extra,
    )


def problems(exc_info) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in exc_info.value.errors]


def stored_files(data_dir) -> list:
    return (
        sorted((data_dir / "partners").rglob("*.parquet"))
        if (data_dir / "partners").exists()
        else []
    )


# --- Validation: every problem, by row and column, and nothing stored ----------------------


def test_every_problem_of_a_people_file_is_named_by_row_and_column_and_nothing_is_stored(
    landlord, data_dir
):
    data = PEOPLE_HEADER + (
        "P1,Ada,Lovelace,,1990-12-10,F,SK1 3XE,1 Mill Lane,100011223344\n"  # row 2: fine
        ",Bob,Smith,,31/02/1990,Q,NOT A CODE,,12AB\n"  # row 3: four problems
        "P1,Cy,Jones,,2999-01-01,,,,\n"  # row 4: repeated id, future birth
    )
    with pytest.raises(ImportInvalid) as exc_info:
        upload(landlord, data)
    assert problems(exc_info) == [
        (3, "record_id"),
        (3, "date_of_birth"),
        (3, "sex"),
        (3, "postcode"),
        (3, "uprn"),
        (4, "date_of_birth"),
        (4, "record_id"),
    ]
    assert "Row 3, postcode: must be a UK postcode" in str(exc_info.value.errors[3])
    assert Extract.objects.count() == 0
    assert stored_files(data_dir) == []


def test_a_valid_file_is_stored_whole_as_parquet_with_its_types(landlord, data_dir):
    result = upload(landlord, PEOPLE_CSV, extract_date=datetime.date(2026, 3, 31))
    extract = result.extract
    assert result.created
    assert (extract.row_count, extract.kind, extract.is_current) == (2, "people", True)
    assert extract.extract_date == datetime.date(2026, 3, 31)
    path = store.extract_path(agency_id=landlord["agency"].pk, kind="people", extract_id=extract.pk)
    assert stored_files(data_dir) == [path]
    rows = store.read_rows(path).to_pylist()
    assert rows[0]["record_id"] == "H-1"
    assert rows[0]["date_of_birth"] == datetime.date(1990, 12, 10)
    assert rows[1]["date_of_birth"] == datetime.date(1992, 6, 23)  # a UK date, read as one
    assert rows[1]["postcode"] is None  # blanks allowed, stored as missing


def test_the_header_must_hold_the_required_columns_and_no_unknown_one(landlord):
    with pytest.raises(ImportInvalid) as exc_info:
        upload(landlord, "first_name,surname,shoe_size\nAda,Lovelace,5\n")
    assert problems(exc_info) == [(1, "shoe_size"), (1, "record_id")]


def test_an_empty_file_or_one_with_only_a_header_is_refused(landlord):
    with pytest.raises(ImportInvalid):
        upload(landlord, "")
    with pytest.raises(ImportInvalid) as exc_info:
        upload(landlord, PEOPLE_HEADER)
    assert "no records" in str(exc_info.value.errors[0])


def test_tenancies_are_checked_and_stored_with_their_tenants_money_and_weeks(landlord, data_dir):
    header = "tenancy_ref,record_ids,uprn,address,start_date,end_date,tenure,rent_balance,arrears_weeks\n"
    bad = header + (
        'T1,H-1; H-2,100011223344,1 Mill Lane,2020-01-06,,secure,"£1,250.50",4.5\n'
        "T2,,,,2021-05-01,2020-01-01,,lots,-1\n"
    )
    with pytest.raises(ImportInvalid) as exc_info:
        upload(landlord, bad, kind="tenancies")
    assert problems(exc_info) == [
        (3, "record_ids"),
        (3, "rent_balance"),
        (3, "arrears_weeks"),
        (3, "end_date"),
    ]
    good = header + 'T1,H-1; H-2,100011223344,1 Mill Lane,2020-01-06,,secure,"£1,250.50",4.5\n'
    extract = upload(landlord, good, kind="tenancies").extract
    (row,) = store.read_rows(
        store.extract_path(
            agency_id=extract.owning_agency_id, kind="tenancies", extract_id=extract.pk
        )
    ).to_pylist()
    assert row["record_ids"] == ["H-1", "H-2"]
    assert row["rent_balance"] == Decimal("1250.50")
    assert row["arrears_weeks"] == 4.5
    assert row["end_date"] is None


def test_incidents_and_attendances_need_a_record_id_a_date_and_a_category(landlord):
    with pytest.raises(ImportInvalid) as exc_info:
        upload(
            landlord,
            "record_id,date,category,postcode\nP1,,ASB,\n,2026-01-02,,SK1 3XE\n",
            kind="incidents",
        )
    assert problems(exc_info) == [(2, "date"), (3, "record_id"), (3, "category")]
    extract = upload(
        landlord,
        "record_id,date,category\nP1,2026-01-02,A&E\nP1,03/01/2026,A&E\n",
        kind="attendances",
    ).extract
    assert extract.row_count == 2  # one person may attend many times


def test_cells_that_look_like_spreadsheet_formulas_are_stored_as_text(landlord):
    data = PEOPLE_HEADER + '"=HYPERLINK(""http://x"",""y"")",+Ada,-Lovelace,@alias,,,,=1+1,\n'
    extract = upload(landlord, data).extract
    (row,) = store.read_rows(
        store.extract_path(agency_id=extract.owning_agency_id, kind="people", extract_id=extract.pk)
    ).to_pylist()
    assert row["record_id"] == '=HYPERLINK("http://x","y")'
    assert (row["first_name"], row["surname"], row["other_names"], row["address"]) == (
        "+Ada",
        "-Lovelace",
        "@alias",
        "=1+1",
    )


# --- Idempotent and superseding, with history ----------------------------------------------


def test_uploading_the_same_file_again_changes_nothing(landlord, data_dir):
    first = upload(landlord, PEOPLE_CSV)
    events = AuditEvent.objects.count()
    again = upload(landlord, PEOPLE_CSV)
    assert not again.created
    assert again.extract == first.extract
    assert Extract.objects.count() == 1
    assert AuditEvent.objects.count() == events
    assert len(stored_files(data_dir)) == 1


def test_a_newer_extract_supersedes_the_current_one_and_the_older_is_kept(landlord, data_dir):
    january = upload(landlord, PEOPLE_CSV, extract_date=datetime.date(2026, 1, 31)).extract
    newer = PEOPLE_CSV + "H-3,Grace,Hopper,,,,,,\n"
    result = upload(landlord, newer, extract_date=datetime.date(2026, 2, 28))
    february = result.extract
    january.refresh_from_db()
    assert result.superseded == january
    assert (january.is_current, january.superseded_by) == (False, february)
    assert (february.is_current, february.row_count) == (True, 3)
    assert len(stored_files(data_dir)) == 2  # both months' rows kept
    # Another kind is another series: the people extract stays current beside it.
    upload(landlord, "record_id,date,category\nH-1,2026-01-02,A&E\n", kind="attendances")
    assert set(Extract.objects.filter(is_current=True).values_list("kind", flat=True)) == {
        "people",
        "attendances",
    }


def test_an_older_extract_uploaded_later_is_history_not_current(landlord):
    march = upload(landlord, PEOPLE_CSV, extract_date=datetime.date(2026, 3, 31)).extract
    result = upload(
        landlord, PEOPLE_CSV + "H-3,Grace,,,,,,,\n", extract_date=datetime.date(2026, 1, 31)
    )
    march.refresh_from_db()
    assert march.is_current
    assert (result.extract.is_current, result.extract.superseded_by) == (False, march)


# --- The agreement and the uploader --------------------------------------------------------


def test_the_agreement_must_be_live(landlord):
    lapsed = AgreementFactory(parties=[landlord["agency"]], end_date=datetime.date(2021, 1, 1))
    with pytest.raises(AgreementNotUsable, match="not live"):
        upload(landlord, PEOPLE_CSV, agreement=lapsed)
    not_started = AgreementFactory(
        parties=[landlord["agency"]], start_date=datetime.date(2099, 1, 1)
    )
    with pytest.raises(AgreementNotUsable, match="not live"):
        upload(landlord, PEOPLE_CSV, agreement=not_started)
    assert upload(landlord, PEOPLE_CSV).created  # the positive control: a live one is used


def test_the_agency_must_be_a_party_to_the_agreement(landlord):
    others = AgreementFactory(parties=[AgencyFactory(), AgencyFactory()])
    with pytest.raises(AgreementNotUsable, match="not a party"):
        upload(landlord, PEOPLE_CSV, agreement=others)
    assert Extract.objects.count() == 0


def test_only_a_user_of_the_agency_uploads_its_extract(landlord):
    with pytest.raises(ExtractRefused, match="is not a user of"):
        upload(landlord, PEOPLE_CSV, by=UserFactory(role=Role.IG_OFFICER))


def test_an_upload_is_audited_with_its_agreement(landlord):
    extract = upload(landlord, PEOPLE_CSV).extract
    event = AuditEvent.objects.filter(action=Action.COLLECT).latest("id")
    assert (event.object_type, event.object_ids) == ("partners.extract", str(extract.pk))
    assert event.agreement_id == landlord["agreement"].pk


# --- Who sees an extract and its rows ------------------------------------------------------


@pytest.mark.parametrize("role", [Role.IG_OFFICER, Role.ANALYST, Role.ADMINISTRATOR])
def test_the_owning_agencys_governance_data_and_admin_roles_see_its_extracts(landlord, role):
    extract = upload(landlord, PEOPLE_CSV).extract
    user = UserFactory(agency=landlord["agency"], role=role)
    assert list(extracts_visible_to(user)) == [extract]
    rows = extract_rows(extract=extract, user=user, purpose="checking the upload")
    assert rows.num_rows == 2
    event = AuditEvent.objects.filter(action=Action.CONSULT).latest("id")
    assert (event.object_ids, event.actor_id) == (str(extract.pk), user.pk)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.REFERRER, Role.SUPERVISOR])
def test_casework_roles_of_the_agency_do_not_see_its_extracts(landlord, role):
    extract = upload(landlord, PEOPLE_CSV).extract
    user = UserFactory(agency=landlord["agency"], role=role)
    assert list(extracts_visible_to(user)) == []
    with pytest.raises(Extract.DoesNotExist):
        extract_rows(extract=extract, user=user, purpose="curious")


def test_another_agency_cannot_see_or_read_an_extract(landlord):
    extract = upload(landlord, PEOPLE_CSV).extract
    partner = landlord["agreement"].parties.exclude(pk=landlord["agency"].pk).get()
    outsider = UserFactory(agency=partner, role=Role.ADMINISTRATOR)
    consults = AuditEvent.objects.filter(action=Action.CONSULT).count()
    assert list(extracts_visible_to(outsider)) == []
    with pytest.raises(Extract.DoesNotExist):
        extract_rows(extract=extract, user=outsider, purpose="curious")
    assert AuditEvent.objects.filter(action=Action.CONSULT).count() == consults
    # The positive control: the owner's administrator sees it.
    owner = UserFactory(agency=landlord["agency"], role=Role.ADMINISTRATOR)
    assert list(extracts_visible_to(owner)) == [extract]


def test_the_factory_makes_a_current_extract_of_its_agency(db):
    extract = ExtractFactory()
    assert extract.is_current and extract.row_count == 2
