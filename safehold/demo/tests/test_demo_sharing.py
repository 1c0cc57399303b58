"""Issue 14, defect 3: the demo shares cases, so police and council users see some casework,
and the council's analyst sees the partnership's figures with what they cover."""

import datetime

from django.urls import reverse

from safehold.accounts.models import User
from safehold.cases.models import Case
from safehold.cases.selectors import cases_visible_to
from safehold.demo import partnership
from safehold.reports.selectors import report_cases_for


def test_police_and_council_users_see_some_of_the_partnerships_cases(db):
    partnership.load(seed=2022)
    total = Case.objects.count()
    for email in ("pc@gmp.demo.safehold.test", "ig@council.demo.safehold.test"):
        seen = cases_visible_to(User.objects.get(email=email)).count()
        assert 0 < seen < total, email
    analyst = User.objects.get(email="performance@council.demo.safehold.test")
    assert 0 < report_cases_for(analyst).count() < total


def test_the_council_analyst_sees_the_partnerships_figures_and_what_they_cover(client, db):
    partnership.load(seed=2022)
    client.force_login(User.objects.get(email="performance@council.demo.safehold.test"))
    today = datetime.date.today()
    period = {
        "date_from_day": "1", "date_from_month": "1", "date_from_year": "2020",
        "date_to_day": str(today.day), "date_to_month": str(today.month),
        "date_to_year": str(today.year),
    }  # fmt: skip
    own = client.get(reverse("reports:evaluation"), period).content.decode()
    total = Case.objects.count()
    assert "Cases held by or shared with Stockport Council: " in own
    assert f"of the partnership&#x27;s {total}." in own
    assert "Every case of the partnership" in own  # the agreement covers casework
    whole = client.get(reverse("reports:evaluation"), {**period, "scope": "partnership"})
    assert f"All {total} of the partnership&#x27;s cases referred in the period" in (
        whole.content.decode()
    )
