"""A partner's referral: question pages, drafts, sending, and what the referrer sees afterwards.

Over ~400 lines on purpose: it follows one journey page by page with shared answers and
helpers, and reads best as one file.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ClosureReason, ReferralStatus
from safehold.cases.models import Referral
from safehold.cases.selectors import triage_queue
from safehold.cases.services import cases as case_services
from safehold.cases.services import referrals as referral_services
from safehold.cases.tests.factories import ProgrammeFactory, ReferralFactory
from safehold.people.tests.factories import PersonFactory

ANSWERS = {
    "person": {"subject_known": "yes"},
    "about": {
        "subject_given_name": "Ysolde",
        "subject_family_name": "Ashworth",
        "subject_date_of_birth_day": "3",
        "subject_date_of_birth_month": "4",
        "subject_date_of_birth_year": "1970",
    },
    "address": {
        "address_line_1": "14 Lancashire Hill",
        "town": "Stockport",
        "postcode": "sk4 1rw",
    },
    "signs": {
        "signs": ["comings_and_goings", "resident_scared"],
        "what_was_seen": "Young men arriving by bike every 20 minutes after midnight.",
    },
    "exploitation": {"suspected_types": ["cuckooing", "criminal"]},
    "consent": {"consent": "knows_no_consent"},
    "urgency": {"urgency": "urgent", "risks_to_staff": "A large dog in the hallway."},
}
STEPS = list(ANSWERS)


@pytest.fixture
def programme(agency):
    """The exploitation project, led by the `agency` fixture (whose caseworker triages)."""
    return ProgrammeFactory(lead_agency=agency)


@pytest.fixture
def police_referrer(db):
    police = AgencyFactory(name="Greater Manchester Police", kind=AgencyKind.POLICE)
    return UserFactory(agency=police, role=Role.REFERRER)


@pytest.fixture
def referrer_client(client, police_referrer, programme):
    client.force_login(police_referrer)
    return client


def step_url(step: str, referral: Referral) -> str:
    return reverse(f"cases:referral-{step}", kwargs={"pk": referral.pk})


def start_draft(client) -> Referral:
    """A draft with the person's questions answered: it waits on the address."""
    response = client.post(reverse("cases:referral-start"), ANSWERS["person"])
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == step_url("about", referral)
    response = client.post(step_url("about", referral), ANSWERS["about"])
    assert response.status_code == 302 and response.url == step_url("address", referral)
    return referral


def complete_draft(client) -> Referral:
    referral = start_draft(client)
    for step in STEPS[2:]:
        assert client.post(step_url(step, referral), ANSWERS[step]).status_code == 302
    referral.refresh_from_db()
    return referral


def test_a_police_referrer_answers_each_page_checks_and_sends_into_the_triage_queue(
    referrer_client, police_referrer, caseworker, programme
):
    assert referrer_client.get(reverse("cases:referral-start")).status_code == 200
    first = referrer_client.post(reverse("cases:referral-start"), ANSWERS["person"])
    referral = Referral.objects.get()
    assert first.url == step_url("about", referral)
    assert (referral.status, referral.referrer, referral.referrer_agency, referral.programme) == (
        ReferralStatus.DRAFT,
        police_referrer,
        police_referrer.agency,
        programme,
    )
    assert referral.subject_known is True

    # Each page saves to the draft, audited, and goes on to the next question.
    for index, step in enumerate(STEPS[1:], start=1):
        page = referrer_client.get(step_url(step, referral))
        assert page.status_code == 200
        response = referrer_client.post(step_url(step, referral), ANSWERS[step])
        following = STEPS[index + 1] if index + 1 < len(STEPS) else "check"
        assert response.status_code == 302 and response.url == step_url(following, referral)
    referral.refresh_from_db()
    assert referral.subject_name == "Ysolde Ashworth"
    assert referral.subject_date_of_birth == datetime.date(1970, 4, 3)
    assert referral.postcode == "SK4 1RW" and referral.town == "Stockport"
    assert sorted(referral.signs.values_list("code", flat=True)) == [
        "comings_and_goings",
        "resident_scared",
    ]
    assert referral.suspected_types == ["cuckooing", "criminal"]
    assert (referral.consent, referral.urgency) == ("knows_no_consent", "urgent")
    assert referral.risks_to_staff == "A large dog in the hallway."
    saves = AuditEvent.objects.filter(action=Action.COLLECT, object_ids=str(referral.pk))
    assert saves.count() == len(STEPS)
    assert referral.status == ReferralStatus.DRAFT and referral.reference is None
    assert not triage_queue(caseworker).exists()

    check = referrer_client.get(step_url("check", referral))
    page = check.content.decode()
    assert "Check your answers before sending your referral" in page
    assert "Ysolde Ashworth" in page and "3 April 1970" in page and "SK4 1RW" in page
    assert "The resident seems scared, anxious or withdrawn" in page
    assert "Criminal exploitation or county lines" in page and "They know but do not agree" in page
    for step in STEPS:
        assert f'href="{step_url(step, referral)}?change=1"' in page

    sent = referrer_client.post(step_url("check", referral))
    assert sent.status_code == 302 and sent.url == step_url("sent", referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.reference.startswith(f"REF-{timezone.now().year}-")
    assert referral.source.name == "Greater Manchester Police"
    confirmation = referrer_client.get(sent.url).content.decode()
    assert "govuk-panel--confirmation" in confirmation and referral.reference in confirmation
    assert "What happens next" in confirmation
    assert list(triage_queue(caseworker)) == [referral]


def test_a_change_link_returns_to_check_your_answers(referrer_client):
    referral = complete_draft(referrer_client)
    change = f"{step_url('consent', referral)}?change=1"
    page = referrer_client.get(change).content.decode()
    assert f'href="{step_url("check", referral)}"' in page  # the back link
    response = referrer_client.post(change, {"consent": "yes"})
    assert response.url == step_url("check", referral)
    referral.refresh_from_db()
    assert referral.consent == "yes"


def test_changing_to_not_knowing_the_person_asks_for_a_description_instead_of_a_name(
    referrer_client,
):
    referral = complete_draft(referrer_client)
    response = referrer_client.post(
        f"{step_url('person', referral)}?change=1", {"subject_known": "no"}
    )
    # The change opens a new question, then it is back to "Check your answers".
    assert response.url == f"{step_url('about', referral)}?change=1"
    page = referrer_client.get(response.url).content.decode()
    assert "Describe the person" in page and "First name" not in page
    response = referrer_client.post(response.url, {"subject_description": "Man in his 60s"})
    assert response.url == step_url("check", referral)
    referral.refresh_from_db()
    assert referral.subject_known is False and referral.subject_description == "Man in his 60s"
    assert (referral.subject_name, referral.subject_date_of_birth) == ("", None)
    page = referrer_client.get(step_url("check", referral)).content.decode()
    assert "Man in his 60s" in page and "Ysolde" not in page


def test_a_draft_saved_for_later_is_resumed_at_the_first_unanswered_page(referrer_client):
    referral = start_draft(referrer_client)
    # "Save and come back later" on a half-answered page keeps what was entered.
    response = referrer_client.post(
        step_url("address", referral),
        {"address_line_1": "Flat 2, Brinnington Road", "action": "save-later"},
    )
    assert response.status_code == 302 and response.url == reverse("cases:referral-list")
    referral.refresh_from_db()
    assert referral.address_line_1 == "Flat 2, Brinnington Road" and referral.postcode == ""

    listing = referrer_client.get(reverse("cases:referral-list"))
    page = listing.content.decode()
    assert "Your referral has been saved" in page and "Not yet sent" in page
    assert f'href="{step_url("address", referral)}"' in page  # the postcode is still needed
    # Coming back shows what was saved.
    resumed = referrer_client.get(step_url("address", referral)).content.decode()
    assert 'value="Flat 2, Brinnington Road"' in resumed

    for step in STEPS[2:]:
        referrer_client.post(step_url(step, referral), ANSWERS[step])
    page = referrer_client.get(reverse("cases:referral-list")).content.decode()
    assert f'href="{step_url("check", referral)}"' in page


def test_saving_an_empty_first_page_for_later_makes_no_draft(referrer_client):
    response = referrer_client.post(reverse("cases:referral-start"), {"action": "save-later"})
    assert response.url == reverse("cases:referral-list")
    assert not Referral.objects.exists()


def test_check_your_answers_sends_back_to_a_question_not_yet_answered(referrer_client):
    referral = start_draft(referrer_client)
    response = referrer_client.post(step_url("check", referral))
    assert response.status_code == 302 and response.url == step_url("address", referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT and referral.reference is None


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("person", {}, "Select yes if you know who the person is"),
        ("about", {}, "Enter the person&#x27;s first name"),
        ("about", {"subject_given_name": "Ysolde"}, "Enter the person&#x27;s last name"),
        (
            "about",
            {
                "subject_given_name": "A",
                "subject_family_name": "B",
                "subject_date_of_birth_day": "1",
                "subject_date_of_birth_month": "1",
                "subject_date_of_birth_year": "2999",
            },
            "Date of birth must be today or in the past",
        ),
        (
            "about",
            {
                "subject_given_name": "A",
                "subject_family_name": "B",
                "subject_date_of_birth_day": "31",
                "subject_date_of_birth_month": "2",
                "subject_date_of_birth_year": "1990",
            },
            "Date of birth must be a real date",
        ),
        ("address", {"postcode": "SK4 1RW"}, "Enter address line 1, typically the building"),
        ("address", {"address_line_1": "1 High St"}, "Enter a postcode, like SK1 3XE"),
        (
            "address",
            {"address_line_1": "1 High St", "postcode": "NOT A CODE"},
            "Enter a real postcode, like SK1 3XE",
        ),
        ("signs", {"signs": ["weapons"]}, "Describe what you saw or heard"),
        ("exploitation", {}, "Select at least one kind of exploitation, or select Other"),
        ("consent", {}, "Select whether the person knows about this referral and agrees to it"),
        ("urgency", {"risks_to_staff": "Dogs"}, "Select how urgent this is"),
    ],
)
def test_a_page_with_a_mistake_says_what_to_fix_and_saves_nothing(
    referrer_client, step, data, message
):
    referral = start_draft(referrer_client)
    before = AuditEvent.objects.filter(action=Action.COLLECT).count()
    response = referrer_client.post(step_url(step, referral), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page and "There is a problem" in page and message in page
    assert AuditEvent.objects.filter(action=Action.COLLECT).count() == before
    saved = Referral.objects.get(pk=referral.pk)
    assert (saved.subject_given_name, saved.address_line_1, saved.urgency) == ("Ysolde", "", "")


def test_a_mistake_on_the_first_page_makes_no_draft(referrer_client):
    response = referrer_client.post(reverse("cases:referral-start"), {"subject_known": "maybe"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_description_is_needed_when_the_person_is_not_known(referrer_client):
    referrer_client.post(reverse("cases:referral-start"), {"subject_known": "no"})
    referral = Referral.objects.get()
    response = referrer_client.post(step_url("about", referral), {})
    assert "Describe the person" in response.content.decode()
    assert "<title>Error: " in response.content.decode()


def test_nobody_else_can_see_or_change_a_draft(
    client, referrer_client, caseworker, other_agency_caseworker
):
    referral = start_draft(referrer_client)
    colleague = UserFactory(agency=referral.referrer_agency, role=Role.ADMINISTRATOR)
    for user in (colleague, caseworker, other_agency_caseworker):
        client.force_login(user)
        for step in [*STEPS, "check", "sent", "detail"]:
            assert client.get(step_url(step, referral)).status_code == 404
        assert client.post(step_url("address", referral), ANSWERS["address"]).status_code == 404
        assert client.post(step_url("check", referral)).status_code == 404
    referral.refresh_from_db()
    assert referral.address_line_1 == "" and referral.status == ReferralStatus.DRAFT
    assert not AuditEvent.objects.filter(action=Action.CONSULT).exists()
    denied = AuditEvent.objects.filter(action=Action.ACCESS_DENIED, object_ids=str(referral.pk))
    assert denied.count() == 3 * (len(STEPS) + 3 + 2)
    # The referrer's list shows only their own referrals.
    client.force_login(other_agency_caseworker)
    assert "Ysolde" not in client.get(reverse("cases:referral-list")).content.decode()


def test_a_sent_referral_can_no_longer_be_changed(referrer_client):
    referral = complete_draft(referrer_client)
    referrer_client.post(step_url("check", referral))
    referral.refresh_from_db()
    reference = referral.reference
    for step in STEPS:
        response = referrer_client.post(step_url(step, referral), {"urgency": "routine"})
        assert response.status_code == 302 and response.url == step_url("detail", referral)
    again = referrer_client.post(step_url("check", referral))
    assert again.url == step_url("detail", referral)
    referral.refresh_from_db()
    assert (referral.reference, referral.urgency) == (reference, "urgent")
    page = referrer_client.get(again.url).content.decode()
    assert "This referral has been sent, so it can no longer be changed" in page
    assert "?change=1" not in page


def test_viewing_a_sent_referral_is_recorded_each_time(referrer_client, police_referrer):
    referral = complete_draft(referrer_client)
    referrer_client.get(step_url("check", referral))
    # Even one's own draft names a person: showing it is a consultation too.
    draft = AuditEvent.objects.get(action=Action.CONSULT, object_ids=str(referral.pk))
    assert draft.purpose == "referral draft: check answers"
    referrer_client.post(step_url("check", referral))
    for visit in (1, 2):
        assert referrer_client.get(step_url("detail", referral)).status_code == 200
        events = AuditEvent.objects.filter(
            action=Action.CONSULT, object_ids=str(referral.pk), purpose="view referral"
        )
        assert events.count() == visit
    event = events.last()
    assert (event.actor, event.object_type, event.purpose) == (
        police_referrer,
        "cases.referral",
        "view referral",
    )


def test_the_referrer_sees_a_decline_and_its_reason(referrer_client, caseworker):
    referral = complete_draft(referrer_client)
    referrer_client.post(step_url("check", referral))
    referral.refresh_from_db()
    referral_services.decline(
        referral=referral, by=caseworker, reason="No signs of exploitation at this address."
    )
    page = referrer_client.get(step_url("detail", referral)).content.decode()
    assert "govuk-tag--red" in page and "Declined on" in page
    assert "No signs of exploitation at this address." in page
    listing = referrer_client.get(reverse("cases:referral-list")).content.decode()
    assert referral.reference in listing and ">Declined<" in listing


def test_the_referrer_sees_the_case_reference_and_its_outcome_but_nothing_else(
    client, police_referrer, caseworker, programme
):
    referral = ReferralFactory(
        programme=programme,
        referrer=police_referrer,
        referrer_agency=police_referrer.agency,
        submitted_at=datetime.datetime(2026, 4, 1, 10, tzinfo=datetime.UTC),
    )
    person = PersonFactory(owning_agency=caseworker.agency)
    case = referral_services.accept(
        referral=referral,
        by=caseworker,
        person=person,
        location=None,
        exploitation_type="cuckooing",
        risk_level="high",
        risk_rationale="Secret triage rationale",
    )
    client.force_login(police_referrer)
    url = step_url("detail", referral)
    page = client.get(url).content.decode()
    assert "Accepted" in page and case.reference in page and "The case is open" in page
    assert "Secret triage rationale" not in page

    case_services.close_case(
        case=case,
        by=caseworker,
        reason=ClosureReason.POSITIVELY_RESOLVED,
        closed_on=datetime.date(2026, 5, 3),
        tenancy_sustained=True,
        notes="Private closure notes",
    )
    page = client.get(url).content.decode()
    assert "Closed on 3 May 2026: positively resolved" in page
    assert "Private closure notes" not in page and "Secret triage rationale" not in page
    assert reverse("cases:detail", kwargs={"pk": case.pk}) not in page


def test_your_referrals_shows_how_long_each_has_waited_and_what_was_decided(
    client, police_referrer, programme, caseworker
):
    mine = {"programme": programme, "referrer": police_referrer}
    waiting = ReferralFactory(**mine, submitted_at=timezone.now() - datetime.timedelta(days=3))
    declined = ReferralFactory(**mine)
    referral_services.decline(referral=declined, by=caseworker, reason="Not for us")
    signposted = ReferralFactory(**mine)
    referral_services.signpost(
        referral=signposted, by=caseworker, to="Adult social care", reason=""
    )
    theirs = ReferralFactory(programme=programme, subject_given_name="Zebedee")
    client.force_login(police_referrer)
    response = client.get(reverse("cases:referral-list"))
    page = response.content.decode()
    assert "Waiting for triage: 3 days" in page
    assert ">Declined<" in page and "Signposted elsewhere" in page
    for referral in (waiting, declined, signposted):
        assert f'href="{step_url("detail", referral)}"' in page
    assert theirs.reference not in page and "Zebedee" not in page


def test_a_triager_opening_a_question_page_of_a_sent_referral_is_sent_to_its_detail(
    client, caseworker, programme
):
    referral = ReferralFactory(programme=programme)
    client.force_login(caseworker)
    response = client.get(step_url("urgency", referral))
    assert response.status_code == 302 and response.url == step_url("detail", referral)
    assert client.get(step_url("sent", referral)).url == step_url("detail", referral)
    assert client.get(response.url).status_code == 200


def test_with_no_programme_the_referral_form_explains_it_is_not_available(signed_in):
    response = signed_in.get(reverse("cases:referral-start"))
    assert response.status_code == 200
    assert "Referrals are not available yet" in response.content.decode()
    assert signed_in.post(reverse("cases:referral-start"), ANSWERS["person"]).status_code == 200
    assert not Referral.objects.exists()


def test_your_referrals_issues_the_same_number_of_queries_for_1_and_30_referrals(
    client, police_referrer, programme
):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:referral-list")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(police_referrer)
    mine = {"programme": programme, "referrer": police_referrer}
    ReferralFactory(**mine, status=ReferralStatus.DRAFT, reference=None, submitted_at=None)
    one = count_queries()
    ReferralFactory.create_batch(29, **mine)
    assert count_queries() == one
