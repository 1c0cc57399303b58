"""Read-only maintenance (ADR 0062): reading goes on, every write is refused clearly (503 with
Retry-After, a GOV.UK page or problem JSON), signing in still works; each refusal has its
positive control, the same request accepted with maintenance off."""

import io
import threading

import pytest
from django.core.management import call_command
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.accounts.tests.signing_in import sign_in
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.models import ChronologyEntry
from safehold.cases.tests.factories import CaseFactory
from safehold.core import maintenance

pytestmark = pytest.mark.django_db

TITLE = "Safehold is read-only while it is being maintained"
ENTRY = {
    "kind": "visit",
    "occurred_on_day": "12",
    "occurred_on_month": "1",
    "occurred_on_year": "2026",
    "time": "14:30",
    "summary": "Home visit",
}


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def case(caseworker):
    return CaseFactory(programme__lead_agency=caseworker.agency)


def run(*args) -> str:
    out = io.StringIO()
    call_command("maintenance", *args, stdout=out)
    return out.getvalue()


def test_a_change_through_a_page_is_refused_while_on_and_made_when_off(signed_in, case):
    url = reverse("cases:add-entry", args=[case.pk])
    maintenance.switch_on(reason="upgrade")
    refused = signed_in.post(url, ENTRY)
    assert refused.status_code == 503
    assert refused["Retry-After"] == str(maintenance.RETRY_AFTER_SECONDS)
    page = refused.content.decode()
    assert f'<h1 class="govuk-heading-l">{TITLE}</h1>' in page
    assert "Nothing was changed" in page
    assert not ChronologyEntry.objects.filter(summary="Home visit").exists()

    maintenance.switch_off()
    made = signed_in.post(url, ENTRY)  # the positive control: the same request
    assert made.status_code == 302
    assert ChronologyEntry.objects.filter(summary="Home visit").count() == 1


def test_reading_goes_on_with_a_banner_on_every_page(signed_in, case):
    maintenance.switch_on()
    for url in (reverse("cases:list"), reverse("cases:detail", args=[case.pk])):
        response = signed_in.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Safehold is read-only while it is being maintained." in page
        assert case.reference in page
    maintenance.switch_off()
    page = signed_in.get(reverse("cases:list")).content.decode()
    assert "read-only while it is being maintained" not in page


def test_the_api_refuses_a_write_with_problem_json_and_still_reads(signed_in, case):
    maintenance.switch_on()
    refused = signed_in.post("/api/v1/referrals/", {}, content_type="application/json")
    assert refused.status_code == 503
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["Retry-After"] == str(maintenance.RETRY_AFTER_SECONDS)
    assert refused.json()["title"] == TITLE and refused.json()["status"] == 503
    assert signed_in.get("/api/v1/cases/").status_code == 200
    maintenance.switch_off()
    # The positive control: the same request reaches the API (which finds the fields missing).
    answered = signed_in.post("/api/v1/referrals/", {}, content_type="application/json")
    assert answered.status_code == 400


def test_signing_in_and_out_still_work_while_on(client, db):
    user = UserFactory(role=Role.CASEWORKER)
    maintenance.switch_on()
    response = sign_in(client, user)  # the password, then the two-factor code
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=user).exists()
    assert client.post(reverse("accounts:sign-out")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=user).exists()


def test_the_command_switches_it_audits_it_and_says_where_it_stands(db):
    assert "not in maintenance" in run("status")
    assert "Safehold is read-only" in run("on", "--reason", "moving the database")
    assert maintenance.is_on()
    assert "read-only for maintenance since" in run("status")
    assert "(moving the database)" in run("status")
    assert "already read-only" in run("on")
    assert "takes changes again" in run("off")
    assert not maintenance.is_on()
    assert "nothing changed" in run("off")
    purposes = list(
        AuditEvent.objects.filter(object_type="safehold.maintenance")
        .order_by("id")
        .values_list("purpose", flat=True)
    )
    assert purposes == [
        "maintenance on: pages and the API refuse changes",
        "maintenance off: changes allowed again",
    ]


def test_a_worker_waits_before_a_job_until_maintenance_ends(data_dir):
    maintenance.switch_on()
    waiting = threading.Thread(target=maintenance.wait_until_off, kwargs={"poll_seconds": 0.02})
    waiting.start()
    waiting.join(timeout=0.3)
    assert waiting.is_alive()  # still waiting while it is on
    maintenance.switch_off()
    waiting.join(timeout=2)
    assert not waiting.is_alive()
