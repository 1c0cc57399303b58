"""Two people entering the same indicator value (ADR 0061): the first is kept, the second is
refused with who entered it and the figure now; saving again puts the second over it."""

import html
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.core.tests.editing import hidden_fields
from safehold.performance.models import Indicator, IndicatorValue
from safehold.performance.periods import parse
from safehold.performance.services import Figure, enter_value
from safehold.performance.tests.test_imports import INDICATORS, VALUES


@pytest.fixture
def framework(db):
    """The indicators and values of the imports' tests (DA-INCIDENTS 2016/17 is 4648)."""
    from safehold.performance.imports import import_indicators, import_values

    import_indicators(data=INDICATORS, by=None)
    import_values(data=VALUES, by=None)


@pytest.fixture
def analysts(db):
    return UserFactory(role=Role.ANALYST, full_name="Helen Doyle"), UserFactory(
        role=Role.ANALYST, full_name="Raj Patel"
    )


def test_correcting_a_value_someone_corrected_meanwhile_is_refused_with_theirs(framework, analysts):
    helen, _ = analysts
    indicator = Indicator.objects.get(code="DA-INCIDENTS")
    url = reverse("performance:value-add", args=[indicator.pk]) + "?period=2016/17&area=borough"
    pages = []
    for user in analysts:
        browser = Client()
        browser.force_login(user)
        pages.append((browser, hidden_fields(browser.get(url))))
    (mine, opened), (theirs, their_opened) = pages
    typed = {"period": "2016/17", "area": "borough", "count": "", "note": ""}
    assert theirs.post(url, {**their_opened, **typed, "value": "4700"}).status_code == 302
    response = mine.post(url, {**opened, **typed, "value": "4650"})
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Raj Patel changed this value while you were editing it" in page
    assert "Value is now: 4700" in page and 'value="4650"' in page
    held = IndicatorValue.objects.get(indicator=indicator, period="2016/17", area="borough")
    assert held.value == Decimal(4700)
    assert mine.post(url, {**hidden_fields(response), **typed, "value": "4650"}).status_code == 302
    held.refresh_from_db()
    assert (held.value, held.entered_by) == (Decimal(4650), helen)


def test_a_value_entered_for_a_period_someone_filled_meanwhile_is_refused(framework, analysts):
    helen, raj = analysts
    indicator = Indicator.objects.get(code="DA-INCIDENTS")
    url = reverse("performance:value-add", args=[indicator.pk])
    browser = Client()
    browser.force_login(helen)
    opened = hidden_fields(browser.get(url + "?period=2030/31&area=borough"))
    assert opened["version"] == ""  # no value held for that year when the page was opened
    enter_value(indicator=indicator, period=parse("2030/31"), figure=Figure(Decimal(12)), by=raj)
    typed = {"period": "2030/31", "area": "borough", "value": "15", "count": "", "note": ""}
    response = browser.post(url, {**opened, **typed})
    assert response.status_code == 409
    assert "Value is now: 12" in html.unescape(response.content.decode())
    held = IndicatorValue.objects.get(indicator=indicator, period="2030/31", area="borough")
    assert held.value == Decimal(12)
