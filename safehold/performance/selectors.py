"""Reads of the performance framework. Indicators, values and narratives belong to the whole
partnership (no agency owns them): a reader whose role sees reports sees all of them, anyone
else sees none (ADR 0016)."""

from django.db.models import OuterRef, QuerySet, Subquery

from safehold.performance.choices import Area
from safehold.performance.models import Indicator, IndicatorValue, Theme
from safehold.performance.rules import can_view_performance


def indicators_visible_to(user) -> QuerySet[Indicator]:
    if not can_view_performance(user):
        return Indicator.objects.none()
    return Indicator.objects.select_related("theme")


def indicators_with_latest_value(user) -> QuerySet[Indicator]:
    """Each indicator with its latest borough value's period, value and count (one query)."""
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk"), area=Area.BOROUGH).order_by(
        "-period_start"
    )
    return indicators_visible_to(user).annotate(
        latest_period=Subquery(latest.values("period")[:1]),
        latest_value=Subquery(latest.values("value")[:1]),
        latest_count=Subquery(latest.values("count")[:1]),
    )


def values_visible_to(user) -> QuerySet[IndicatorValue]:
    if not can_view_performance(user):
        return IndicatorValue.objects.none()
    return IndicatorValue.objects.select_related("indicator__theme", "entered_by__agency")


def themes_visible_to(user) -> QuerySet[Theme]:
    return Theme.objects.all() if can_view_performance(user) else Theme.objects.none()
