"""The bundle's chronology holds what operations found at the premises (exhibits "O1", …):
results of operations the builder's agency led or took part in, in the year before the action,
at that premises only; the lines name offences and items, never a person."""

import datetime
import re
from decimal import Decimal

import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.core.tests.readable import pdf_text
from safehold.enforcement import services
from safehold.enforcement.tests.factories import BundleActionFactory
from safehold.operations.services import results
from safehold.operations.tests.factories import (
    OperationFactory,
    OperationPartnerFactory,
    OperationPremisesFactory,
)
from safehold.people.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2023, 5, 4, 6, 0, tzinfo=datetime.UTC)  # the action starts 1 June 2023


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def action():
    return BundleActionFactory()


@pytest.fixture
def worker(action):
    return UserFactory(agency=action.case.owning_agency, role=Role.CASEWORKER)


def _operation_at(location, lead, *, name, starts_at=DAY, partner_agency=None):
    operation = OperationFactory(owning_agency=lead.agency, name=name, starts_at=starts_at)
    if partner_agency is not None:
        OperationPartnerFactory(operation=operation, agency=partner_agency)
    # Made directly: the police may target a place the holder shared with them once.
    premises = OperationPremisesFactory(operation=operation, location=location)
    results.record_results(
        operation=operation, premises=premises, by=lead, warrants_executed=1,
        offences=["Possession with intent to supply class A"],
        drugs=[("Crack cocaine", Decimal("12.5"), "g")], cash_seized=Decimal("1450.00"),
        closure_notices_served=1,
    )  # fmt: skip
    return operation


def _lines(pdf: bytes) -> list[str]:
    return [line for line in pdf_text(pdf).splitlines() if re.match(r"^\s*O\d+\s", line)]


def test_results_at_the_premises_are_in_the_chronology_with_their_offences_and_items(
    action, worker
):
    police = AgencyFactory(name="Greater Manchester Police")
    officer = UserFactory(agency=police, role=Role.CASEWORKER)
    premises = action.case.location
    _operation_at(premises, officer, name="Operation Larch", partner_agency=worker.agency)
    pdf = services.build_bundle(action=action, by=worker, recipients=["court"])
    lines = _lines(pdf)
    assert len(lines) == 1 and "4 May 2023" in lines[0]
    text = re.sub(r"\s+", " ", pdf_text(pdf))  # table cells wrap across lines
    assert "Larch" in text
    for words in ("1 warrant executed", "(Possession with intent to", "Crack cocaine: 12.50",
                  "£1,450.00 cash", "closure notice served"):  # fmt: skip
        assert words in text


def test_operations_elsewhere_out_of_period_or_not_shared_are_left_out(action, worker):
    police = AgencyFactory(name="Greater Manchester Police")
    officer = UserFactory(agency=police, role=Role.CASEWORKER)
    elsewhere = LocationFactory(owning_agency=police)
    _operation_at(elsewhere, officer, name="Operation Birch", partner_agency=worker.agency)
    late = DAY.replace(year=2024)
    _operation_at(action.case.location, officer, name="Operation Rowan", starts_at=late,
                  partner_agency=worker.agency)  # fmt: skip
    # Police alone, the holder not taking part: not the holder's to put in a bundle…
    _operation_at(action.case.location, officer, name="Operation Hawthorn")
    pdf = services.build_bundle(action=action, by=worker, recipients=["court"])
    assert _lines(pdf) == []
    assert "Operation" not in pdf_text(pdf).replace("Operations", "")
    # …but the operator on the command line, who builds from everything held, sees it: the
    # positive control that the line was left out by the gate, not by the premises or dates.
    pdf = services.build_bundle(action=action, by=None, recipients=["court"])
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert len(_lines(pdf)) == 1 and "Hawthorn" in text
    assert "Birch" not in text and "Rowan" not in text
