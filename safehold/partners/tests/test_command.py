"""`safehold partners import-extract`: stores a good file, refuses a bad one with every problem
and a non-zero exit, changes nothing on the same file again."""

import io

import pytest
from django.core.management import CommandError, call_command

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Channel
from safehold.audit.models import AuditEvent
from safehold.partners.models import Extract
from safehold.partners.tests.factories import PEOPLE_CSV
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def setup(db, tmp_path):
    agency = AgencyFactory(name="Stockport Homes")
    user = UserFactory(agency=agency, role=Role.ANALYST, email="analyst@homes.example")
    AgreementFactory(parties=[agency], title="Safer Stockport ISA")
    good = tmp_path / "people.csv"
    good.write_text(PEOPLE_CSV)
    return {"agency": agency, "user": user, "good": good, "tmp": tmp_path}


def run(path, *extra, agreement="Safer Stockport ISA", agency="Stockport Homes") -> str:
    out = io.StringIO()
    call_command(
        "partners", "import-extract", "--agency", agency, "--kind", "people",
        "--agreement", agreement, "--purpose", "Linking people", "--user", "analyst@homes.example",
        *extra, str(path), stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return out.getvalue()


def test_the_command_stores_an_extract_and_a_second_run_changes_nothing(setup):
    out = run(setup["good"], "--extract-date", "2026-03-31")
    assert "Stored people.csv: 2 people rows of Stockport Homes, extract of 31 March 2026" in out
    extract = Extract.objects.get()
    assert extract.uploaded_by == setup["user"]
    assert AuditEvent.objects.filter(object_ids=str(extract.pk), channel=Channel.CLI).exists()
    assert "Nothing changed" in run(setup["good"])
    assert Extract.objects.count() == 1


def test_a_bad_file_is_refused_with_every_problem_and_nothing_is_stored(setup):
    bad = setup["tmp"] / "bad.csv"
    bad.write_text("record_id,date_of_birth,postcode\n,1990-13-01,SK1 3XE\nP2,,nowhere\n")
    with pytest.raises(CommandError) as exc_info:
        run(bad)
    message = str(exc_info.value)
    assert "The file has 3 problem(s); nothing was imported" in message
    assert "Row 2, record_id: enter the record_id" in message
    assert "Row 2, date_of_birth: must be a real date" in message
    assert "Row 3, postcode: must be a UK postcode" in message
    assert Extract.objects.count() == 0


def test_an_unknown_agreement_or_agency_is_refused(setup):
    with pytest.raises(CommandError, match="is a party to no agreement"):
        run(setup["good"], agreement="No such agreement")
    AgreementFactory(parties=[AgencyFactory()], title="Someone else's ISA")
    with pytest.raises(CommandError, match="is a party to no agreement"):
        run(setup["good"], agreement="Someone else's ISA")
    with pytest.raises(CommandError, match="no agency called"):
        run(setup["good"], agency="Nobody")
    assert Extract.objects.count() == 0


def test_a_refused_file_makes_the_command_exit_non_zero(setup):
    """`safehold` exits with a CommandError's returncode (Django's run_from_argv), here 1."""
    bad = setup["tmp"] / "bad.csv"
    bad.write_text("record_id,sex\nP1,Maybe\n")
    with pytest.raises(CommandError) as exc_info:
        run(bad)
    assert exc_info.value.returncode == 1
    assert "Row 2, sex: must be M, F" in str(exc_info.value)
    assert Extract.objects.count() == 0
