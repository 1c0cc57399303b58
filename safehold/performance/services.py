"""Every write of the performance framework: indicators, values and narratives, each audited
in the same transaction, so the log says who entered what and when.

A write that changes nothing writes nothing (no row, no history entry, no audit event): that is
what makes re-importing a file a no-op.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max

from safehold import audit
from safehold.audit.choices import Action
from safehold.audit.services import current_context
from safehold.core.errors import ServiceError
from safehold.core.locking import conflict, save_if_unchanged
from safehold.performance.choices import Area, EntryMethod, Frequency
from safehold.performance.models import (
    Indicator,
    IndicatorValue,
    Narrative,
    Theme,
    ValueChange,
)
from safehold.performance.periods import Period

DEFINITION_FIELDS = (
    "name", "theme", "source", "lead_officer", "unit", "polarity", "tolerance_percent",
    "frequency", "decimal_places", "notes",
)  # fmt: skip
# What Safehold fixes for a computed indicator; the partnership may change the rest.
COMPUTED_FIXED_FIELDS = ("unit", "frequency")


class PerformanceError(ServiceError, ValueError):
    """A write that cannot happen; the message says why, in words a user can act on."""


class ComputedIndicatorError(PerformanceError):
    pass


def _user(by):
    return by if by is not None and by.is_authenticated else None


def theme_named(name: str, *, by) -> Theme:
    """The theme of this name (ignoring case), created at the end of the order if new."""
    name = " ".join(name.split())
    theme = Theme.objects.filter(name__iexact=name).first()
    if theme is None:
        position = (Theme.objects.aggregate(p=Max("position"))["p"] or 0) + 1
        theme = Theme.objects.create(name=name, position=position)
        audit.record(
            action=Action.COLLECT, actor=by, target=theme, purpose=f"performance theme {name} added"
        )
    return theme


def _describe_definition(indicator: Indicator, fields) -> str:
    def shown(field: str) -> str:
        value = getattr(indicator, field)
        if value is None or value == "":
            return "none"
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return str(value)

    return "; ".join(f"{field} {shown(field)}" for field in fields)


@transaction.atomic
def save_indicator(
    *,
    code: str,
    theme: str,
    by,
    computed: bool = False,
    **definition,
) -> tuple[Indicator, bool]:
    """Define the indicator with this code, or change its definition. Returns it and whether
    anything changed. An indicator's frequency cannot change once it has values, and a
    computed indicator keeps the unit and frequency Safehold computes it in."""
    unknown = set(definition) - set(DEFINITION_FIELDS)
    if unknown:
        raise TypeError(f"not fields of an indicator: {', '.join(sorted(unknown))}")
    code = code.strip().upper()
    existing = Indicator.objects.select_related("theme").filter(code=code).first()
    wanted = {**definition, "theme": theme_named(theme, by=by)}
    if existing is None:
        position = (Indicator.objects.aggregate(p=Max("position"))["p"] or 0) + 1
        indicator = Indicator.objects.create(
            code=code, computed=computed, position=position, **wanted
        )
        audit.record(
            action=Action.COLLECT,
            actor=by,
            target=indicator,
            purpose=f"indicator {code} defined: "
            f"{_describe_definition(indicator, [f for f in DEFINITION_FIELDS if f in wanted])}",
        )
        return indicator, True
    changed = [field for field in DEFINITION_FIELDS if field in wanted]
    changed = [field for field in changed if getattr(existing, field) != wanted[field]]
    if not changed:
        return existing, False
    if existing.computed and set(changed) & set(COMPUTED_FIXED_FIELDS):
        raise ComputedIndicatorError(
            f"{code} is computed by Safehold: its unit and frequency cannot change"
        )
    if "frequency" in changed and existing.values.exists():
        raise PerformanceError(
            f"{code} already has values {Frequency(existing.frequency).label.lower()}: its "
            "frequency cannot change"
        )
    for field in changed:
        setattr(existing, field, wanted[field])
    existing.save(update_fields=[*changed, "modified_at"])
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=existing,
        purpose=f"indicator {code} changed: {_describe_definition(existing, changed)}",
    )
    return existing, True


@dataclass(frozen=True)
class Figure:
    """What a value says: the number (None: not available), the count beside it, whether it
    breaks the series, and a note such as "to June 17"."""

    value: Decimal | None
    count: int | None = None
    break_in_series: bool = False
    note: str = ""

    def describe(self) -> str:
        if self.value is None:
            text = "not available"
        else:
            text = f"{self.value.normalize():f}"
            if self.count is not None:
                text += f" (count {self.count})"
        if self.break_in_series:
            text += ", break in series"
        if self.note:
            text += f", note “{self.note}”"
        return text


def figure_of(value: IndicatorValue) -> Figure:
    return Figure(value.value, value.count, value.break_in_series, value.note)


class _Unchecked:
    def __repr__(self) -> str:
        return "UNCHECKED"


# The `version` of a write that checks none: the values import and the computed indicators,
# which replace what is held by design (a re-import is the partnership's correction).
UNCHECKED = _Unchecked()


def _where(indicator: Indicator, period: Period, area: str) -> str:
    where = f"{indicator.code} {period.label}"
    return where if area == Area.BOROUGH else f"{where} ({Area(area).label})"


def store_value(
    *,
    indicator: Indicator,
    period: Period,
    area: str,
    figure: Figure,
    by,
    method: str,
    computed: bool = False,
    file_name: str = "",
    current: IndicatorValue | None = None,
    look_up: bool = True,
    version: int | _Unchecked | None = UNCHECKED,
) -> tuple[IndicatorValue | None, bool]:
    """Write a figure unless it is already there: the value, a history entry and an audit event.

    For callers that have checked the figure (enter_value, the values import, the computed
    indicators); `current` is the value already held, when the caller has fetched it.
    `version` is the held value's version the figure was entered against, None for "no value
    was held" (ADR 0061): a figure based on anything else is refused with `EditConflict`.
    """
    if current is None and look_up:
        current = IndicatorValue.objects.filter(
            indicator=indicator, area=area, period=period.label
        ).first()
    if current is not None and figure_of(current) == figure and current.computed == computed:
        return current, False
    created = current is None
    if not created and version is None:
        raise conflict(IndicatorValue, current.pk, "value")  # entered since the page was opened
    before = None if created else figure_of(current)
    if created:
        current = IndicatorValue(
            indicator=indicator, area=area, period=period.label, period_start=period.start
        )
    current.value, current.count = figure.value, figure.count
    current.break_in_series, current.note = figure.break_in_series, figure.note
    current.computed, current.entered_by = computed, _user(by)
    if created:
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            # Entered by someone else at the same moment: theirs is kept, as for any conflict.
            held = IndicatorValue.objects.get(indicator=indicator, area=area, period=period.label)
            raise conflict(IndicatorValue, held.pk, "value") from None
    else:
        save_if_unchanged(
            current,
            version=None if version is UNCHECKED else version,
            fields=["value", "count", "break_in_series", "note", "computed", "entered_by"],
            noun="value",
        )
    ValueChange.objects.create(
        indicator_value=current,
        value=figure.value,
        count=figure.count,
        break_in_series=figure.break_in_series,
        note=figure.note,
        changed_by=_user(by),
        method=method,
        channel=current_context().channel,
        file_name=file_name[:200],
    )
    how = EntryMethod(method).label.lower()
    if file_name:
        how += f" {file_name}"
    audit.record(
        action=Action.COLLECT if created else Action.ALTER,
        actor=by,
        target=current,
        purpose=f"{_where(indicator, period, area)}: {figure.describe()}"
        f"{'' if before is None else f' (was {before.describe()})'} ({how})",
    )
    return current, True


def check_figure(indicator: Indicator, period: Period, area: str, figure: Figure) -> None:
    """Why this figure cannot be entered for the indicator, if it cannot."""
    if period.frequency != indicator.frequency:
        raise PerformanceError(
            f"{indicator.code} is reported {Frequency(indicator.frequency).label.lower()}: "
            f"{period.label} is not a period of that kind"
        )
    if indicator.computed and area == Area.BOROUGH:
        raise ComputedIndicatorError(
            f"{indicator.code} is computed by Safehold from the casework: its values cannot be "
            "entered"
        )
    if figure.value is None and figure.count is not None:
        raise PerformanceError("Leave the count empty when the value is not available")


@transaction.atomic
def enter_value(
    *,
    indicator: Indicator,
    period: Period,
    figure: Figure,
    by,
    area: str = Area.BOROUGH,
    method: str = EntryMethod.FORM,
    version: int | _Unchecked | None = UNCHECKED,
) -> tuple[IndicatorValue, bool]:
    """Enter (or correct) one value of an indicator. A computed indicator's own values are
    Safehold's: they are refused here whoever asks. `version`: see `store_value`."""
    check_figure(indicator, period, area, figure)
    return store_value(
        indicator=indicator, period=period, area=area, figure=figure, by=by, method=method,
        version=version,
    )  # fmt: skip


@transaction.atomic
def write_narrative(*, theme: Theme, period: Period, text: str, by) -> tuple[Narrative, bool]:
    """Write (or rewrite) what the board reads beside a theme's indicators for a period."""
    text = text.strip().replace("\r\n", "\n")
    if not text:
        raise PerformanceError("Enter the narrative")
    narrative = Narrative.objects.filter(theme=theme, period=period.label).first()
    if narrative is not None and narrative.text == text:
        return narrative, False
    created = narrative is None
    if created:
        narrative = Narrative(theme=theme, period=period.label)
    narrative.text, narrative.written_by = text, _user(by)
    narrative.save()
    audit.record(
        action=Action.COLLECT if created else Action.ALTER,
        actor=by,
        target=narrative,
        purpose=f"narrative for {theme.name}, {period.label}, "
        f"{'written' if created else 'rewritten'} ({len(text)} characters)",
    )
    return narrative, True
