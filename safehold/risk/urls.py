"""The top indicators list's pages, under /risk/. An entry is named by its subject reference in
the query (`?subject=…&as_of=…`): it is computed, not a stored record, and its reference holds
a slash."""

from django.urls import path

from safehold.risk import views, views_reports

app_name = "risk"
urlpatterns = [
    # The list, its entries and their review, the indicators (issue 18, items 1 to 3).
    path("", views.risk_list, name="list"),
    path("entry/", views.entry, name="entry"),
    path("reviews/", views.reviews, name="reviews"),
    path("indicators/", views.indicators, name="indicators"),
    # The backtest and the fairness report (items 4 and 5): counts only.
    path("backtest/", views_reports.backtest_page, name="backtest"),
    path("fairness/", views_reports.fairness_page, name="fairness"),
]
