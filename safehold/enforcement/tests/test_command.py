"""`safehold enforcement bundle CASE_REFERENCE --output FILE.pdf [--user EMAIL]`."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import EnforcementKind
from safehold.core.tests.readable import pdf_text
from safehold.enforcement.tests.factories import BundleActionFactory, bundle_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def test_the_command_builds_the_bundle_of_the_cases_latest_order_or_injunction(tmp_path):
    agency = AgencyFactory()
    older = bundle_action(agency)
    case = older.case
    latest = BundleActionFactory(
        case=case, kind=EnforcementKind.CIVIL_INJUNCTION, started_on=datetime.date(2023, 9, 1)
    )
    # A later warning is not a court action: it is passed over.
    BundleActionFactory(
        case=case, kind=EnforcementKind.WARNING, started_on=datetime.date(2024, 1, 1)
    )
    user = UserFactory(agency=agency, role=Role.CASEWORKER)
    out = tmp_path / "bundle.pdf"
    call_command("enforcement", "bundle", case.reference.lower(), "--output", str(out),
                 "--user", user.email)  # fmt: skip
    text = pdf_text(out.read_bytes())
    assert "Application for a civil injunction" in text and "Scott schedule" in text
    event = AuditEvent.objects.get(action="disclose")
    assert event.actor == user and str(latest.pk) in event.object_ids
    assert "the court, the other party" in event.purpose


def test_the_command_refuses_a_user_who_may_not_see_the_case(tmp_path):
    action = bundle_action(AgencyFactory())
    stranger = UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)
    out = tmp_path / "bundle.pdf"
    with pytest.raises(CommandError, match="There is no case"):
        call_command("enforcement", "bundle", action.case.reference, "-o", str(out),
                     "--user", stranger.email)  # fmt: skip
    assert not out.exists()
    # Without --user the operator builds it (the control).
    call_command("enforcement", "bundle", action.case.reference, "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert AuditEvent.objects.get(action="disclose").actor is None


def test_the_command_says_when_the_case_has_no_court_action(tmp_path):
    action = bundle_action(AgencyFactory(), kind=EnforcementKind.WARNING)
    with pytest.raises(
        CommandError, match="has no closure notice, closure order or civil injunction"
    ):
        call_command("enforcement", "bundle", action.case.reference, "-o", str(tmp_path / "b.pdf"))
