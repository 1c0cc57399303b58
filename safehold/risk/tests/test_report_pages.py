"""The backtest and fairness report pages: who may open them, what they show (counts, never a
subject), small numbers suppressed for everyone but analysts, downloads, clear errors for bad
input, and one consultation recorded per read."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import CaseFactory
from safehold.core.tests.readable import text_of
from safehold.geography.models import Ward
from safehold.geography.services import load_stockport_extract
from safehold.people.tests.factories import LocationFactory
from safehold.risk.tests.factories import AS_OF, flagged

pytestmark = pytest.mark.django_db
BACKTEST = {"first": "2025-01", "last": "2025-03", "horizon": "6"}
FAIRNESS = {"as_of": AS_OF.isoformat()}


@pytest.fixture
def history():
    """Four women with a flag, one of whom had a case opened after the lists."""
    # Names no page word could be (a generated surname may be "Ward", a column of the page).
    people = [
        flagged("care_leaver", gender="female", family_name=f"Quillfeather{i}") for i in range(4)
    ]
    CaseFactory(subject=people[0], referral_date=datetime.date(2025, 2, 14))
    return people


def test_an_analyst_sees_the_backtest_with_its_figures_and_the_read_is_recorded(client, history):
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    response = client.get(reverse("risk:backtest"), BACKTEST)
    assert response.status_code == 200
    text = text_of(response)
    assert "Does the list earn its place?" in text
    assert "Baseline: number of vulnerability flags" in text
    assert "1 of 1" in text  # the case, on the top 20 before it opened
    assert history[0].family_name not in text
    event = AuditEvent.objects.filter(object_type="risk.backtest").get()
    assert event.actor_id == analyst.pk and "counts only" in event.purpose


def test_a_role_that_does_not_see_the_list_is_refused_both_pages(client, history):
    client.force_login(UserFactory(role=Role.REFERRER))
    assert client.get(reverse("risk:backtest"), BACKTEST).status_code == 403
    assert client.get(reverse("risk:fairness"), FAIRNESS).status_code == 403
    # The positive control: a supervisor of the same agency opens both.
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    assert client.get(reverse("risk:backtest"), BACKTEST).status_code == 200
    assert client.get(reverse("risk:fairness"), FAIRNESS).status_code == 200
    assert not AuditEvent.objects.filter(object_type="risk.backtest", outcome="denied").exists()


def test_the_backtest_downloads_as_csv_and_json(client, history):
    client.force_login(UserFactory(role=Role.ANALYST))
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("risk:backtest"), {**BACKTEST, "format": "csv"}).content.decode()
            )
        )
    )
    row = next(r for r in rows if (r["ranking"], r["top"], r["area"]) == ("list", "20", ""))
    assert (row["cases"], row["on_list"]) == ("1", "1")
    data = json.loads(client.get(reverse("risk:backtest"), {**BACKTEST, "format": "json"}).content)
    assert data["cases"] == 1 and len(data["points"]) == 3


def test_bad_months_get_a_clear_error_and_run_nothing(client, history):
    client.force_login(UserFactory(role=Role.ANALYST))
    response = client.get(reverse("risk:backtest"), {**BACKTEST, "first": "2025-13"})
    assert response.status_code == 200
    assert "Enter the first month as a year and month, like 2025-01" in text_of(response)
    response = client.get(reverse("risk:backtest"), {**BACKTEST, "first": "2025-06"})
    assert "The last month is before the first" in text_of(response)
    assert not AuditEvent.objects.filter(object_type="risk.backtest").exists()


def test_the_fairness_page_suppresses_a_group_of_4_beyond_the_analysts(client, history):
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    shared = client.get(reverse("risk:fairness"), {**FAIRNESS, "format": "csv"}).content.decode()
    female = next(
        r
        for r in csv.DictReader(io.StringIO(shared))
        if (r["grouping"], r["group"]) == ("Sex", "Female")
    )
    assert (female["base_population"], female["flagged"]) == ("fewer than 5", "fewer than 5")
    page = text_of(client.get(reverse("risk:fairness"), FAIRNESS))
    assert "fewer than 5" in page and "The method and its limits" in page
    # The analysts see the 4.
    client.force_login(UserFactory(role=Role.ANALYST))
    full = client.get(reverse("risk:fairness"), {**FAIRNESS, "format": "csv"}).content.decode()
    female = next(
        r
        for r in csv.DictReader(io.StringIO(full))
        if (r["grouping"], r["group"]) == ("Sex", "Female")
    )
    assert (female["base_population"], female["flagged"]) == ("4", "4")
    events = AuditEvent.objects.filter(object_type="risk.fairness").order_by("pk")
    assert ["suppressed" in e.purpose for e in events] == [True, True, False]


def test_a_bad_date_on_the_fairness_page_gets_a_clear_error(client):
    client.force_login(UserFactory(role=Role.ANALYST))
    response = client.get(reverse("risk:fairness"), {"as_of": "30/06/2026"})
    assert "Enter the date of the list as a year, month and day, like 2026-06-30" in text_of(
        response
    )
    assert not AuditEvent.objects.filter(object_type="risk.fairness").exists()


def test_opening_the_backtest_page_runs_nothing_until_asked(client, history):
    client.force_login(UserFactory(role=Role.ANALYST))
    text = text_of(client.get(reverse("risk:backtest")))
    assert "press “Run the backtest”" in text
    assert not AuditEvent.objects.filter(object_type="risk.backtest").exists()


def test_the_fairness_page_adds_the_backtests_recall_by_group_when_asked(client, history):
    client.force_login(UserFactory(role=Role.ANALYST))
    text = text_of(client.get(reverse("risk:fairness"), FAIRNESS))
    assert "Not included" in text and "Backtest: cases on the list before" not in text
    text = text_of(client.get(reverse("risk:fairness"), {**FAIRNESS, "with_backtest": "on"}))
    assert "Backtest: cases on the list before" in text


def test_a_wards_small_numbers_are_for_the_analysts_only(client, history):
    """The by-ward table and downloads: a ward with one case reads "fewer than 5" for a
    caseworker; the analyst (the positive control) sees "1 of 1" on the same URL. The
    partnership-wide figures are shown to both."""
    load_stockport_extract()
    ward = Ward.objects.order_by("code").first()
    case = history[0].cases.get()
    case.location = LocationFactory(ward=ward)
    case.save(update_fields=["location"])

    def by_ward(user):
        client.force_login(user)
        page = text_of(client.get(reverse("risk:backtest"), BACKTEST))
        page = page[page.index("By the ward of the case") :]
        row_of_ward = page[page.index(f">{ward.name}</th>") :]
        page = row_of_ward[: row_of_ward.index("</tr>")]
        rows = list(
            csv.DictReader(
                io.StringIO(
                    client.get(
                        reverse("risk:backtest"), {**BACKTEST, "format": "csv"}
                    ).content.decode()
                )
            )
        )
        data = json.loads(
            client.get(reverse("risk:backtest"), {**BACKTEST, "format": "json"}).content
        )
        (row,) = [
            r for r in rows if (r["ranking"], r["top"], r["area"]) == ("list", "20", ward.name)
        ]
        (every,) = [r for r in rows if (r["ranking"], r["top"], r["area"]) == ("list", "20", "")]
        return page, row, every, data["by_area"][ward.name][0]

    page, row, every, data = by_ward(UserFactory(role=Role.ANALYST))
    assert page.count(">1 of 1</td>") == 4  # top 20, 50, 100 and everyone flagged
    assert (row["cases"], row["on_list"], row["recall"]) == ("1", "1", "1.0000")
    assert (data["cases"], data["on_list"]) == (1, 1)

    page, row, every, data = by_ward(UserFactory(role=Role.CASEWORKER))
    assert page.count(">fewer than 5 of fewer than 5</td>") == 4 and "1 of 1" not in page
    assert (row["cases"], row["on_list"], row["recall"]) == ("fewer than 5",) * 3
    assert row["median_lead_months"] == ""
    assert (data["cases"], data["recall"], data["lead_months"]["median"]) == (
        "fewer than 5", "fewer than 5", None,
    )  # fmt: skip
    assert (every["cases"], every["on_list"]) == ("1", "1")  # partnership-wide: shown
