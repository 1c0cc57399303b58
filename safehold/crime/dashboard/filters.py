"""What every police.uk page is filtered by (a period of months, crime types, an area, a
measure), what the store holds to choose from, and the filters in words."""

from dataclasses import dataclass

from safehold.analytics.store import run
from safehold.crime import analyses, queries
from safehold.crime.police_hotspots import BOROUGH_CODE

MEASURES = {"rate": "Rate per 1,000 residents", "count": "Number of crimes"}
MONTH_NAMES = queries.MONTH_NAMES


def month_label(month: str) -> str:
    """'2018-02' as 'February 2018'."""
    return f"{MONTH_NAMES[int(month[5:]) - 1]} {month[:4]}"


def shift(month: str, months: int) -> str:
    return queries.shift_month(month, months)


@dataclass(frozen=True)
class Loaded:
    """What the store holds to filter by: its months, crime types and the areas offered
    (Stockport and its wards, with their names)."""

    months: list[str]
    crime_types: list[str]
    rows: int
    areas: list[tuple[str, str]]  # (code, label), the borough first

    def default_period(self, span: str = "year") -> tuple[str, str]:
        """The last 12 months loaded (`year`) or every month loaded (`all`)."""
        last = self.months[-1]
        if span == "all":
            return self.months[0], last
        return max(self.months[0], shift(last, -11)), last

    def area_name(self, code: str) -> str:
        return dict(self.areas).get(code, code)


def borough_wards(con) -> list[tuple[str, str, int | None]]:
    """Stockport's wards: code, name and Census 2021 population, by name."""
    return [
        (code, name, population)
        for code, name, population in run(
            con,
            "SELECT ward_code, ward_name, population FROM wards WHERE lad_code = ? "
            "ORDER BY ward_name",
            [BOROUGH_CODE],
        )
    ]


def loaded(con) -> Loaded:
    """What the pages offer. The months are the borough's own: another force's newer months
    in the store must not move the default period past the borough's data."""
    c = queries.coverage(con)
    borough = queries.find_area(con, BOROUGH_CODE)
    areas = [(BOROUGH_CODE, f"{borough.name} (the whole borough)")]
    areas += [(code, f"{name} ward") for code, name, _ in borough_wards(con)]
    months = queries.area_months(con, BOROUGH_CODE) or c.months
    return Loaded(months=months, crime_types=c.crime_types, rows=c.rows, areas=areas)


@dataclass(frozen=True)
class Filters:
    """A page's filters: the period (YYYY-MM, inclusive), crime types (none: all), the area's
    code and the measure the map and rankings use (`rate` or `count`)."""

    start: str
    end: str
    crime_types: tuple[str, ...] = ()
    area: str = BOROUGH_CODE
    measure: str = "rate"

    def request(self, **extra) -> analyses.Request:
        """The analyses' arguments (safehold.crime.analyses) for these filters."""
        return analyses.Request(
            start=self.start, end=self.end, crime_types=self.crime_types, area=self.area, **extra
        )

    def common(self) -> dict:
        """The query functions' keyword arguments (without the area)."""
        return {"start": self.start, "end": self.end, "crime_types": self.crime_types}

    def query(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs (for links between the pages)."""
        pairs = [("from", self.start), ("to", self.end)]
        pairs += [("crime_type", t) for t in self.crime_types]
        return [*pairs, ("area", self.area), ("measure", self.measure)]

    def period_words(self) -> str:
        if self.start == self.end:
            return month_label(self.start)
        return f"{month_label(self.start)} to {month_label(self.end)}"

    def types_words(self) -> str:
        return ", ".join(self.crime_types) if self.crime_types else "all crime types"

    def words(self, area_name: str) -> str:
        return f"{self.period_words()}; {self.types_words()}; {area_name}"

    def months(self) -> int:
        return len(queries.month_range(self.start, self.end))
