"""Submitting and grading intelligence: the services check their actor, keep mentions as
typed, set the review date from the documented policy, refuse bad input saving nothing, and
audit every change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.core.errors import Conflict, NotPermitted
from safehold.intelligence import services
from safehold.intelligence.models import Intelligence, Mention
from safehold.intelligence.tests.helpers import SANITISED, WHAT, grade, submit
from safehold.people.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {
        "what": WHAT, "where": "Block B", "occurred_on_day": "1", "occurred_on_month": "3",
        "occurred_on_year": "2026", "occurred_time": "21:30", "who": "Tiny",
        "source_relationship": "told", "mention_kind_1": "phone",
        "mention_value_1": "+44 7700 900123", "mention_kind_2": "vehicle",
        "mention_value_2": "ab12 cde",
    }  # fmt: skip
    return data | extra


def test_a_caseworker_submits_intelligence_from_the_page_and_sees_its_status(client, submitter):
    client.force_login(submitter)
    form = client.get(reverse("intelligence:submit")).content.decode()
    assert "What happens next" in form
    response = client.post(reverse("intelligence:submit"), _form())
    intelligence = Intelligence.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("intelligence:detail", args=[intelligence.pk])
    year = timezone.localdate().year
    assert intelligence.reference == f"INT-{year}-0001"
    assert intelligence.owning_agency == submitter.agency
    assert intelligence.status == "submitted"
    assert intelligence.occurred_time == datetime.time(21, 30)
    # Kept as typed: the network app normalises.
    assert [(m.kind, m.value) for m in intelligence.mentions.all()] == [
        ("phone", "+44 7700 900123"),
        ("vehicle", "ab12 cde"),
    ]
    event = AuditEvent.objects.get(action=Action.COLLECT)
    assert str(intelligence.pk) in event.object_ids and WHAT not in event.purpose
    page = client.get(response.url).content.decode()
    assert "Submitted" in page and intelligence.reference in page


def test_references_count_up_within_the_year(submitter):
    first, second = submit(submitter), submit(submitter)
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"what": ""}, "Enter what happened or what you know"),
        ({"occurred_on_year": ""}, "The date it happened must include a year"),
        ({"occurred_on_year": "2999"}, "The date it happened must be today or in the past"),
        ({"source_relationship": ""}, "Select how you know this"),
        ({"source_relationship": "other"}, "Describe how you know this"),
        ({"mention_kind_1": ""}, "Select what mention 1 is"),
        (
            {"occurred_until_day": "1", "occurred_until_month": "2", "occurred_until_year": "2026"},
            "The end date must be the same as or after the date it happened",
        ),
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(client, submitter, change, message):
    client.force_login(submitter)
    response = client.post(reverse("intelligence:submit"), _form(**change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert WHAT in response.content.decode() or change.get("what") == ""  # nothing lost
    assert not Intelligence.objects.exists()


def test_a_referrer_may_not_submit_and_nothing_is_saved(client, landlord):
    referrer = UserFactory(agency=landlord, role=Role.REFERRER)
    with pytest.raises(NotPermitted):
        submit(referrer)
    client.force_login(referrer)
    assert client.get(reverse("intelligence:submit")).status_code == 403
    assert not Intelligence.objects.exists() and not Mention.objects.exists()


def test_a_place_can_be_named_only_through_the_place_read_gate(client, submitter, stranger):
    ours = LocationFactory(owning_agency=submitter.agency, address_line_1="4 Qintplace Road")
    theirs = LocationFactory(owning_agency=stranger.agency)
    with pytest.raises(NotPermitted):
        submit(submitter, location=theirs)
    assert not Intelligence.objects.exists()
    client.force_login(submitter)
    url = reverse("intelligence:submit")
    assert client.get(url, {"location": theirs.pk}).status_code == 404
    page = client.get(url, {"location": ours.pk})
    assert "4 Qintplace Road" in page.content.decode()
    assert AuditEvent.objects.filter(action=Action.CONSULT, object_ids__contains=str(ours.pk))
    client.post(url + f"?location={ours.pk}", _form())
    intelligence = Intelligence.objects.get()
    assert intelligence.location == ours
    assert "4 Qintplace Road" in intelligence.location_address


def test_the_police_intelligence_role_grades_and_the_review_date_follows_the_policy(
    submitter, analyst
):
    intelligence = submit(submitter)
    services.start_assessment(intelligence=intelligence, by=analyst)
    with pytest.raises(Conflict):
        services.start_assessment(intelligence=intelligence, by=analyst)
    graded = grade(intelligence, analyst)
    today = timezone.localdate()
    assert graded.grading == "2/B/P" and graded.status == "actioned"
    assert graded.assessing_agency == analyst.agency and graded.graded_by == analyst
    assert graded.review_on == today.replace(year=today.year + 6)
    serious = grade(submit(submitter), analyst, serious_harm=True)
    assert serious.review_on == today.replace(year=today.year + 10)
    assert (
        AuditEvent.objects.filter(
            action=Action.ALTER, purpose__startswith="intelligence graded 2/B/P"
        ).count()
        == 2
    )


def test_review_dates_from_29_february_fall_on_28_february():
    leap = datetime.date(2028, 2, 29)
    assert services.review_date(leap, serious_harm=False) == datetime.date(2034, 2, 28)


@pytest.mark.parametrize(
    "role_and_kind", [("caseworker", "police"), ("analyst", "housing"), ("supervisor", "council")]
)
def test_only_a_police_analyst_or_supervisor_may_grade(submitter, role_and_kind):
    from safehold.accounts.tests.factories import AgencyFactory

    role, kind = role_and_kind
    user = UserFactory(agency=AgencyFactory(kind=kind), role=role)
    intelligence = submit(submitter)
    with pytest.raises(NotPermitted):
        grade(intelligence, user)
    with pytest.raises(NotPermitted):
        services.start_assessment(intelligence=intelligence, by=user)
    intelligence.refresh_from_db()
    assert intelligence.status == "submitted" and not intelligence.sanitised_text


def test_a_police_supervisor_may_grade(submitter, police):
    supervisor = UserFactory(agency=police, role=Role.SUPERVISOR)
    assert grade(submit(submitter), supervisor).status == "actioned"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"handling_code": "C"}, "Enter the conditions of sharing for handling code C"),
        ({"sanitised_text": ""}, "Enter the sanitised text, what partners may see"),
        ({"status": "actioned", "action_taken": ""}, "Enter the action taken"),
        ({"assessment": ""}, "Select the intelligence assessment (A to E)"),
    ],
)
def test_the_assessment_page_refuses_an_incomplete_grading_and_saves_nothing(
    client, submitter, analyst, change, message
):
    intelligence = submit(submitter)
    client.force_login(analyst)
    data = {
        "source_evaluation": "2", "assessment": "B", "handling_code": "P",
        "sanitised_text": SANITISED, "action_taken": "", "status": "graded",
    } | change  # fmt: skip
    response = client.post(reverse("intelligence:assess", args=[intelligence.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    intelligence.refresh_from_db()
    assert intelligence.status == "submitted" and not intelligence.grading


def test_grading_from_the_assessment_page(client, submitter, analyst, partner):
    intelligence = submit(submitter)
    client.force_login(analyst)
    url = reverse("intelligence:assess", args=[intelligence.pk])
    page = client.get(url).content.decode()
    assert WHAT in page and "07700 900123" in page
    assert "Known directly to the source" in page and "first-hand" in page  # the APP hints
    response = client.post(url, {
        "source_evaluation": "1", "assessment": "A", "handling_code": "C",
        "handling_conditions": "For safeguarding only", "share_with": [partner.agency_id],
        "sanitised_text": SANITISED, "action_taken": "", "status": "graded",
    })  # fmt: skip
    assert response.status_code == 302
    intelligence.refresh_from_db()
    assert intelligence.grading == "1/A/C"
    assert list(intelligence.share_with.all()) == [partner.agency]


def test_the_assessment_page_sends_the_submitter_to_the_status(client, submitter):
    intelligence = submit(submitter)
    client.force_login(submitter)
    response = client.get(reverse("intelligence:assess", args=[intelligence.pk]))
    assert response.status_code == 302
    assert response.url == reverse("intelligence:detail", args=[intelligence.pk])
    client.post(reverse("intelligence:start", args=[intelligence.pk]))
    intelligence.refresh_from_db()
    assert intelligence.status == "submitted"
