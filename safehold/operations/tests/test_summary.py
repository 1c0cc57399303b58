"""The results summary: the page, its CSV and XLSX, the paragraph, the API and the command
line agree, count only what the user's agency took part in, and filter by period and area."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.operations.models import Operation
from safehold.operations.services import results
from safehold.operations.summary import summarise
from safehold.operations.tests.factories import OperationFactory

pytestmark = pytest.mark.django_db


def _operation(agency, day, *, arrests=0, **counts):
    operation = OperationFactory(
        owning_agency=agency,
        starts_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC),
    )
    results.record_results(operation=operation, by=None, offences=["PWITS"] * arrests, **counts)
    return operation


@pytest.fixture
def run(lead):
    _operation(lead.agency, datetime.date(2023, 5, 2), arrests=2, closure_orders_made=3,
               safeguarding_referrals=1, cash_seized=Decimal("100.10"))  # fmt: skip
    _operation(lead.agency, datetime.date(2023, 9, 1), arrests=1, closure_orders_made=1)
    _operation(lead.agency, datetime.date(2023, 9, 2), arrests=50)  # the day after the period
    _operation(UserFactory().agency, datetime.date(2023, 6, 1), arrests=70)  # another agency's


def test_the_summary_counts_the_period_both_days_included(run, lead):
    summary = summarise(
        Operation.objects.filter(owning_agency=lead.agency),
        start=datetime.date(2023, 5, 1), end=datetime.date(2023, 9, 1),
    )  # fmt: skip
    assert summary.totals["arrests"] == 3 and summary.totals["closure_orders"] == 4
    assert summary.totals["cash_seized"] == Decimal("100.10")
    assert summary.paragraph().startswith(
        "From 1 May 2023 to 1 September 2023: 3 arrests, 1 safeguarding referral, 4 closure orders"
    )


def test_the_page_and_its_exports_count_only_the_users_agencys_operations(client, run, lead):
    analyst = UserFactory(agency=lead.agency, role=Role.ANALYST)
    client.force_login(analyst)  # an analyst sees the counts, not the operations
    url = reverse("operations:summary")
    period = {"start_day": "1", "start_month": "5", "start_year": "2023",
              "end_day": "1", "end_month": "9", "end_year": "2023"}  # fmt: skip
    page = client.get(url, period)
    assert page.context["summary"].totals["arrests"] == 3
    assert "3 arrests, 1 safeguarding referral, 4 closure orders" in page.content.decode()
    lines = client.get(url, {**period, "format": "csv"}).content.decode().splitlines()
    assert "arrests,Arrests,3" in lines and "closure_orders,Closure orders,4" in lines
    book = load_workbook(io.BytesIO(client.get(url, {**period, "format": "xlsx"}).content))
    values = {row[0]: row[2] for row in book.active.iter_rows(values_only=True)}
    assert values["arrests"] == 3 and values["cash_seized"] == "100.10"
    client.force_login(UserFactory(role=Role.REFERRER))
    assert client.get(url).status_code == 403


def test_the_api_gives_the_same_totals_with_plain_keys(client, run, lead):
    client.force_login(lead)
    body = client.get(
        reverse("api:operation-summary"), {"from": "2023-05-01", "to": "2023-09-01"}
    ).json()
    assert (body["arrests"], body["safeguarding_referrals"], body["closure_orders"]) == (3, 1, 4)
    bad = client.get(reverse("api:operation-summary"), {"from": "May"})
    assert bad.status_code == 400 and "from" in bad.json()


def test_the_command_line_summary_as_json_and_csv(run, lead):
    out = io.StringIO()
    call_command("operations", "summary", "--from", "2023-05-01", "--to", "2023-09-01",
                 "--format", "json", stdout=out)  # fmt: skip
    body = json.loads(out.getvalue())
    # Without --user, every agency's operations (the operator's view): 3 + 70.
    assert body["arrests"] == 73 and body["closure_orders"] == 4
    out = io.StringIO()
    call_command("operations", "summary", "--from", "2023-05-01", "--to", "2023-09-01",
                 "--format", "csv", "--user", lead.email, stdout=out)  # fmt: skip
    assert "arrests,Arrests,3" in out.getvalue().splitlines()


def test_the_first_and_last_days_of_the_calendar_are_a_period_like_any_other(client, run, lead):
    client.force_login(lead)
    body = client.get(
        reverse("api:operation-summary"), {"from": "0001-01-01", "to": "9999-12-31"}
    ).json()
    assert body["arrests"] == 2 + 1 + 50  # every operation of the agency, not the other's 70
