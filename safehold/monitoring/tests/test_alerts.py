"""Alerts when a user views more records in an hour than the threshold, and their review."""

import datetime
import html
import uuid

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safehold import audit
from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.monitoring import services
from safehold.monitoring.models import Alert
from safehold.monitoring.tests.factories import AlertFactory
from safehold.people.tests.factories import PersonFactory

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def ig_officers(agency):
    return [
        UserFactory(agency=agency, role=Role.IG_OFFICER, email="ig1@homes.example"),
        UserFactory(agency=agency, role=Role.IG_OFFICER, email="ig2@homes.example"),
    ]


@pytest.fixture
def ig(ig_officers):
    return ig_officers[0]


def view_records(user, count: int, *, object_type: str = "people.person") -> list[uuid.UUID]:
    """`count` different records consulted by the user, as a list page records them."""
    ids = [uuid.uuid4() for _ in range(count)]
    audit.record(
        action=Action.CONSULT,
        actor=user,
        object_type=object_type,
        object_ids=ids,
        purpose="person list",
    )
    return ids


def scan(*, threshold=None, after=datetime.timedelta(0)):
    """Scan as cron would, `after` from now."""
    return services.scan(now=timezone.now() + after, threshold=threshold)


def test_a_user_over_the_threshold_is_alerted_to_their_agencys_ig_officers_only(
    client, caseworker, agency, ig_officers
):
    UserFactory(agency=agency, role=Role.IG_OFFICER, is_active=False)
    UserFactory(agency=AgencyFactory(), role=Role.IG_OFFICER, email="ig@police.example")
    UserFactory(agency=agency, role=Role.ADMINISTRATOR, email="admin@homes.example")
    people = PersonFactory.create_batch(3, owning_agency=agency)
    client.force_login(caseworker)
    for person in [*people, people[0]]:  # the same record twice counts once
        assert client.get(reverse("people:detail", args=[person.pk])).status_code == 200

    result = scan(threshold=2)

    (alert,) = result.raised
    assert (alert.user, alert.agency, alert.records_viewed, alert.threshold) == (
        caseworker,
        agency,
        3,
        2,
    )
    assert alert.window_end - alert.window_start == HOUR and not alert.is_acknowledged
    (email,) = mail.outbox
    assert sorted(email.to) == ["ig1@homes.example", "ig2@homes.example"]
    assert "3 records" in email.subject
    assert reverse("monitoring:alert-detail", args=[alert.pk]) in email.body
    # The email names neither the user nor the records: those are behind sign-in.
    for text in (caseworker.full_name, caseworker.email, *(p.family_name for p in people)):
        assert text not in email.body and text not in email.subject
    event = AuditEvent.objects.get(action=Action.COLLECT, object_type="monitoring.alert")
    assert event.actor is None and event.channel == "cli"
    assert set(event.recipient_user_ids.split()) == {str(u.pk) for u in ig_officers}


def test_a_rerun_raises_no_second_alert_for_the_same_hour(caseworker, ig):
    view_records(caseworker, 5)
    assert len(scan(threshold=4).raised) == 1
    assert scan(threshold=4).raised == []  # the same minute: the same window
    assert scan(threshold=4, after=10 * MINUTE).raised == []  # an overlapping window
    assert Alert.objects.count() == 1 and len(mail.outbox) == 1


def test_a_user_who_keeps_going_is_alerted_again_once_the_last_window_has_passed(caseworker, ig):
    view_records(caseworker, 5)
    first = scan(threshold=4).raised[0]
    # An hour after that window ended, the old views are out of the window: nothing new yet.
    assert scan(threshold=4, after=HOUR + MINUTE).raised == []
    Alert.objects.filter(pk=first.pk).update(
        window_start=first.window_start - HOUR, window_end=first.window_end - HOUR
    )
    view_records(caseworker, 5)
    assert len(scan(threshold=4).raised) == 1
    assert Alert.objects.count() == 2


def test_at_or_under_the_threshold_there_is_no_alert(caseworker, other_agency_caseworker, ig):
    ids = view_records(caseworker, 4)
    audit.record(action=Action.CONSULT, actor=caseworker, object_type="people.person",
                 object_ids=ids)  # fmt: skip
    view_records(other_agency_caseworker, 3)
    assert scan(threshold=4).raised == []
    assert not Alert.objects.exists() and mail.outbox == []


def test_views_older_than_an_hour_are_not_counted(caseworker, ig):
    view_records(caseworker, 10)
    assert scan(threshold=4, after=HOUR + MINUTE).raised == []


def test_denied_attempts_and_other_actions_are_not_views(caseworker, ig):
    ids = [uuid.uuid4() for _ in range(10)]
    audit.record(action=Action.ACCESS_DENIED, actor=caseworker, object_ids=ids, outcome="denied")
    audit.record(action=Action.ALTER, actor=caseworker, object_type="people.person", object_ids=ids)
    assert scan(threshold=4).raised == []


def test_the_threshold_defaults_to_the_setting(settings, caseworker, ig):
    settings.SAFEHOLD_MONITORING_VIEWS_PER_HOUR = 5
    view_records(caseworker, 5)
    assert scan().raised == []
    view_records(caseworker, 1)
    (alert,) = scan().raised
    assert (alert.records_viewed, alert.threshold) == (6, 5)


def test_an_ig_officer_is_not_emailed_about_themselves(ig_officers):
    view_records(ig_officers[0], 5)
    scan(threshold=4)
    (email,) = mail.outbox
    assert email.to == [ig_officers[1].email]


def test_the_scan_command_reports_alerts_and_fails_loudly_when_nobody_can_be_emailed(
    caseworker, other_agency_caseworker, ig
):
    view_records(caseworker, 3)
    call_command("monitoring", "scan", "--threshold", "2", stdout=(out := _Out()))
    assert f"{caseworker.email} ({caseworker.agency.name}) viewed 3 records" in out.text
    assert "1 alert(s) raised" in out.text
    call_command("monitoring", "scan", "--threshold", "2", stdout=(out := _Out()))
    assert "0 alert(s) raised" in out.text
    view_records(other_agency_caseworker, 3)  # their agency has no IG officer
    with pytest.raises(CommandError, match="could not be emailed"):
        call_command("monitoring", "scan", "--threshold", "2", stdout=_Out())
    assert Alert.objects.filter(user=other_agency_caseworker).exists()


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, value):
        self.text += value

    def flush(self):
        pass


# The alerts pages


def test_ig_officers_see_their_own_agencys_alerts_only(client, agency, ig):
    ours = AlertFactory(agency=agency)
    theirs = AlertFactory(agency=AgencyFactory())
    theirs.user.full_name = "Qzx Otheragencyuser"
    theirs.user.save()
    client.force_login(ig)
    response = client.get(reverse("monitoring:alert-list"))
    assert list(response.context["page"]) == [ours]
    assert theirs.user.full_name not in html.unescape(response.content.decode())
    assert client.get(reverse("monitoring:alert-detail", args=[theirs.pk])).status_code == 404
    detail = client.get(reverse("monitoring:alert-detail", args=[ours.pk]))
    assert detail.status_code == 200 and ours.user.email in detail.content.decode()
    assert AuditEvent.objects.filter(
        action=Action.CONSULT, object_type="monitoring.alert", actor=ig
    ).count() == 2  # fmt: skip


def test_caseworkers_cannot_open_the_alerts_pages(client, agency, signed_in):
    alert = AlertFactory(agency=agency)
    assert signed_in.get(reverse("monitoring:alert-list")).status_code == 403
    assert signed_in.get(reverse("monitoring:alert-detail", args=[alert.pk])).status_code == 404


def test_acknowledging_records_the_reviewer_and_is_audited_without_the_note(client, agency, ig):
    alert = AlertFactory(agency=agency)
    client.force_login(ig)
    url = reverse("monitoring:alert-detail", args=[alert.pk])
    response = client.post(url, {"note": "Board report export, agreed with manager"})
    assert response.status_code == 302 and response.url == reverse("monitoring:alert-list")
    alert.refresh_from_db()
    assert alert.acknowledged_by == ig and alert.acknowledged_at is not None
    assert alert.acknowledgement_note == "Board report export, agreed with manager"
    event = AuditEvent.objects.get(action=Action.ALTER, object_type="monitoring.alert")
    assert event.actor == ig and event.purpose == "monitoring alert acknowledged"
    assert event.object_ids == f"{alert.pk} {alert.user_id}"
    # Once acknowledged, it cannot be acknowledged again.
    assert client.post(url, {"note": "again"}).status_code == 404
    assert "Acknowledged by" in client.get(url).content.decode()


def test_an_empty_note_is_an_error_and_changes_nothing(client, agency, ig):
    alert = AlertFactory(agency=agency)
    client.force_login(ig)
    response = client.post(reverse("monitoring:alert-detail", args=[alert.pk]), {"note": " "})
    assert response.status_code == 200 and "Enter what you found" in response.content.decode()
    alert.refresh_from_db()
    assert not alert.is_acknowledged
    assert not AuditEvent.objects.filter(action=Action.ALTER).exists()


def test_nobody_acknowledges_an_alert_about_themselves_and_administrators_only_read(
    client, agency, ig
):
    about_ig = AlertFactory(agency=agency, user=ig)
    client.force_login(ig)
    url = reverse("monitoring:alert-detail", args=[about_ig.pk])
    assert "another information governance officer" in client.get(url).content.decode()
    assert client.post(url, {"note": "nothing to see"}).status_code == 404
    with pytest.raises(services.AlertError):
        services.acknowledge_alert(alert=about_ig, by=ig, note="nothing to see")
    admin = UserFactory(agency=agency, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    alert = AlertFactory(agency=agency)
    url = reverse("monitoring:alert-detail", args=[alert.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "fine"}).status_code == 404
    assert not Alert.objects.filter(acknowledged_at__isnull=False).exists()


def test_the_alert_list_issues_the_same_number_of_queries_for_2_and_40_alerts(client, agency, ig):
    client.force_login(ig)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("monitoring:alert-list")).status_code == 200
        return len(ctx.captured_queries)

    AlertFactory.create_batch(2, agency=agency)
    few = count_queries()
    AlertFactory.create_batch(38, agency=agency)
    assert count_queries() == few
