"""Intelligence has its own review policy (ADR 0049): the retention review page lists graded
intelligence whose review date has come to the grading police agency's governance roles, and
to nobody else; showing it is audited."""

import datetime

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.intelligence.models import Intelligence
from safehold.intelligence.tests.helpers import grade, submit

pytestmark = pytest.mark.django_db


def test_intelligence_due_for_review_is_on_the_police_retention_page_only(
    client, submitter, analyst, police, landlord
):
    due = grade(submit(submitter), analyst)
    later = grade(submit(submitter), analyst)
    Intelligence.objects.filter(pk=due.pk).update(review_on=datetime.date(2020, 1, 1))
    url = reverse("governance:retention")
    client.force_login(UserFactory(agency=police, role=Role.IG_OFFICER))
    page = client.get(url).content.decode()
    assert due.reference in page and later.reference not in page
    assert "Reviewed 6 years after grading" in page
    event = AuditEvent.objects.filter(action=Action.CONSULT, purpose="intelligence review").get()
    assert str(due.pk) in event.object_ids
    client.force_login(UserFactory(agency=landlord, role=Role.IG_OFFICER))
    assert due.reference not in client.get(url).content.decode()
