"""The top indicators list's fairness report as a part of the partnership board's report
(issue 18, item 5: "the board report of the performance framework can include it").

The board is beyond the analysts, so small numbers are always suppressed here, whoever reads
the report. The list is that of the period's last day (or today, for a period not yet over),
every area: flag and review rates by group. Not the backtest's recall by group: it replays a
year of lists (about a minute at 200,000 tenancies, ADR 0060), too slow for a page that every
board member opens; the part says so and links readers of the list to the fairness report,
where it is one tick away. A partnership whose list is empty gets no part. One audit event of
counts, as the fairness page records."""

from django.urls import reverse

from safehold.core import dates
from safehold.performance.periods import Period
from safehold.performance.report import Part
from safehold.risk import fairness, rules

NAME = "risk-fairness"
TITLE = "Fairness of the top indicators list"


def fairness_part(period: Period, viewer) -> Part | None:
    as_of = min(period.end, dates.today())
    made = fairness.report(as_of, suppress=True, with_backtest=False)
    if not made.tables or not made.tables[0].everyone.flagged:
        return None
    fairness.record_read(made, actor=viewer)
    page = None
    if viewer is not None and rules.can_see_list(viewer):
        page = f"{reverse('risk:fairness')}?as_of={as_of.isoformat()}&with_backtest=on"
    return Part(
        name=NAME,
        title=TITLE,
        template="risk/board_fairness.html",
        context={
            "made": made,
            "tables": fairness.shown_tables(made),
            "page": page,
        },
    )
