"""The read gate (ADR 0049), each "must not see" with its positive control on the same URL:
the submitter sees the status only where the police analyst sees everything; a partner sees
nothing before grading, then the sanitised text only, and with handling code C only if named;
every page and API read is audited naming the intelligence."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.intelligence import selectors
from safehold.intelligence.tests.helpers import ACTION, SANITISED, WHAT, grade, submit
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

ORIGINAL = (WHAT, "Qintwho", "07700 900123", ACTION)


def _page(client, user, intelligence) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(reverse("intelligence:detail", args=[intelligence.pk]))
    return response.status_code, response.content.decode()


def test_the_submitter_sees_the_status_only_where_the_police_analyst_sees_the_grading(
    client, submitter, analyst
):
    intelligence = grade(submit(submitter), analyst)
    status, police_page = _page(client, analyst, intelligence)
    assert status == 200
    for value in (*ORIGINAL, SANITISED, "2/B/P"):
        assert value in police_page  # the positive control
    status, own_page = _page(client, submitter, intelligence)
    assert status == 200
    assert intelligence.reference in own_page and "Actioned" in own_page
    for value in (*ORIGINAL, SANITISED, "2/B/P", "Known indirectly"):
        assert value not in own_page


def test_a_partner_sees_nothing_until_graded_then_the_sanitised_text_only(
    client, submitter, analyst, partner
):
    intelligence = submit(submitter)
    assert _page(client, partner, intelligence)[0] == 404
    assert _page(client, analyst, intelligence)[0] == 200  # the control
    grade(intelligence, analyst)
    status, page = _page(client, partner, intelligence)
    assert status == 200
    assert SANITISED in page and "2/B/P" in page and "Lawful sharing permitted" in page
    for value in ORIGINAL:
        assert value not in page
    listed = client.get(reverse("intelligence:list")).content.decode()
    assert intelligence.reference in listed and "Qintsanitised" in listed


def test_handling_code_p_reaches_only_partners_under_a_live_agreement_with_the_grader(
    client, submitter, analyst, partner, stranger, police
):
    intelligence = grade(submit(submitter), analyst)
    assert _page(client, partner, intelligence)[0] == 200  # the control
    assert _page(client, stranger, intelligence)[0] == 404
    assert intelligence.reference not in client.get(reverse("intelligence:list")).content.decode()
    lapsed = UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    AgreementFactory(parties=[police, lapsed.agency], end_date=yesterday)
    assert _page(client, lapsed, intelligence)[0] == 404


def test_handling_code_c_reaches_only_the_agencies_named(
    client, submitter, analyst, partner, stranger
):
    intelligence = grade(
        submit(submitter), analyst, handling_code="C", handling_conditions="Safeguarding only",
        share_with=[stranger.agency],
    )  # fmt: skip
    assert _page(client, partner, intelligence)[0] == 404  # under an agreement, but not named
    status, page = _page(client, stranger, intelligence)
    assert status == 200 and SANITISED in page and "Safeguarding only" in page


def test_a_referrer_and_an_analyst_of_the_submitting_agency_see_nothing(
    client, submitter, landlord
):
    intelligence = submit(submitter)
    for role in (Role.REFERRER, Role.ANALYST):
        assert _page(client, UserFactory(agency=landlord, role=role), intelligence)[0] == 404
    assert _page(client, submitter, intelligence)[0] == 200  # the control


def test_a_police_caseworker_is_not_the_intelligence_role(client, submitter, analyst, police):
    intelligence = submit(submitter)
    caseworker = UserFactory(agency=police, role=Role.CASEWORKER)
    assert _page(client, caseworker, intelligence)[0] == 404
    assert _page(client, analyst, intelligence)[0] == 200
    client.force_login(caseworker)
    assert client.get(reverse("intelligence:queue")).status_code == 403


def test_the_queue_shows_waiting_submissions_oldest_first_with_counts(client, submitter, analyst):
    first, second = submit(submitter), submit(submitter)
    grade(submit(submitter), analyst)
    client.force_login(analyst)
    response = client.get(reverse("intelligence:queue"))
    assert [i.pk for i in response.context["waiting"]] == [first.pk, second.pk]
    assert response.context["counts"] == {"submitted": 2, "actioned": 1}
    event = AuditEvent.objects.filter(action=Action.CONSULT).latest("id")
    assert str(first.pk) in event.object_ids and str(second.pk) in event.object_ids


def test_due_for_review_lists_intelligence_whose_review_date_has_come(submitter, analyst):
    intelligence = grade(submit(submitter), analyst)
    assert list(selectors.due_for_review(analyst)) == []
    later = intelligence.review_on + datetime.timedelta(days=1)
    assert list(selectors.due_for_review(analyst, today=later)) == [intelligence]


@pytest.mark.parametrize("page", ["detail", "list", "api-detail", "api-list"])
def test_every_read_is_audited_naming_the_intelligence(client, submitter, analyst, page):
    intelligence = grade(submit(submitter), analyst)
    urls = {
        "detail": reverse("intelligence:detail", args=[intelligence.pk]),
        "list": reverse("intelligence:list"),
        "api-detail": reverse("api:intelligence-detail", args=[intelligence.pk]),
        "api-list": reverse("api:intelligence-list"),
    }
    for user in (submitter, analyst):
        client.force_login(user)
        before = AuditEvent.objects.count()
        assert client.get(urls[page]).status_code == 200
        events = AuditEvent.objects.order_by("id")[before:]
        assert any(
            e.action == Action.CONSULT and str(intelligence.pk) in e.object_ids for e in events
        )
        assert not any(WHAT in e.purpose for e in events)


def test_a_refusal_is_audited_as_denied(client, submitter, stranger):
    intelligence = submit(submitter)
    client.force_login(stranger)
    assert client.get(reverse("intelligence:detail", args=[intelligence.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        action=Action.ACCESS_DENIED, object_ids__contains=str(intelligence.pk)
    ).exists()


def test_the_api_gives_each_caller_what_the_pages_give(client, submitter, analyst, partner):
    intelligence = grade(submit(submitter), analyst)
    url = reverse("api:intelligence-detail", args=[intelligence.pk])
    seen = {}
    for name, user in (("police", analyst), ("submitter", submitter), ("partner", partner)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        seen[name] = response.json()
    assert seen["police"]["what"] == WHAT and seen["police"]["action_taken"] == ACTION
    assert seen["police"]["mentions"][0]["value"] == "07700 900123"
    assert set(seen["submitter"]) == {"id", "reference", "submitted_at", "status", "access"}
    assert seen["partner"]["sanitised_text"] == SANITISED and seen["partner"]["grading"] == "2/B/P"
    assert "what" not in seen["partner"] and "mentions" not in seen["partner"]
    assert "action_taken" not in seen["partner"]


def test_the_api_submits_intelligence_and_refuses_bad_input(client, submitter):
    client.force_login(submitter)
    url = reverse("api:intelligence-list")
    bad = client.post(url, {"what": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "occurred_on" in bad.json()
    response = client.post(url, {
        "what": WHAT, "occurred_on": "2026-03-01", "source_relationship": "witnessed",
        "mentions": [{"kind": "phone", "value": "0161 496 0000"}],
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["reference"].startswith("INT-")
    assert response.json()["status"] == "submitted"


@pytest.mark.parametrize("name", ["intelligence:queue", "intelligence:list"])
def test_the_pages_query_count_does_not_grow_with_rows(client, submitter, analyst, name):
    def count() -> int:
        client.force_login(analyst)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    for _ in range(2):
        grade(submit(submitter), analyst, status="graded")
        submit(submitter)
    few = count()
    for _ in range(8):
        grade(submit(submitter), analyst, status="graded")
        submit(submitter)
    assert count() == few


@pytest.mark.parametrize("status", ["submitted", "being_assessed", "graded", "actioned",
                                    "no_further_action"])  # fmt: skip
@pytest.mark.parametrize("code", ["P", "C"])
@pytest.mark.parametrize("relation", ["agreement", "named", "agreement and named", "none"])
def test_the_partner_matrix_follows_the_adr(db, submitter, analyst, police, status, code, relation):
    """ADR 0049's table, every status by handling code by relation to the police: a partner sees
    a submission exactly when it is graded and the handling code gives it to their agency, and
    then the sanitised version only."""
    from safehold.intelligence.models import Intelligence

    viewer = UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)
    if "agreement" in relation:
        AgreementFactory(parties=[police, viewer.agency])
    intelligence = grade(
        submit(submitter), analyst, handling_code=code, handling_conditions="Conditions",
        share_with=[viewer.agency] if "named" in relation else [], status="graded",
    )  # fmt: skip
    Intelligence.objects.filter(pk=intelligence.pk).update(status=status)
    graded = status in ("graded", "actioned", "no_further_action")
    gives = (code == "P" and "agreement" in relation) or (code == "C" and "named" in relation)
    visible = list(selectors.intelligence_visible_to(viewer))
    assert (intelligence in visible) == (graded and gives)
    if visible:
        assert selectors.access_of(viewer, visible[0]) == selectors.SANITISED
    # The controls: the police see it in full, the submitter its status, whatever the case.
    assert selectors.access_of(analyst, selectors.intelligence_visible_to(analyst).get()) == "full"
    assert selectors.access_of(submitter, selectors.intelligence_visible_to(submitter).get()) == (
        "status"
    )
