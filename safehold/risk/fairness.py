"""The fairness report of the top indicators list (issue 18, item 5; ADR 0060): who the list
flags, and who of them a person reviewed and how, by ward, age band, sex, ethnic group and
disability where held, against the base population of the partners' extracts and Safehold's
people (and Census 2021 residents for wards), with each group's ratio to the overall rate and
the backtest's recall by group.

- **Base population**: every subject known on the date: the rows of each agency's latest
  people extract on or before it, the tenants of its latest tenancies extract, and Safehold's
  people recorded by then, each resolved into subjects by the current linkage run as the
  engine resolves them; and every subject on the list.
- **A subject's groups** come from its records: an explicit ward (a Safehold person's latest
  case's place) before a postcode's ward; date of birth, sex and ethnic group from the first
  record (by key) that holds them; disability only from a Safehold person's vulnerabilities.
- **Small numbers**: a count of 1 to 4 reads "fewer than 5" in anything shared beyond the
  analysts (`suppress=True`), and so does a rate or ratio made from one.

Only counts leave this module, never a subject."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from safehold.analytics.store import connect
from safehold.geography.models import Lsoa, Ward
from safehold.linkage.models import SAFEHOLD, Record
from safehold.partners.choices import ExtractKind
from safehold.people.choices import Gender
from safehold.people.models import Person
from safehold.reports.suppression import is_small
from safehold.risk import backtest, engine
from safehold.risk.choices import Decision
from safehold.risk.engine import casework, extracts
from safehold.risk.models import IndicatorVersion, Review
from safehold.sharing.middleware import unrestricted

FEWER_THAN_5 = "fewer than 5"
NOT_RECORDED = "Not recorded"
GROUPINGS = ("Ward", "Age band", "Sex", "Ethnic group", "Disability")
AGE_BANDS = ((18, "Under 18"), (25, "18 to 24"), (35, "25 to 34"), (50, "35 to 49"),
             (65, "50 to 64"), (200, "65 and over"))  # fmt: skip
DISABILITIES = {"learning_disability", "physical_disability"}
DISABLED, NOT_DISABLED, NOT_HELD = (
    "Disability recorded in Safehold",
    "No disability recorded in Safehold",
    "No Safehold record (not held)",
)
SEXES = {"m": "Male", "male": "Male", "f": "Female", "female": "Female", "x": "Other",
         "other": "Other"}  # fmt: skip
BACKTEST_TOP = 50
BACKTEST_MONTHS = 12


@dataclass
class Row:
    group: str
    population: int = 0
    flagged: int = 0
    reviewed: Counter = field(default_factory=Counter)  # decision label -> count
    census: int | None = None  # Census 2021 usual residents (wards only)
    cases: int = 0  # the backtest's cases of the group
    caught: int = 0  # of those, on the list's top BACKTEST_TOP before they opened

    @property
    def rate(self) -> float | None:
        return self.flagged / self.population if self.population else None

    @property
    def reviewed_total(self) -> int:
        return sum(self.reviewed.values())

    @property
    def reviewed_share(self) -> float | None:
        return self.reviewed_total / self.flagged if self.flagged else None

    @property
    def per_1000_residents(self) -> float | None:
        return 1000 * self.flagged / self.census if self.census else None

    @property
    def recall(self) -> float | None:
        return self.caught / self.cases if self.cases else None


@dataclass
class Table:
    grouping: str
    rows: list[Row]
    everyone: Row

    def ratio(self, row: Row) -> float | None:
        """The group's flag rate over everyone's."""
        if row.rate is None or not self.everyone.rate:
            return None
        return row.rate / self.everyone.rate


@dataclass
class FairnessReport:
    as_of: datetime.date
    area: str | None
    version: int
    tables: list[Table]
    decisions: list[str] | None  # None: no review decisions are held yet
    backtest: tuple[datetime.date, datetime.date, int] | None  # first, last, horizon
    suppress: bool

    def cell(self, value: int | None) -> int | str | None:
        """A count as this report may show it."""
        return FEWER_THAN_5 if self.suppress and is_small(value) else value

    def share(self, numerator: int, denominator: int, value: float | None) -> str:
        """A rate or ratio to two places, or "fewer than 5" when made from a suppressed count."""
        if value is None:
            return ""
        if self.suppress and (is_small(numerator) or is_small(denominator)):
            return FEWER_THAN_5
        return f"{value:.2f}"


def report(
    as_of: datetime.date,
    area: str | None = None,
    *,
    suppress: bool = True,
    version: IndicatorVersion | None = None,
    with_backtest: bool = True,
    horizon: int = 6,
) -> FairnessReport:
    """The fairness report of the list of `as_of` for a ward (or every area). With
    `with_backtest`, the recall by group of the backtest of the BACKTEST_MONTHS month-ends whose
    horizon ends at `as_of`'s month's end. Reads past the gates: counts only leave it."""
    from safehold.risk.services import current_version

    version = version or current_version()
    made = engine.score(as_of, area, version)
    ward = made.area
    tested = None
    if with_backtest:
        last = backtest.month_end(as_of.year, as_of.month - horizon)
        first = backtest.month_end(last.year, last.month - BACKTEST_MONTHS + 1)
        tested = backtest.run(
            first=first, last=last, horizon=horizon, area=area, version=version,
            tops=(BACKTEST_TOP,),
        )  # fmt: skip
    with unrestricted():
        people = _records(as_of)
        subject_of = _clusters(set(people))
        flagged = {e.subject_ref for e in made.entries}
        members: dict[str, list[str]] = defaultdict(list)
        for key in people:
            members[subject_of.get(key, key)].append(key)
        for entry in made.entries:
            members.setdefault(entry.subject_ref, list(entry.members))
        if tested is not None:
            for result in tested.results:
                members.setdefault(result.subject, [])
        groups = {s: _groups(sorted(keys), people, as_of) for s, keys in members.items()}
        decisions, reviewed = _reviews(flagged, as_of)
        census = _census()
    population = [s for s in members if ward is None or groups[s]["Ward"] == ward]
    tables = []
    names = dict(Ward.objects.values_list("code", "name"))
    for grouping in GROUPINGS:
        rows: dict[str, Row] = {}
        everyone = Row("Everyone")
        for subject in population:
            value = groups[subject][grouping]
            if grouping == "Ward" and value != NOT_RECORDED:
                value = names.get(value, value)
            row = rows.setdefault(value, Row(value))
            for counted in (row, everyone):
                counted.population += 1
                if subject in flagged:
                    counted.flagged += 1
                    if subject in reviewed:
                        counted.reviewed[reviewed[subject]] += 1
        for result in tested.results if tested is not None else []:
            value = groups[result.subject][grouping]
            if grouping == "Ward" and value != NOT_RECORDED:
                value = names.get(value, value)
            row = rows.setdefault(value, Row(value))
            for counted in (row, everyone):
                counted.cases += 1
                counted.caught += result.caught[BACKTEST_TOP]
        if grouping == "Ward":
            by_name = {names.get(code, code): n for code, n in census.items()}
            for row in rows.values():
                row.census = by_name.get(row.group)
        ordered = sorted(rows.values(), key=lambda r: (r.group == NOT_RECORDED, _order(r.group)))
        tables.append(Table(grouping, ordered, everyone))
    return FairnessReport(
        as_of=as_of,
        area=ward,
        version=version.number,
        tables=tables,
        decisions=decisions,
        backtest=(tested.first, tested.last, tested.horizon) if tested else None,
        suppress=suppress,
    )


def _order(group: str):
    labels = [label for _, label in AGE_BANDS]
    return (labels.index(group), "") if group in labels else (len(labels), group)


def _records(as_of: datetime.date) -> dict[str, dict]:
    """Every record of the base population by key, with what it holds of each group."""
    found: dict[str, dict] = {}
    con = connect()
    try:
        people = extracts.extracts_as_of(as_of, ExtractKind.PEOPLE)
        extracts.load(con, "people", ExtractKind.PEOPLE, people)
        tenancies = extracts.extracts_as_of(as_of, ExtractKind.TENANCIES)
        extracts.load(con, "tenancies", ExtractKind.TENANCIES, tenancies)
        rows = con.sql(
            "select agency_id || '/' || record_id, date_of_birth, sex, postcode, ethnicity "
            "from people"
        ).fetchall()
        tenants = con.sql(
            "select distinct agency_id || '/' || unnest(record_ids) from tenancies"
        ).fetchall()
    finally:
        con.close()
    postcode_ward = engine.postcode_wards({r[3] for r in rows if r[3]})
    for key, born, sex, postcode, ethnicity in rows:
        found[key] = {
            "born": born,
            "sex": SEXES.get((sex or "").strip().lower()),
            "ethnicity": (ethnicity or "").strip() or None,
            "ward": None,
            "postcode_ward": postcode_ward.get(postcode),
            "disability": None,
        }
    for (key,) in tenants:
        found.setdefault(key, {})
    homes = casework.safehold_homes(as_of).to_pylist()
    wards = {h["key"]: h["ward"] for h in homes}
    through = Person.vulnerabilities.through
    disabled = set(
        through.objects.filter(vulnerability_id__in=DISABILITIES).values_list(
            "person_id", flat=True
        )
    )
    genders = dict(Gender.choices)
    for pk, born, gender in Person.objects.filter(created_at__date__lte=as_of).values_list(
        "pk", "date_of_birth", "gender"
    ):
        key = f"{SAFEHOLD}/{pk}"
        found[key] = {
            "born": born,
            "sex": None if gender == Gender.NOT_KNOWN else genders.get(gender),
            "ethnicity": None,
            "ward": wards.get(key),
            "postcode_ward": None,
            "disability": DISABLED if pk in disabled else NOT_DISABLED,
        }
    return found


def _clusters(keys: set[str]) -> dict[str, str]:
    return dict(
        Record.objects.filter(run__is_current=True, key__in=list(keys)).values_list(
            "key", "cluster_id"
        )
    )


def _first(keys: list[str], people: dict, name: str):
    return next((people[k][name] for k in keys if people.get(k, {}).get(name)), None)


def _groups(keys: list[str], people: dict, as_of: datetime.date) -> dict[str, str]:
    born = _first(keys, people, "born")
    age = None
    if born is not None:
        age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
    return {
        "Ward": _first(keys, people, "ward") or _first(keys, people, "postcode_ward") or NOT_RECORDED,
        "Age band": next((label for top, label in AGE_BANDS if age < top), NOT_RECORDED)
        if age is not None
        else NOT_RECORDED,
        "Sex": _first(keys, people, "sex") or NOT_RECORDED,
        "Ethnic group": _first(keys, people, "ethnicity") or NOT_RECORDED,
        "Disability": _first(keys, people, "disability") or NOT_HELD,
    }  # fmt: skip


def _reviews(flagged: set[str], as_of: datetime.date) -> tuple[list[str] | None, dict[str, str]]:
    """The decision labels and each flagged subject's latest review on or before `as_of`."""
    labels = dict(Decision.choices)
    latest: dict[str, str] = {}
    for subject, decision in (
        Review.objects.filter(subject_ref__in=list(flagged), as_of__lte=as_of)
        .order_by("as_of")
        .values_list("subject_ref", "decision")
    ):
        latest[subject] = str(labels.get(decision, decision))
    return [str(label) for label in labels.values()], latest


def _census() -> dict[str, int]:
    """Census 2021 usual residents by ward: the sum of its LSOAs' (ONS TS001, committed)."""
    return {
        ward: total
        for ward, total in Lsoa.objects.values("ward")
        .annotate(total=Sum("population"))
        .values_list("ward", "total")
        if total
    }


CSV_COLUMNS = (
    "grouping", "group", "base_population", "flagged", "flag_rate", "ratio_to_overall",
    "census_2021_residents", "flagged_per_1000_residents", "reviewed", "reviewed_share",
    "decisions", "backtest_cases", "backtest_on_list", "backtest_recall", "as_of",
    "indicators_version",
)  # fmt: skip


def csv_rows(made: FairnessReport) -> list[list]:
    rows = []
    for table in made.tables:
        for row in [*table.rows, table.everyone]:
            c, s = made.cell, made.share
            reviews = (
                "; ".join(f"{d}: {c(row.reviewed[d])}" for d in made.decisions)
                if made.decisions is not None
                else "review decisions not yet held"
            )
            rows.append(
                [
                    table.grouping, row.group, c(row.population), c(row.flagged),
                    s(row.flagged, row.population, row.rate),
                    s(row.flagged, row.population, table.ratio(row)),
                    row.census if row.census is not None else "",
                    s(row.flagged, row.census or 0, row.per_1000_residents),
                    c(row.reviewed_total) if made.decisions is not None else "",
                    s(row.reviewed_total, row.flagged, row.reviewed_share)
                    if made.decisions is not None else "",
                    reviews,
                    c(row.cases) if made.backtest else "",
                    c(row.caught) if made.backtest else "",
                    s(row.caught, row.cases, row.recall) if made.backtest else "",
                    made.as_of.isoformat(), made.version,
                ]
            )  # fmt: skip
    return rows


def as_json(made: FairnessReport) -> dict:
    return {
        "as_of": made.as_of.isoformat(),
        "area": made.area,
        "indicators_version": made.version,
        "small_numbers_suppressed": made.suppress,
        "backtest": None
        if made.backtest is None
        else {
            "from": f"{made.backtest[0]:%Y-%m}",
            "to": f"{made.backtest[1]:%Y-%m}",
            "horizon_months": made.backtest[2],
            "top": BACKTEST_TOP,
        },
        "review_decisions": made.decisions,
        "groupings": [
            {
                "grouping": table.grouping,
                "groups": [
                    dict(zip(CSV_COLUMNS[1:14], values[1:14], strict=True))
                    for values in csv_rows(_only(made, table))
                ],
            }
            for table in made.tables
        ],
    }


def shown_tables(made: FairnessReport) -> list[dict]:
    """Each table as a page or the board report shows it: each group's row (then everyone's)
    with its counts, shares and ratios as `made` may show them (small numbers suppressed)."""
    tables = []
    for table in made.tables:
        rows = []
        for row in [*table.rows, table.everyone]:
            rows.append(
                {
                    "row": row,
                    "population": made.cell(row.population),
                    "flagged": made.cell(row.flagged),
                    "rate": made.share(row.flagged, row.population, row.rate),
                    "ratio": made.share(row.flagged, row.population, table.ratio(row)),
                    "per_1000": made.share(row.flagged, row.census or 0, row.per_1000_residents),
                    "reviewed": made.cell(row.reviewed_total),
                    "reviewed_share": made.share(
                        row.reviewed_total, row.flagged, row.reviewed_share
                    ),
                    "decisions": [made.cell(row.reviewed[d]) for d in made.decisions or []],
                    "cases": made.cell(row.cases),
                    "caught": made.cell(row.caught),
                    "recall": made.share(row.caught, row.cases, row.recall),
                }
            )
        tables.append({"table": table, "rows": rows, "id": f"fair-{len(tables)}"})
    return tables


def _only(made: FairnessReport, table: Table) -> FairnessReport:
    return FairnessReport(
        made.as_of, made.area, made.version, [table], made.decisions, made.backtest, made.suppress
    )


def record_read(made: FairnessReport, **actor) -> None:
    """The one audit event of a fairness report read: counts by group, naming no one."""
    backtest.record_report(
        "risk.fairness",
        f"the top indicators list's fairness report of {made.as_of.isoformat()} "
        f"({'ward ' + made.area if made.area else 'every area'}), indicators version "
        f"{made.version}, small numbers {'suppressed' if made.suppress else 'shown'}: "
        "counts only",
        **actor,
    )


__all__ = [
    "CSV_COLUMNS", "FairnessReport", "Row", "Table", "as_json", "csv_rows", "report", "shown_tables",
]  # fmt: skip
