"""A person decides: each decision is one service, audited, with a required reason; a reviewed
entry leaves the list until something new appears, "watch" keeps it with a marker, "refer"
sends a referral through the cases app's service; analysts and IG officers only read."""

import datetime

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ReferralStatus
from safehold.cases.models import Referral
from safehold.cases.tests.factories import ProgrammeFactory
from safehold.core.errors import NotPermitted
from safehold.core.tests.readable import text_of
from safehold.risk import services
from safehold.risk.choices import Decision
from safehold.risk.models import Review
from safehold.risk.selectors import list_for
from safehold.risk.tests.factories import AS_OF, extract, tenancy

pytestmark = pytest.mark.django_db


def _entry_url(world, as_of=AS_OF) -> str:
    return f"{reverse('risk:entry')}?{urlencode({'subject': world['cluster'], 'as_of': as_of})}"


def _shown(client, user, as_of=AS_OF) -> str:
    client.force_login(user)
    return client.get(reverse("risk:list"), {"as_of": as_of.isoformat()}).content.decode()


def test_a_tenancy_officer_offers_support_and_the_entry_leaves_the_list(client, world):
    officer = UserFactory(agency=world["homes"], role=Role.CASEWORKER)
    analyst = UserFactory(agency=world["homes"], role=Role.ANALYST)
    assert f'data-subject="{world["cluster"]}"' in _shown(client, analyst)
    client.force_login(officer)
    response = client.post(
        _entry_url(world),
        {"decision": "tenancy_support", "reason": "Arrears and a learning disability"},
        follow=True,
    )
    assert "Your decision to offer tenancy support has been recorded." in text_of(response)
    review = Review.objects.get()
    assert (review.decision, review.decided_by, review.agency) == (
        Decision.TENANCY_SUPPORT, officer, world["homes"],
    )  # fmt: skip
    assert review.fingerprint == list_for(officer, AS_OF, keep=None).entries[0].fingerprint
    # Off the list for everyone, the analyst too; shown again when asked for reviewed entries.
    assert f'data-subject="{world["cluster"]}"' not in _shown(client, analyst)
    client.force_login(analyst)
    again = client.get(reverse("risk:list"), {"as_of": AS_OF.isoformat(), "reviewed": "on"})
    assert "Reviewed: Offer tenancy support" in text_of(again)
    event = AuditEvent.objects.filter(action="collect", object_type="risk.review").get()
    assert event.purpose == "top indicators list review: offer tenancy support"


def test_something_new_brings_a_reviewed_entry_back(client, world):
    officer = UserFactory(agency=world["homes"], role=Role.CASEWORKER)
    services.no_action(by=officer, as_of=AS_OF, subject_ref=world["cluster"], reason="Known")
    assert f'data-subject="{world["cluster"]}"' not in _shown(client, officer)
    later = AS_OF + datetime.timedelta(days=1)
    extract(
        world["homes"], "tenancies",
        [tenancy("T-1", "H-1", weeks="10", start=AS_OF - datetime.timedelta(days=20))], on=later,
    )  # fmt: skip
    page = _shown(client, officer, later)
    assert f'data-subject="{world["cluster"]}"' in page
    assert "Something new" in page


def test_a_watched_entry_stays_on_the_list_marked(client, world):
    officer = UserFactory(agency=world["council"], role=Role.SUPERVISOR)
    services.watch(by=officer, as_of=AS_OF, subject_ref=world["cluster"], reason="Next month")
    page = _shown(client, officer)
    assert f'data-subject="{world["cluster"]}"' in page and "Watched" in page


def test_referring_sends_a_referral_through_the_cases_service_and_the_review_names_it(
    client, world
):
    ProgrammeFactory(lead_agency=world["council"])
    officer = UserFactory(agency=world["council"], role=Role.CASEWORKER)
    client.force_login(officer)
    response = client.post(
        _entry_url(world), {"decision": "refer", "reason": "Signs of cuckooing"}, follow=True
    )
    review = Review.objects.get()
    referral = Referral.objects.get()
    assert review.referral == referral
    assert referral.status == ReferralStatus.SUBMITTED and referral.referrer == officer
    assert "Signs of cuckooing" in referral.what_was_seen
    assert f"Your referral {referral.reference} to the exploitation team has been sent" in (
        text_of(response)
    )
    assert AuditEvent.objects.filter(object_type="cases.referral").exists()


def test_a_decision_without_a_reason_is_refused_and_saves_nothing(client, world):
    client.force_login(UserFactory(agency=world["homes"], role=Role.CASEWORKER))
    response = client.post(_entry_url(world), {"decision": "no_action", "reason": " "})
    assert "Enter the reason for your decision" in text_of(response)
    with pytest.raises(services.ReviewRefused):
        services.no_action(
            by=UserFactory(agency=world["homes"], role=Role.CASEWORKER), as_of=AS_OF,
            subject_ref=world["cluster"], reason="  ",
        )  # fmt: skip
    assert not Review.objects.exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.IG_OFFICER, Role.ADMINISTRATOR])
def test_readers_who_do_not_decide_see_the_entry_and_cannot_decide(client, world, role):
    reader = UserFactory(agency=world["homes"], role=role)
    client.force_login(reader)
    page = client.get(_entry_url(world))
    assert page.status_code == 200 and "Record the decision" not in text_of(page)
    assert client.post(_entry_url(world), {"decision": "watch", "reason": "x"}).status_code == 403
    with pytest.raises(NotPermitted):
        services.watch(by=reader, as_of=AS_OF, subject_ref=world["cluster"], reason="x")
    assert not Review.objects.exists()


def test_an_entry_the_user_may_not_see_is_not_found_and_its_holder_sees_it(client, world):
    stranger = UserFactory(role=Role.CASEWORKER)
    client.force_login(stranger)
    assert client.get(_entry_url(world)).status_code == 404
    assert client.post(_entry_url(world), {"decision": "watch", "reason": "x"}).status_code == 404
    client.force_login(UserFactory(agency=world["homes"], role=Role.CASEWORKER))
    assert client.get(_entry_url(world)).status_code == 200
    assert not Review.objects.exists()


def test_a_failed_referral_leaves_no_review(client, world):
    officer = UserFactory(agency=world["council"], role=Role.CASEWORKER)
    # No programme to refer to: the referral cannot be sent, so the decision is not kept.
    with pytest.raises(services.ReviewRefused):
        services.refer_to_exploitation_team(
            by=officer, as_of=AS_OF, subject_ref=world["cluster"], reason="Cuckooing"
        )
    assert not Review.objects.exists() and not Referral.objects.exists()


def test_the_decisions_page_counts_the_agencys_decisions_and_shows_no_other_agencys(client, world):
    homes = UserFactory(agency=world["homes"], role=Role.CASEWORKER)
    council = UserFactory(agency=world["council"], role=Role.SUPERVISOR)
    services.watch(by=homes, as_of=AS_OF, subject_ref=world["cluster"], reason="Homes reason")
    services.no_action(by=council, as_of=AS_OF, subject_ref=world["cluster"], reason="Council")
    client.force_login(council)
    page = text_of(client.get(reverse("risk:reviews")))
    assert "Council" in page and "Homes reason" not in page
    assert (
        '<td class="govuk-table__cell">No action</td><td class="govuk-table__cell govuk-table__cell--numeric">1</td>'
        in page
    )
    client.force_login(homes)
    assert "Homes reason" in text_of(client.get(reverse("risk:reviews")))


def test_one_agencys_decision_takes_the_entry_off_every_agencys_list(client, world):
    council = UserFactory(agency=world["council"], role=Role.SUPERVISOR)
    assert f'data-subject="{world["cluster"]}"' in _shown(client, council)  # the control
    homes = UserFactory(agency=world["homes"], role=Role.CASEWORKER)
    services.no_action(by=homes, as_of=AS_OF, subject_ref=world["cluster"], reason="Known to us")
    assert f'data-subject="{world["cluster"]}"' not in _shown(client, council)
    client.force_login(council)
    again = client.get(reverse("risk:list"), {"as_of": AS_OF.isoformat(), "reviewed": "on"})
    assert "Reviewed: No action" in text_of(again) and "Known to us" not in text_of(again)
