"""Reporting periods: financial years (`2016/17`), their quarters (`2016/17 Q3`) and months
(`2017-01`), parsed strictly and ordered by the dates they cover.

A financial year runs from 1 April to 31 March; Q1 is April to June, Q4 January to March. A
period knows its frequency, so "the period before" is always one of the same kind.
"""

import datetime
import re
from dataclasses import dataclass

from safehold.performance.choices import Frequency

_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})/(\d{2})\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MONTHS_IN = {Frequency.ANNUAL: 12, Frequency.QUARTERLY: 3, Frequency.MONTHLY: 1}
EXAMPLES = {
    Frequency.ANNUAL: "a financial year like 2016/17",
    Frequency.QUARTERLY: "a quarter like 2016/17 Q3",
    Frequency.MONTHLY: "a month like 2017-01",
}
FIRST_YEAR, LAST_YEAR = 1900, 2199
PERIOD_HINT = (
    "enter the period as a financial year like 2016/17, a quarter like 2016/17 Q3 "
    "or a month like 2017-01"
)


class PeriodError(ValueError):
    """Text that is not a period; the message says what to enter instead."""


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """One reporting period: its frequency and the first day it covers."""

    frequency: str
    start: datetime.date

    def __post_init__(self):
        object.__setattr__(self, "frequency", str(self.frequency))  # "annual", not Frequency.ANNUAL

    @property
    def end(self) -> datetime.date:
        return _add_months(self.start, MONTHS_IN[self.frequency]) - datetime.timedelta(days=1)

    @property
    def financial_year(self) -> int:
        """The calendar year the period's financial year starts in (2016 for 2016/17)."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def label(self) -> str:
        year = self.financial_year
        fy = f"{year}/{(year + 1) % 100:02d}"
        if self.frequency == Frequency.ANNUAL:
            return fy
        if self.frequency == Frequency.QUARTERLY:
            return f"{fy} Q{(self.start.month - 4) % 12 // 3 + 1}"
        return f"{self.start.year:04d}-{self.start.month:02d}"

    def shift(self, steps: int) -> "Period":
        """The period `steps` periods later (earlier when negative), of the same frequency."""
        return Period(self.frequency, _add_months(self.start, steps * MONTHS_IN[self.frequency]))

    @property
    def previous(self) -> "Period":
        return self.shift(-1)

    @property
    def sort_key(self) -> tuple:
        """Orders periods by the day they end, and a longer period after a shorter one ending
        the same day (a year after its fourth quarter, which after its last month)."""
        return (self.end, MONTHS_IN[self.frequency])

    def __str__(self) -> str:
        return self.label


def financial_year(year: int) -> Period:
    return Period(Frequency.ANNUAL, datetime.date(year, 4, 1))


def containing(frequency: str, day: datetime.date) -> Period:
    """The period of this frequency that the day falls in."""
    if frequency == Frequency.MONTHLY:
        return Period(frequency, day.replace(day=1))
    months = MONTHS_IN[frequency]
    # Months since the April that starts the day's financial year, down to a whole period.
    since_april = (day.month - 4) % 12
    start_of_year = datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    return Period(frequency, _add_months(start_of_year, since_april // months * months))


def latest_ending_by(frequency: str, day: datetime.date) -> Period:
    """The last period of this frequency that has ended on or before the day."""
    period = containing(frequency, day)
    return period if period.end <= day else period.previous


def parse(text: str) -> Period:
    """`2016/17`, `2016/17 Q3` or `2017-01`; anything else raises PeriodError."""
    value = " ".join(str(text).split())
    if match := _YEAR.match(value):
        year, short = int(match[1]), int(match[2])
        period = financial_year(year)
        if short != (year + 1) % 100:
            raise PeriodError(
                f"“{value}” is not a financial year: the second year must follow the first, "
                f"like {year}/{(year + 1) % 100:02d}"
            )
    elif match := _QUARTER.match(value):
        year, short, quarter = int(match[1]), int(match[2]), int(match[3])
        if short != (year + 1) % 100:
            raise PeriodError(
                f"“{value}” is not a quarter: the second year must follow the first, "
                f"like {year}/{(year + 1) % 100:02d} Q{quarter}"
            )
        year_start = datetime.date(year, 4, 1)
        period = Period(Frequency.QUARTERLY, _add_months(year_start, 3 * (quarter - 1)))
    elif match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(
                f"“{value}” is not a period: a month must be 01 to 12 (write a financial year "
                f"like {year}/{(year + 1) % 100:02d})"
            )
        period = Period(Frequency.MONTHLY, datetime.date(year, month, 1))
    else:
        raise PeriodError(f"“{value}” is not a period: {PERIOD_HINT}" if value else PERIOD_HINT)
    if not FIRST_YEAR <= period.financial_year <= LAST_YEAR:
        raise PeriodError(f"“{value}” is not a period Safehold reports on: check the year")
    return period


def parse_for(text: str, frequency: str, code: str = "") -> Period:
    """A period that must be of the indicator's frequency."""
    period = parse(text)
    if period.frequency != frequency:
        whose = f"{code} is" if code else "The indicator is"
        raise PeriodError(
            f"{whose} reported {Frequency(frequency).label.lower()}: "
            f"enter {EXAMPLES[frequency]}, not “{period.label}”"
        )
    return period
