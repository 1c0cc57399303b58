import csv
import io

import pytest
from django.urls import reverse

from safehold import audit
from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.people.tests.factories import PersonFactory


@pytest.fixture
def ig_officer(agency):
    return UserFactory(agency=agency, role=Role.IG_OFFICER)


def test_caseworkers_cannot_search_the_audit_log(signed_in):
    response = signed_in.get(reverse("audit:search"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


def test_search_by_user_finds_that_users_events_only(client, ig_officer, caseworker):
    other = UserFactory(agency=caseworker.agency)
    person = PersonFactory(owning_agency=caseworker.agency)
    audit.record(action=Action.CONSULT, actor=caseworker, target=person, subjects=[person])
    audit.record(action=Action.CONSULT, actor=other, target=person, subjects=[person])
    client.force_login(ig_officer)
    response = client.get(reverse("audit:search"), {"actor": caseworker.pk})
    events = list(response.context["page"])
    assert events and all(e.actor == caseworker for e in events)


def test_search_by_record_shows_other_agencies_views_of_our_record(
    client, ig_officer, caseworker, other_agency_caseworker
):
    person = PersonFactory(owning_agency=ig_officer.agency)
    audit.record(
        action=Action.CONSULT, actor=other_agency_caseworker, target=person, subjects=[person]
    )
    client.force_login(ig_officer)
    response = client.get(reverse("audit:search"), {"record": str(person.pk)})
    assert [e.actor for e in response.context["page"]] == [other_agency_caseworker]


def test_search_never_shows_another_agencys_activity_on_their_own_records(
    client, ig_officer, other_agency_caseworker
):
    theirs = PersonFactory(owning_agency=other_agency_caseworker.agency)
    audit.record(
        action=Action.CONSULT, actor=other_agency_caseworker, target=theirs, subjects=[theirs]
    )
    client.force_login(ig_officer)
    response = client.get(reverse("audit:search"), {"record": str(theirs.pk)})
    assert list(response.context["page"]) == []


def test_search_by_date_range_rejects_an_end_before_the_start(client, ig_officer):
    client.force_login(ig_officer)
    response = client.get(
        reverse("audit:search"),
        {
            "date_from_day": "10",
            "date_from_month": "5",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "5",
            "date_to_year": "2026",
        },
    )
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_csv_export_has_the_events_and_is_itself_audited(client, ig_officer, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency)
    audit.record(
        action=Action.ALTER,
        actor=caseworker,
        target=person,
        subjects=[person],
        purpose="changed: family_name",
    )
    client.force_login(ig_officer)
    response = client.get(reverse("audit:export"), {"actor": caseworker.pk})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["alter"]
    assert rows[0]["object_ids"] == str(person.pk)
    assert AuditEvent.objects.filter(actor=ig_officer, channel=Channel.EXPORT).count() == 1
