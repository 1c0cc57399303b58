"""The notifications page (opening it marks notices read), the count in the header, and the
e-mail choices page."""

import pytest
from django.urls import reverse

from safehold.accounts.tests.factories import UserFactory
from safehold.notifications import services
from safehold.notifications.choices import NotificationKind
from safehold.notifications.models import Notification, Preferences

pytestmark = pytest.mark.django_db


def _notice(user, reference="Case EXP-2026-0001"):
    return services.notify(
        recipients=[user], kind=NotificationKind.CASE_SHARED, reference=reference,
        link="/cases/",
    )[0]  # fmt: skip


def test_the_header_counts_unread_notices_until_the_list_is_opened(client):
    user = UserFactory()
    _notice(user)
    _notice(user, "Case EXP-2026-0002")
    client.force_login(user)
    header = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="unread-count">2<' in header
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Case EXP-2026-0001" in page and "Case EXP-2026-0002" in page
    assert "2 new since you last looked" in page
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert "unread-count" not in client.get(reverse("core:home")).content.decode()
    assert (
        "Nothing new since you last looked"
        in client.get(reverse("notifications:list")).content.decode()
    )


def test_nobody_sees_or_marks_read_another_users_notices(client):
    owner, other = UserFactory(), UserFactory()
    _notice(owner, "Case EXP-2026-0042")
    client.force_login(other)
    assert "EXP-2026-0042" not in client.get(reverse("notifications:list")).content.decode()
    assert Notification.objects.get(recipient=owner).read_at is None
    client.force_login(owner)  # the positive control
    assert "EXP-2026-0042" in client.get(reverse("notifications:list")).content.decode()


def test_the_kinds_are_shown_by_their_label(client):
    user = UserFactory()
    _notice(user)
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "A case or person was shared with your organisation" in page
    assert "case_shared" not in page


def test_a_user_chooses_which_notices_come_by_e_mail(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert page.count("checked") == len(NotificationKind)  # every kind until one chooses
    response = client.post(
        reverse("notifications:preferences"),
        {"email_kinds": [NotificationKind.TASK_ASSIGNED, NotificationKind.DEADLINE_TOMORROW]},
    )
    assert response.status_code == 302
    assert sorted(Preferences.objects.get(user=user).email_kinds) == sorted(
        [NotificationKind.DEADLINE_TOMORROW, NotificationKind.TASK_ASSIGNED]
    )
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert page.count("checked") == 2


def test_an_unknown_choice_gets_the_error_summary_and_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("notifications:preferences"),
        {"email_kinds": [NotificationKind.TASK_ASSIGNED, "everything"]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Error: " in page
    assert not Preferences.objects.filter(user=user).exists()
