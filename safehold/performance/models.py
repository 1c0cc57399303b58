"""The partnership's performance framework: themes, indicators, their values by period (with
every change kept), and the narrative the board reads beside each theme.

These are partnership aggregates, not personal data: no agency owns them, and every signed-in
user whose role sees reports reads all of them (ADR 0016).
"""

from django.conf import settings
from django.db import models

from safehold.audit.choices import Channel
from safehold.core.locking import Versioned
from safehold.core.models import BaseModel
from safehold.performance.choices import Area, EntryMethod, Frequency, Polarity, Unit

# Values keep 4 decimal places and 15 digits in all: SQLite keeps 15 significant digits exactly.
VALUE_DIGITS, VALUE_PLACES = 15, 4


class Theme(BaseModel):
    """A priority theme of the partnership plan (e.g. Protecting Vulnerable People)."""

    name = models.CharField(max_length=200, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Indicator(BaseModel):
    """A key performance indicator: what is measured, how it is shown and which way is better.

    `computed` indicators get their values from Safehold's own casework (computed.py); nobody
    enters the borough's values of those.
    """

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="indicators")
    source = models.CharField(max_length=100)
    lead_officer = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    tolerance_percent = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    decimal_places = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    computed = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["theme__position", "theme__name", "position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorValue(BaseModel, Versioned):
    """One figure of an indicator for one period and area; `value` None is "not available".

    `break_in_series` marks a figure whose definition changed from the previous period's, so
    the two cannot be compared. `count` is the number some rates are published beside.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.CharField(max_length=30, choices=Area.choices, default=Area.BOROUGH)
    period = models.CharField(max_length=12)  # the canonical label, e.g. "2016/17 Q3"
    period_start = models.DateField()
    value = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    count = models.PositiveBigIntegerField(null=True, blank=True)
    break_in_series = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)
    computed = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "area", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="one_value_per_indicator_area_period"
            )
        ]
        indexes = [models.Index(fields=["period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} ({self.area})"


class ValueChange(BaseModel):
    """One entry in a value's history: what it was set to, by whom, when and how."""

    indicator_value = models.ForeignKey(
        IndicatorValue, on_delete=models.CASCADE, related_name="changes"
    )
    value = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    count = models.PositiveBigIntegerField(null=True, blank=True)
    break_in_series = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=20, choices=EntryMethod.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["indicator_value", "created_at"]

    def __str__(self) -> str:
        return f"{self.indicator_value} at {self.created_at:%Y-%m-%d %H:%M}"


class Narrative(BaseModel):
    """What the theme's lead says about a period, shown beside the theme's indicators."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="narratives")
    period = models.CharField(max_length=12)
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["theme", "period"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "period"], name="one_narrative_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.theme} {self.period}"
