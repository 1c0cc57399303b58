"""A view's audit events are appended when it returns, inside its request transaction, so the
chain head is locked only for the append and the commit, not while the page renders."""

import pytest
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse
from django.test import RequestFactory

from safehold import audit
from safehold.audit.choices import Action
from safehold.audit.models import AuditChainHead, AuditEvent


def _head() -> int:
    return AuditChainHead.objects.get(pk=1).last_event_id


@pytest.mark.django_db
def test_a_views_events_are_appended_together_when_it_returns():
    seen_during_view = {}

    def view(request):
        before = _head()
        audit.record(action=Action.CONSULT, object_type="test.page", purpose="first")
        audit.record(action=Action.CONSULT, object_type="test.page", purpose="second")
        seen_during_view["head"] = _head() - before  # nothing appended yet: no lock taken
        return HttpResponse("ok")

    before = _head()
    BaseHandler().make_view_atomic(view)(RequestFactory().get("/"))
    assert seen_during_view["head"] == 0
    assert _head() == before + 2
    purposes = list(
        AuditEvent.objects.filter(id__gt=before).order_by("id").values_list("purpose", flat=True)
    )
    assert purposes == ["first", "second"]


@pytest.mark.django_db
def test_a_view_that_fails_appends_nothing():
    def view(request):
        audit.record(action=Action.CONSULT, object_type="test.page", purpose="never shown")
        raise RuntimeError("the page failed")

    before = _head()
    with pytest.raises(RuntimeError):
        BaseHandler().make_view_atomic(view)(RequestFactory().get("/"))
    assert _head() == before
    assert not AuditEvent.objects.filter(purpose="never shown").exists()
