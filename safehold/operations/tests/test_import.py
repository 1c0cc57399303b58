"""Importing historic operations: the whole file checked first, all or nothing, problems named
by row and column, and importing the same file again changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.core.csvfiles import ImportInvalid
from safehold.operations.models import Arrest, Operation, OperationResult
from safehold.operations.services.imports import import_operations

pytestmark = pytest.mark.django_db

HEADER = "key,name,kind,lead_agency,starts_at,partner_agencies,arrests,arrest_offences,drugs,cash_seized,closure_orders_made\n"


@pytest.fixture
def agencies(db):
    return AgencyFactory(name="Wigan Police"), AgencyFactory(name="Wigan Council")


def test_a_good_file_is_imported_once(agencies, tmp_path):
    data = HEADER + (
        "W1,Operation Ash,Warrant execution,Wigan Police,2023-05-04 06:00,Wigan Council,2,PWITS;Affray,crack cocaine 12.5 g; heroin 4 wraps,£1250.00,3\n"
        "W2,Operation Elm,day_of_action,wigan police,2023-06-01,,1,,,,\n"
    )
    path = tmp_path / "ops.csv"
    path.write_text(data)
    out = io.StringIO()
    call_command("operations", "import", str(path), stdout=out)
    assert "2 operation(s) new" in out.getvalue()
    ash = Operation.objects.get(name="Operation Ash")
    assert ash.partners.get().agency.name == "Wigan Council"
    assert sorted(
        Arrest.objects.filter(result__operation=ash).values_list("offence", flat=True)
    ) == ["Affray", "PWITS"]
    assert Arrest.objects.filter(result__operation__name="Operation Elm").count() == 1
    call_command("operations", "import", str(path), stdout=(again := io.StringIO()))
    assert "Nothing changed" in again.getvalue()
    assert Operation.objects.count() == 2 and OperationResult.objects.count() == 2


def test_a_bad_file_names_every_problem_and_imports_nothing(agencies):
    data = HEADER + (
        "W1,Operation Ash,Warrant execution,Wigan Police,2023-05-04,,2,PWITS,,12.345,x\n"
        "W2,,raid,Nobody,04/05/2023,,,,heroin lots,,\n"
        "W1,Operation Elm,day_of_action,Wigan Police,2023-06-01,,,,,,\n"
    )
    with pytest.raises(ImportInvalid) as refused:
        import_operations(data=data, by=None)
    found = {(e.row, e.column) for e in refused.value.errors}
    assert {(2, "arrest_offences"), (2, "cash_seized"), (2, "closure_orders_made"), (3, "name"),
            (3, "kind"), (3, "lead_agency"), (3, "starts_at"), (3, "drugs"), (4, "key")} <= found  # fmt: skip
    assert not Operation.objects.exists()


def test_an_unknown_column_is_refused_with_the_format_named(agencies):
    with pytest.raises(ImportInvalid, match="1 error"):
        import_operations(data=HEADER.strip() + ",colour\n", by=None)


def test_a_user_imports_only_their_own_agencys_operations(agencies, tmp_path):
    user = UserFactory(agency=agencies[1], role=Role.CASEWORKER)
    path = tmp_path / "ops.csv"
    path.write_text(HEADER + "W1,Operation Ash,warrant,Wigan Police,2023-05-04,,,,,,\n")
    with pytest.raises(CommandError, match="your agency led"):
        call_command("operations", "import", str(path), "--user", user.email)
    assert not Operation.objects.exists()
