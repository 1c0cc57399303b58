"""TO MERGE BY HAND: the riskpages branch owns this file. Only the backtest and fairness pages'
line is this branch's: `*urls_reports.urlpatterns` in the `risk` namespace."""

from safehold.risk import urls_reports

app_name = "risk"
urlpatterns = [*urls_reports.urlpatterns]
