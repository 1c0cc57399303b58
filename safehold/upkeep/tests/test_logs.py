"""Structured logs (ADR 0062): one JSON object per line, and a request's line carries the
request id its audit events carry (and sends back as X-Request-ID)."""

import io
import json
import logging.config

import pytest
from django.urls import reverse

from config.settings.base import logging_config
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The production logging configuration, its console written to a buffer."""
    buffer = io.StringIO()
    config = logging_config("json", "INFO")
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)
    try:
        yield buffer
    finally:
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_a_requests_log_line_carries_its_audit_events_request_id(signed_in, caseworker, json_log):
    case = CaseFactory(programme__lead_agency=caseworker.agency)
    response = signed_in.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.CONSULT, object_ids__contains=str(case.pk))
    (line,) = [
        line for line in lines(json_log) if line["logger"] == "safehold.requests"
    ]  # one line for the one request
    assert event.request_id and line["request_id"] == event.request_id
    assert response["X-Request-ID"] == event.request_id
    assert line["level"] == "INFO"
    assert line["method"] == "GET" and line["path"] == f"/cases/{case.pk}/"
    assert line["status"] == 200 and line["duration_ms"] > 0
    assert line["user_id"] == str(caseworker.pk)
    assert line["message"] == f"GET /cases/{case.pk}/ 200"
    assert line["time"].endswith("+00:00")


def test_a_request_id_from_the_load_balancer_is_kept_in_the_log_and_the_audit_log(
    signed_in, caseworker, json_log
):
    case = CaseFactory(programme__lead_agency=caseworker.agency)
    signed_in.get(reverse("cases:detail", args=[case.pk]), HTTP_X_REQUEST_ID="lb-7f3a9c")
    event = AuditEvent.objects.get(action=Action.CONSULT, object_ids__contains=str(case.pk))
    assert event.request_id == "lb-7f3a9c"
    assert [line["request_id"] for line in lines(json_log)] == ["lb-7f3a9c"]


def test_the_query_string_is_not_logged(signed_in, json_log):
    signed_in.get(reverse("cases:list"), {"q": "Quartermaine"})
    assert "Quartermaine" not in json_log.getvalue()
    (line,) = lines(json_log)
    assert line["path"] == "/cases/"


def test_a_warning_inside_a_request_carries_the_request_id_too(signed_in, json_log):
    signed_in.get("/cases/00000000-0000-0000-0000-000000000000/")  # a 404: Django warns
    records = lines(json_log)
    warning = next(line for line in records if line["logger"] == "django.request")
    request = next(line for line in records if line["logger"] == "safehold.requests")
    assert warning["level"] == "WARNING" and warning["request_id"] == request["request_id"]
