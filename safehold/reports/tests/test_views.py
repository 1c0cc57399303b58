"""The report page, its downloads, the API and the settings page: who may use them, what they
record in the audit log, and a fixed number of queries whatever the number of cases."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.models import Case
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.tests.factories import PersonFactory
from safehold.reports.models import EvaluationSettings

PERIOD = {
    "date_from_day": "1", "date_from_month": "1", "date_from_year": "2023",
    "date_to_day": "31", "date_to_month": "12", "date_to_year": "2023",
}  # fmt: skip


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


def _cases(programme, n):
    people = PersonFactory._meta.model.objects.bulk_create(
        [PersonFactory.build(owning_agency=programme.lead_agency) for _ in range(n)]
    )
    Case.objects.bulk_create(
        CaseFactory.build(programme=programme, subject=person, closed_on=None) for person in people
    )


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_page_and_api_use_the_same_number_of_queries_for_10_and_500_cases(client, programme):
    user = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    client.force_login(user)
    api = reverse("api:report-evaluation")
    api_params = {"from": "2023-01-01", "to": "2023-12-31", "programme": programme.name}
    page_params = {**PERIOD, "programme": programme.pk}
    _cases(programme, 10)
    page_10 = _queries(client, reverse("reports:evaluation"), page_params)
    api_10 = _queries(client, api, api_params)
    _cases(programme, 490)
    assert _queries(client, reverse("reports:evaluation"), page_params) == page_10
    assert _queries(client, api, api_params) == api_10
    assert client.get(api, api_params).json()["cases_received"] == 500


def test_the_page_shows_charts_with_tables_and_records_a_consultation(client, programme):
    CaseFactory(programme=programme, tenancy_sustained=True)
    EvaluationSettings.objects.create(
        programme=programme,
        period_start=datetime.date(2022, 4, 1),
        period_end=datetime.date(2024, 3, 31),
        average_void_cost=Decimal("4659.10"),
        service_cost=Decimal("27705.00"),
    )
    client.force_login(UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER))
    page = client.get(reverse("reports:evaluation"), {**PERIOD, "programme": programme.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg class="report-chart"') == 6
    assert "1 \u00d7 £4659.10 \u2212 £27705.00" in html
    assert AuditEvent.objects.filter(action="consult", purpose__startswith="evaluation").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "pdf"])
def test_the_downloads(client, programme, fmt):
    CaseFactory(programme=programme)
    client.force_login(UserFactory(agency=programme.lead_agency, role=Role.ANALYST))
    response = client.get(
        reverse("reports:evaluation"), {**PERIOD, "programme": programme.pk, "format": fmt}
    )
    assert response.status_code == 200
    body = response.content
    if fmt == "json":
        assert json.loads(body)["cases_received"] == 1  # analysts: their agency's cases
    elif fmt == "csv":
        assert body.startswith(b"table,label,value\n")
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        from openpyxl import load_workbook

        assert "outcome_measures" in load_workbook(io.BytesIO(body)).sheetnames
    assert AuditEvent.objects.filter(channel="export").exists()


def test_another_agencys_cases_are_not_counted(client, programme):
    CaseFactory(programme=programme)
    client.force_login(UserFactory(role=Role.CASEWORKER))
    response = client.get(
        reverse("api:report-evaluation"),
        {"from": "2023-01-01", "to": "2023-12-31", "programme": programme.name},
    )
    assert response.json()["cases_received"] == 0


def test_referrers_may_not_see_reports(client, programme):
    client.force_login(UserFactory(agency=programme.lead_agency, role=Role.REFERRER))
    assert client.get(reverse("reports:evaluation")).status_code == 403
    response = client.get(
        reverse("api:report-evaluation"), {"from": "2023-01-01", "to": "2023-12-31"}
    )
    assert response.status_code == 403


def test_a_supervisor_of_the_lead_agency_sets_the_figures_and_it_is_audited(client, programme):
    client.force_login(UserFactory(agency=programme.lead_agency, role=Role.SUPERVISOR))
    response = client.post(
        reverse("reports:evaluation-settings"),
        {
            "programme": programme.pk,
            "period_start_day": "1", "period_start_month": "1", "period_start_year": "2022",
            "period_end_day": "31", "period_end_month": "8", "period_end_year": "2023",
            "average_void_cost": "4659.1029", "service_cost": "27705", "saving_rounding": "pound",
        },
    )  # fmt: skip
    assert response.status_code == 302
    saved = EvaluationSettings.objects.get()
    assert saved.average_void_cost == Decimal("4659.1029")
    assert saved.saving_rounding == "pound"
    assert AuditEvent.objects.filter(object_type="reports.evaluationsettings").exists()


def test_caseworkers_may_not_set_the_figures(client, programme):
    client.force_login(UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER))
    assert client.get(reverse("reports:evaluation-settings")).status_code == 403
