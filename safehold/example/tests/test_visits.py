"""The example module keeps the spine: the service checks its actor and is atomic, every read
goes through the gate and is audited, another agency gets 404 where the holder sees the visit."""

import datetime

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import CaseFactory
from safehold.core.errors import NotPermitted
from safehold.example import services
from safehold.example.choices import Outcome
from safehold.example.models import Visit
from safehold.example.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory()


@pytest.fixture
def holder(case):
    return UserFactory(agency=case.owning_agency, role=Role.CASEWORKER)


@pytest.fixture
def stranger():
    return UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)


def record(case, by, **changes):
    fields = {"visited_on": datetime.date(2023, 2, 1), "outcome": Outcome.SEEN_WELL} | changes
    return services.record_visit(case=case, by=by, **fields)


def test_the_holder_records_a_visit_and_it_is_audited_without_its_note(case, holder):
    visit = record(case, holder, note="Door answered by a stranger")
    event = AuditEvent.objects.get(action=Action.COLLECT, object_ids__contains=str(visit.pk))
    assert event.actor == holder and str(case.subject_id) in event.subject_ids
    assert "stranger" not in event.purpose


def test_another_agency_cannot_record_a_visit_on_the_case(case, stranger):
    with pytest.raises(NotPermitted):
        record(case, stranger)
    assert not Visit.objects.exists()


def test_a_visit_in_the_future_is_refused_with_a_clear_message_and_nothing_saved(case, holder):
    with pytest.raises(services.VisitError, match="today or in the past"):
        record(case, holder, visited_on=datetime.date.today() + datetime.timedelta(days=1))
    assert not Visit.objects.exists() and not AuditEvent.objects.filter(action=Action.COLLECT)


def test_the_page_records_a_visit_and_shows_it_to_the_holder_only(client, case, holder, stranger):
    client.force_login(holder)
    response = client.post(
        reverse("example:create", args=[case.pk]),
        {
            "visited_on_day": "1",
            "visited_on_month": "2",
            "visited_on_year": "2023",
            "outcome": "not_seen",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "example:detail", args=[visit.pk]
    )
    page = client.get(response.url)
    assert "Not seen" in page.content.decode()  # the positive control
    assert AuditEvent.objects.filter(
        action=Action.CONSULT, object_ids__contains=str(visit.pk), purpose="visit page"
    ).exists()
    client.force_login(stranger)
    assert client.get(response.url).status_code == 404
    assert "Not seen" not in client.get(reverse("example:list")).content.decode()


def test_a_bad_form_gets_govuk_errors_and_saves_nothing(client, case, holder):
    client.force_login(holder)
    response = client.post(reverse("example:create", args=[case.pk]), {})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Select what happened on the visit" in page and not Visit.objects.exists()


def test_the_api_lists_visits_through_the_gate_and_audits_the_read(client, case, holder, stranger):
    visit = VisitFactory(case=case)
    client.force_login(holder)
    mine = client.get(reverse("api:visit-list")).json()
    assert [row["id"] for row in mine["results"]] == [str(visit.pk)]
    assert AuditEvent.objects.filter(
        action=Action.CONSULT, object_ids__contains=str(visit.pk), channel="api"
    ).exists()
    client.force_login(stranger)
    assert client.get(reverse("api:visit-list")).json()["results"] == []
    assert client.get(reverse("api:visit-detail", args=[visit.pk])).status_code == 404


def test_the_module_registered_its_navigation_for_casework_roles(client, holder):
    client.force_login(holder)
    texts = [item["text"] for item in client.get(reverse("core:home")).context["nav_items"]]
    assert texts[-1] == "Visits"
    client.force_login(UserFactory(role=Role.ANALYST))
    texts = [item["text"] for item in client.get(reverse("core:home")).context["nav_items"]]
    assert "Visits" not in texts
