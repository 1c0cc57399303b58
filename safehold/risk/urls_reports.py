"""The backtest and fairness report pages (issue 18, items 4 and 5). The coordinator includes
these from safehold/risk/urls.py (`*urls_reports.urlpatterns`), in the `risk` namespace."""

from django.urls import path

from safehold.risk import views_reports

urlpatterns = [
    path("backtest/", views_reports.backtest_page, name="backtest"),
    path("fairness/", views_reports.fairness_page, name="fairness"),
]
