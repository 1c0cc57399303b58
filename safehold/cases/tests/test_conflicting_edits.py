"""Two people changing the same case or deciding the same referral (ADR 0061): the first is
kept, the second refused with who changed it and what it says now, in the pages and the API."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.api import services as api_services
from safehold.cases.choices import ReferralStatus
from safehold.cases.models import Case
from safehold.cases.services import cases as services
from safehold.cases.tests.factories import ProgrammeFactory, ReferralFactory
from safehold.core.tests.editing import hidden_fields
from safehold.people.tests.factories import PersonFactory


@pytest.fixture
def officer(client, agency):
    user = UserFactory(agency=agency, role=Role.CASEWORKER, full_name="Kim Lowe")
    client.force_login(user)
    return user


@pytest.fixture
def colleague(agency):
    return UserFactory(agency=agency, role=Role.CASEWORKER, full_name="Ann O'Hara")


@pytest.fixture
def case(officer):
    return services.open_case(
        programme=ProgrammeFactory(lead_agency=officer.agency),
        referral_date=datetime.date(2026, 1, 10),
        subject=PersonFactory(owning_agency=officer.agency),
        exploitation_type="cuckooing",
        by=officer,
    )


def signed_in_as(user) -> Client:
    other = Client()
    other.force_login(user)
    return other


def test_two_risk_changes_on_one_case_the_second_is_refused_with_the_level_now(
    client, officer, colleague, case
):
    url = reverse("cases:change-risk", args=[case.pk])
    other = signed_in_as(colleague)
    mine, theirs = hidden_fields(client.get(url)), hidden_fields(other.get(url))
    first = other.post(url, {**theirs, "level": "high", "rationale": "Dealers back daily"})
    assert first.status_code == 302
    second = client.post(url, {**mine, "level": "medium", "rationale": "Calmer this week"})
    assert second.status_code == 409
    page = html.unescape(second.content.decode())
    assert "Ann O'Hara changed this case while you were editing it" in page
    assert (
        "Risk level is now: High" in page
        and "Why the risk level is now: Dealers back daily" in page
    )
    assert "Calmer this week" in page  # what was typed is kept
    case.refresh_from_db()
    assert (case.risk_level, case.risk_rationale) == ("high", "Dealers back daily")
    assert case.risk_history.count() == 2  # opened, then the first change only
    again = client.post(
        url, {**hidden_fields(second), "level": "medium", "rationale": "Calmer this week"}
    )
    assert again.status_code == 302
    case.refresh_from_db()
    assert (case.risk_level, case.version) == ("medium", 3)


def test_closing_a_case_changed_meanwhile_is_refused_and_it_stays_open(
    client, officer, colleague, case
):
    url = reverse("cases:close", args=[case.pk])
    opened = hidden_fields(client.get(url))
    services.assign_lead_officer(case=case, by=colleague, officer=colleague)
    response = client.post(
        url,
        {
            **opened, "reason": "positively_resolved", "tenancy_sustained": "yes",
            "closed_on_day": "1", "closed_on_month": "3", "closed_on_year": "2026",
        },
    )  # fmt: skip
    assert response.status_code == 409
    assert "Lead officer is now: Ann O&#x27;Hara" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "open"


def test_two_triage_decisions_on_one_referral_the_second_is_refused_naming_who(
    client, officer, colleague
):
    referral = ReferralFactory(programme=ProgrammeFactory(lead_agency=officer.agency))
    url = reverse("cases:triage-referral", args=[referral.pk])
    other = signed_in_as(colleague)
    mine, theirs = hidden_fields(client.get(url)), hidden_fields(other.get(url))
    assert mine["version"] == theirs["version"] == "1"
    other.post(
        reverse("cases:triage-decline", args=[referral.pk]),
        {"version": theirs["version"], "decline-reason": "Family dispute"},
    )
    response = client.post(
        reverse("cases:triage-signpost", args=[referral.pk]),
        {"version": mine["version"], "signpost-to": "Adult social care", "signpost-reason": "x"},
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert (
        "Ann O'Hara changed this referral while you were editing it: it is now declined, "
        "and your decision was not saved" in page
    )
    referral.refresh_from_db()
    assert (referral.status, referral.decision_reason) == (
        ReferralStatus.DECLINED,
        "Family dispute",
    )


def test_the_case_api_returns_the_version_and_answers_409_to_an_older_one(officer, colleague, case):
    def api(user):
        _, key = api_services.create_token(user=user, name="Partner system", by=None)
        return Client(headers={"Authorization": f"Bearer {key}"})

    url = reverse("api:case-detail", args=[case.pk])
    mine, theirs = api(officer), api(colleague)
    read = mine.get(url).json()
    assert (
        read["version"] == 1
        and theirs.get(reverse("api:case-list")).json()["results"][0]["version"] == 1
    )
    change = {"version": 1, "risk_level": "high", "risk_rationale": "Weapons seen"}
    assert theirs.patch(url, change, content_type="application/json").status_code == 200
    response = mine.patch(
        url, {**change, "risk_level": "medium", "risk_rationale": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "Ann O'Hara changed this case while you were editing it"
    assert (body["version"], body["current"]["risk_level"]) == (2, "high")
    assert Case.objects.get(pk=case.pk).risk_level == "high"
