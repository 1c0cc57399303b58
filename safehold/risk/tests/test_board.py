"""The fairness report in the partnership board's report (issue 18, item 5): a part after the
themes, on the page, in the printable report and the PDF's HTML, with small numbers
suppressed whoever reads it (the board is beyond the analysts), its counts those of the
fairness report of the period's last day; no part for a partnership whose list is empty."""

import datetime

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.performance import formats
from safehold.performance.choices import Frequency
from safehold.performance.periods import Period
from safehold.performance.report import board_report
from safehold.risk import board, fairness
from safehold.risk.tests.factories import AS_OF
from safehold.risk.tests.test_fairness import generate, independent_counts

pytestmark = pytest.mark.django_db
# 2026/27 Q1: April to June 2026, whose last day is the generated population's AS_OF.
QUARTER = Period(Frequency.QUARTERLY, datetime.date(2026, 4, 1))


def _part(report):
    return next((p for p in report.parts if p.name == board.NAME), None)


def test_the_board_report_holds_the_fairness_report_with_small_numbers_suppressed():
    assert QUARTER.end == AS_OF
    want = independent_counts(generate())
    analyst = UserFactory(role=Role.ANALYST)  # sees small numbers on the fairness page: not here
    report = board_report(QUARTER, viewer=analyst, refresh=False)
    part = _part(report)
    made = part.context["made"]
    assert (made.as_of, made.suppress, part.title) == (AS_OF, True, board.TITLE)
    shown = {
        (t["table"].grouping, r["row"].group): (r["population"], r["flagged"])
        for t in part.context["tables"]
        for r in t["rows"]
    }
    for (grouping, group), (population, flagged_n) in want.items():
        assert shown[(grouping, group)] == tuple(
            fairness.FEWER_THAN_5 if 0 < n < 5 else n for n in (population, flagged_n)
        )
    assert want[("Ethnic group", "Group B")] == (7, 4)  # so one count above is suppressed
    event = AuditEvent.objects.filter(object_type="risk.fairness").get()
    assert event.actor == analyst and "small numbers suppressed" in event.purpose

    html = formats.render(report, "html").decode()
    assert board.TITLE in html and "By ethnic group" in html
    assert "Group B</th>" in html and fairness.FEWER_THAN_5 in html


def test_the_board_page_shows_the_part_and_no_part_when_nobody_is_on_the_list(client):
    reader = UserFactory(role=Role.CASEWORKER)
    client.force_login(reader)
    page = client.get(reverse("performance:report")).content.decode()
    assert "Key performance" in page or "No indicator" in page  # the board page itself
    assert board.TITLE not in page  # nobody flagged, no case: no part

    generate()
    page = client.get(reverse("performance:report")).content.decode()
    assert board.TITLE in page and "By sex" in page
    # On the page, a link to the fairness report with the backtest; not on paper.
    assert f"{reverse('risk:fairness')}?as_of=" in page
    printable = client.get(reverse("performance:report"), {"format": "print"}).content.decode()
    assert board.TITLE in printable and reverse("risk:fairness") not in printable


def test_the_downloads_without_the_part_do_not_make_it(client):
    """The CSV, XLSX and JSON hold the indicators alone, so the fairness report (a consultation
    of the list, audited) is made only for the page, the printable report and the PDF."""
    generate()
    client.force_login(UserFactory(role=Role.CASEWORKER))
    made = AuditEvent.objects.filter(object_type="risk.fairness")
    for fmt in ("csv", "xlsx", "json"):
        response = client.get(reverse("performance:report"), {"format": fmt})
        assert response.status_code == 200
        assert board.TITLE.encode() not in response.content
    assert not made.exists()
    assert client.get(reverse("api:kpi-report")).status_code == 200
    assert not made.exists()

    page = client.get(reverse("performance:report")).content.decode()
    assert board.TITLE in page and made.count() == 1  # the positive control: the page makes it
