"""Issue 14, defect 3: every report says whose cases it counts, and the partnership's aggregate
figures (counts only, small numbers suppressed) reach the roles an agreement allows (ADR 0036)."""

import datetime

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.reports.suppression import SUPPRESSED
from safehold.sharing import services as sharing
from safehold.sharing.choices import DisclosureLevel
from safehold.sharing.tests.factories import AgreementFactory

PERIOD = {
    "date_from_day": "1", "date_from_month": "1", "date_from_year": "2023",
    "date_to_day": "31", "date_to_month": "12", "date_to_year": "2023",
}  # fmt: skip
API = {"from": "2023-01-01", "to": "2023-12-31"}


@pytest.fixture
def world(db):
    """A programme led by one agency, and a council beside it."""
    programme = ProgrammeFactory()
    council = AgencyFactory(name="Stockport Council")
    return programme, council


def _cases(programme, n):
    return [CaseFactory(programme=programme) for _ in range(n)]


def _page(client, user, programme, **extra):
    client.force_login(user)
    params = {**PERIOD, "programme": programme.pk, **extra}
    return client.get(reverse("reports:evaluation"), params)


def test_an_analyst_with_no_cases_is_told_whose_cases_the_report_counts(client, world):
    programme, council = world
    _cases(programme, 3)
    analyst = UserFactory(agency=council, role=Role.ANALYST)
    html = _page(client, analyst, programme).content.decode()
    assert "Cases held by or shared with Stockport Council: 0 of the partnership&#x27;s 3." in html
    # The positive control: the lead agency's analyst counts all three, and says so.
    lead = UserFactory(agency=programme.lead_agency, role=Role.ANALYST)
    html = _page(client, lead, programme).content.decode()
    assert f"shared with {programme.lead_agency.name}: 3 of the partnership&#x27;s 3." in html


def test_an_analyst_counts_the_cases_shared_with_their_agency_in_full(client, world):
    programme, council = world
    cases = _cases(programme, 3)
    agreement = AgreementFactory(parties=[programme.lead_agency, council])
    sharer = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    sharing.disclose(
        agreement=agreement, to_agency=council, level=DisclosureLevel.FULL, case=cases[0],
        purpose="Joint work", by=sharer,
    )  # fmt: skip
    sharing.disclose(
        agreement=agreement, to_agency=council, level=DisclosureLevel.NAME_ONLY, case=cases[1],
        purpose="Who else", by=sharer,
    )  # fmt: skip
    client.force_login(UserFactory(agency=council, role=Role.ANALYST))
    data = client.get(reverse("api:report-evaluation"), API).json()
    assert data["cases_received"] == 1  # the full share, not the name-only one
    assert data["coverage"]["cases"] == 1 and data["coverage"]["partnership_cases"] == 3


@pytest.mark.parametrize("categories", [["casework_statistics"], ["identity", "casework"]])
def test_an_agreement_covering_casework_statistics_gives_the_partnerships_counts(
    client, world, categories
):
    programme, council = world
    _cases(programme, 3)
    AgreementFactory(parties=[programme.lead_agency, council], data_categories=categories)
    analyst = UserFactory(agency=council, role=Role.ANALYST)
    page = _page(client, analyst, programme, scope="partnership")
    html = page.content.decode()
    assert page.status_code == 200
    assert "All 3 of the partnership&#x27;s cases referred in the period" in html
    # Three cases: every count of them is small, so none is shown; no money either.
    assert SUPPRESSED in html
    assert "Cost-benefit" not in html and "Median days" not in html
    data = client.get(reverse("api:report-evaluation"), {**API, "scope": "partnership"}).json()
    summary = dict((r["label"], r["value"]) for r in data["tables"]["summary"])
    assert summary["Cases received"] == SUPPRESSED
    assert data["coverage"]["partnership"] is True


def test_the_partnerships_counts_of_five_or_more_are_shown(client, world):
    programme, council = world
    _cases(programme, 6)
    AgreementFactory(parties=[programme.lead_agency, council], data_categories=["casework"])
    client.force_login(UserFactory(agency=council, role=Role.ANALYST))
    data = client.get(reverse("api:report-evaluation"), {**API, "scope": "partnership"}).json()
    summary = dict((r["label"], r["value"]) for r in data["tables"]["summary"])
    assert summary["Cases received"] == 6
    assert summary["Positively resolved (victim no longer exploited)"] == 0


def test_without_such_an_agreement_the_partnerships_counts_are_refused(client, world):
    programme, council = world
    _cases(programme, 6)
    AgreementFactory(parties=[programme.lead_agency, council], data_categories=["identity"])
    analyst = UserFactory(agency=council, role=Role.ANALYST)
    page = _page(client, analyst, programme)
    assert "Every case of the partnership" not in page.content.decode()
    assert _page(client, analyst, programme, scope="partnership").status_code == 403
    response = client.get(reverse("api:report-evaluation"), {**API, "scope": "partnership"})
    assert response.status_code == 403
    # A referrer (no report role) never gets them, whatever the agreement.
    AgreementFactory(parties=[programme.lead_agency, council], data_categories=["casework"])
    referrer = UserFactory(agency=council, role=Role.REFERRER)
    assert _page(client, referrer, programme, scope="partnership").status_code == 403


def test_the_lead_agency_sees_the_partnerships_counts_exactly(client, world):
    programme, _ = world
    _cases(programme, 3)
    client.force_login(UserFactory(agency=programme.lead_agency, role=Role.ANALYST))
    data = client.get(reverse("api:report-evaluation"), {**API, "scope": "partnership"}).json()
    summary = dict((r["label"], r["value"]) for r in data["tables"]["summary"])
    assert summary["Cases received"] == 3


@pytest.mark.parametrize("fmt", ["csv", "json", "pdf"])
def test_every_download_says_what_it_covers(client, world, fmt):
    from safehold.core.tests.readable import text_of_bytes

    programme, council = world
    _cases(programme, 2)
    page = _page(client, UserFactory(agency=council, role=Role.ANALYST), programme, format=fmt)
    text = " ".join(text_of_bytes(page.content).split())
    assert "Cases held by or shared with Stockport Council" in text
    assert "partnership" in text


def test_the_period_counts_only_the_partnerships_cases_of_the_period(client, world):
    programme, council = world
    _cases(programme, 2)
    CaseFactory(programme=programme, referral_date=datetime.date(2021, 5, 1))
    client.force_login(UserFactory(agency=council, role=Role.ANALYST))
    data = client.get(reverse("api:report-evaluation"), API).json()
    assert data["coverage"]["partnership_cases"] == 2
