"""The backtest of the top indicators list (issue 18, item 4; ADR 0060): the list replayed at
each month's end with only the data dated on or before it, measured against the exploitation
cases that opened in the months after.

- **Points**: the last day of each month from `first` to `last` (YYYY-MM), the day a monthly
  list is made from the month's extracts.
- **Cases**: every Safehold case (all are exploitation cases; `kind` keeps one exploitation
  type) whose referral date falls after a point and within the horizon after it (up to the last
  day of the month `horizon` months later). Its subject is the case's person as the current
  linkage run resolves them, as the engine resolves the list's subjects.
- **On the list at top k**: the case's subject among the first k entries of the list of a point
  in the horizon before the case opened; the lead time is the number of calendar months from
  the earliest such point's month to the month the case opened.
- **Precision of the top k**: of the subjects in the top k at each point, the share whose case
  opened in the horizon after it, over every point (the sums, not an average of averages).
- **Rankings**: the list (the catalogue version's weights); each indicator alone (as the list
  made with that indicator only would rank: every subject the same score, so by reference, and
  only "everyone it flags" says much); and the
  baseline, the number of vulnerability flags a subject has (most first, ties by reference).

Only aggregates leave this module: counts, shares and months, never a subject."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases.models import Case
from safehold.core.errors import ServiceError
from safehold.linkage.models import SAFEHOLD, Record
from safehold.reports.suppression import is_small
from safehold.risk import engine
from safehold.risk.indicators import BY_CODE, INDICATORS, VULNERABILITY_FLAGS
from safehold.risk.models import IndicatorVersion
from safehold.sharing.middleware import unrestricted

TOPS = (20, 50, 100)
FEWER_THAN_5 = "fewer than 5"
LIST, BASELINE = "list", "baseline"
NOT_KNOWN = "Not known"
FLAG_CODES = frozenset(i.code for i in VULNERABILITY_FLAGS)


class BadPeriod(ServiceError):
    """The months or the horizon asked for are not a period the backtest can replay."""


def parse_month(value: str, flag: str = "month") -> datetime.date:
    """'2025-03' as the first day of that month, or a clear error."""
    try:
        year, month = value.strip().split("-")
        return datetime.date(int(year), int(month), 1)
    except ValueError as exc:
        raise BadPeriod(f"{flag}: “{value}” is not a month in the format YYYY-MM") from exc


def parse_horizon(value: str) -> int:
    """'6m' (or '6') as 6 months; 1 to 36."""
    text = value.strip().lower().removesuffix("m")
    if not text.isdigit() or not 1 <= int(text) <= 36:
        raise BadPeriod(f"The horizon “{value}” is not a number of months from 1 to 36, like 6m")
    return int(text)


def month_end(year: int, month: int) -> datetime.date:
    """The last day of a month (months past 12 roll into the next years)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The last day of each month from `first`'s to `last`'s."""
    if last < first:
        raise BadPeriod("The last month is before the first")
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count > 60:
        raise BadPeriod("A backtest replays at most 60 months")
    return [month_end(first.year, first.month + i) for i in range(count)]


def horizon_end(point: datetime.date, horizon: int) -> datetime.date:
    return month_end(point.year, point.month + horizon)


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


@dataclass
class Figures:
    """One ranking's figures at one k (None: everyone the ranking flags), for every case or the
    cases of one area."""

    ranking: str  # "list", "baseline" or an indicator's code
    k: int | None
    area: str  # "" for every area, else a ward's name (or "Not known")
    cases: int = 0
    caught: int = 0
    leads: list[int] = field(default_factory=list)
    flagged: int = 0  # subject-points in the top k (every area only)
    positives: int = 0  # of those, a case opened in the horizon

    @property
    def label(self) -> str:
        if self.ranking == LIST:
            return "The list"
        if self.ranking == BASELINE:
            return "Baseline: number of vulnerability flags"
        return f"{BY_CODE[self.ranking].name} alone"

    @property
    def top(self) -> str:
        return f"Top {self.k}" if self.k else "Everyone flagged"

    @property
    def recall(self) -> float | None:
        return self.caught / self.cases if self.cases else None

    @property
    def precision(self) -> float | None:
        return self.positives / self.flagged if self.flagged else None

    @property
    def median_lead(self) -> float | None:
        return statistics.median(self.leads) if self.leads else None

    @property
    def mean_lead(self) -> float | None:
        return statistics.fmean(self.leads) if self.leads else None

    @property
    def leads_by_month(self) -> dict[int, int]:
        counted: dict[int, int] = defaultdict(int)
        for lead in self.leads:
            counted[lead] += 1
        return dict(sorted(counted.items()))


@dataclass
class Point:
    """A month's end replayed: how long its list was and what the top k found."""

    as_of: datetime.date
    entries: int
    cases_ahead: int  # subjects whose case opened in the horizon after it
    found: dict[int, int]  # k -> subjects of the top k whose case opened in the horizon


@dataclass
class CaseResult:
    """One case the backtest counted, for the fairness report's recall by group. Never shown
    or written: it names a subject."""

    subject: str
    opened: datetime.date
    ward: str
    caught: dict[int, bool]


@dataclass
class Backtest:
    first: datetime.date
    last: datetime.date
    horizon: int
    area: str | None
    version: int
    kind: str
    tops: tuple[int, ...]
    points: list[Point]
    figures: list[Figures]
    results: list[CaseResult] = field(repr=False, default_factory=list)

    def of(self, ranking: str, area: str = "") -> list[Figures]:
        return [f for f in self.figures if f.ranking == ranking and f.area == area]

    @property
    def rankings(self) -> list[str]:
        return list(dict.fromkeys(f.ranking for f in self.figures))

    @property
    def areas(self) -> list[str]:
        return sorted({f.area for f in self.figures if f.area})

    @property
    def cases(self) -> int:
        return len(self.results)


def run(
    *,
    first: datetime.date,
    last: datetime.date,
    horizon: int,
    area: str | None = None,
    version: IndicatorVersion | None = None,
    kind: str = "",
    tops: tuple[int, ...] = TOPS,
) -> Backtest:
    """Replay the list at each month's end from `first` to `last` and measure it against the
    cases that opened within `horizon` months after each (of exploitation type `kind`, or all).
    Reads past the gates, as the engine does: only aggregates leave (callers record the read)."""
    from safehold.risk.services import current_version

    version = version or current_version()
    points = month_ends(first, last)
    ward = engine.ward_of(area) if area else None
    every = _every_indicator(version)
    with unrestricted():
        cases = _cases(points[0], horizon_end(points[-1], horizon), kind, ward)
        rankings_at = [_rankings(p, area, version, every) for p in points]
    return _measure(
        points=points,
        rankings_at=rankings_at,
        cases=cases,
        horizon=horizon,
        tops=tops,
        made=Backtest(
            first=first,
            last=last,
            horizon=horizon,
            area=ward.code if ward else None,
            version=version.number,
            kind=kind,
            tops=tuple(tops),
            points=[],
            figures=[],
        ),
    )


def _every_indicator(version: IndicatorVersion) -> IndicatorVersion | None:
    """The version with every indicator on (their weights and parameters as they are), to
    measure each indicator alone and the baseline even when the list leaves some out; None
    when every indicator is already on (the list's own scoring serves)."""
    settings = {i.code: i.default_settings() for i in INDICATORS}
    for code, own in version.settings.items():
        settings[code] = {**settings.get(code, {}), **own}
    if all(s.get("enabled") for s in version.settings.values()) and set(settings) == set(
        version.settings
    ):
        return None
    for own in settings.values():
        own["enabled"] = True
    return IndicatorVersion(number=version.number, settings=settings, reason="")


def _rankings(point, area, version, every) -> dict[str, list[str]]:
    """Each ranking's subjects at `point`, in order."""
    made = engine.score(point, area, version)
    rankings = {LIST: [e.subject_ref for e in made.entries]}
    entries = made.entries if every is None else engine.score(point, area, every).entries
    met = [(e.subject_ref, {code for code, _ in e.indicators}) for e in entries]
    for indicator in INDICATORS:
        # Alone, an indicator gives each of its subjects the same score: the engine's order
        # is then by reference.
        rankings[indicator.code] = sorted(s for s, codes in met if indicator.code in codes)
    flags = [(len(codes & FLAG_CODES), s) for s, codes in met if codes & FLAG_CODES]
    rankings[BASELINE] = [s for _, s in sorted(flags, key=lambda f: (-f[0], f[1]))]
    return rankings


def _cases(after, until, kind, ward) -> list[tuple[str, datetime.date, str]]:
    """(subject, opened, ward name) of each case opened after `after` up to `until`: the
    subject is its person's cluster in the current linkage run (or the person alone)."""
    cases = Case.objects.filter(referral_date__gt=after, referral_date__lte=until)
    if kind:
        cases = cases.filter(exploitation_type=kind)
    if ward is not None:
        cases = cases.filter(location__ward=ward)
    rows = list(cases.values_list("subject_id", "referral_date", "location__ward__name"))
    keys = {f"{SAFEHOLD}/{person}" for person, _, _ in rows}
    clusters = dict(
        Record.objects.filter(run__is_current=True, key__in=keys).values_list("key", "cluster_id")
    )
    found = []
    for person, opened, ward_name in rows:
        key = f"{SAFEHOLD}/{person}"
        found.append((clusters.get(key) or key, opened, ward_name or NOT_KNOWN))
    return sorted(found)


def _measure(*, points, rankings_at, cases, horizon, tops, made: Backtest) -> Backtest:
    ks: list[int | None] = [*tops, None]
    names = list(rankings_at[0]) if rankings_at else [LIST]
    tops_at = [
        {name: {k: set(order[:k] if k else order) for k in ks} for name, order in r.items()}
        for r in rankings_at
    ]
    figures: dict[tuple, Figures] = {}

    def figure(name, k, area) -> Figures:
        return figures.setdefault((name, k, area), Figures(ranking=name, k=k, area=area))

    areas = sorted({ward for _, _, ward in cases})
    for name in names:  # every ranking, k and area is shown, even with no case
        for k in ks:
            for area in ["", *areas]:
                figure(name, k, area)
    results = []
    for subject, opened, ward in cases:
        before = [i for i, p in enumerate(points) if p < opened <= horizon_end(p, horizon)]
        if not before:
            continue
        caught_at_list = {}
        for name in names:
            for k in ks:
                hits = [i for i in before if subject in tops_at[i][name][k]]
                for area in ("", ward):
                    f = figure(name, k, area)
                    f.cases += 1
                    if hits:
                        f.caught += 1
                        f.leads.append(months_between(points[hits[0]], opened))
                if name == LIST and k is not None:
                    caught_at_list[k] = bool(hits)
        results.append(CaseResult(subject, opened, ward, caught_at_list))
    for i, point in enumerate(points):
        ahead = {s for s, opened, _ in cases if point < opened <= horizon_end(point, horizon)}
        for name in names:
            for k in ks:
                top = tops_at[i][name][k]
                f = figure(name, k, "")
                f.flagged += len(top)
                f.positives += len(top & ahead)
        made.points.append(
            Point(
                as_of=point,
                entries=len(rankings_at[i][LIST]),
                cases_ahead=len(ahead),
                found={k: len(tops_at[i][LIST][k] & ahead) for k in tops},
            )
        )
    made.figures = list(figures.values())
    made.results = results
    return made


def record_read(made: Backtest, **actor) -> None:
    """The one audit event of a backtest read: a report of counts, naming no one."""
    record_report(
        "risk.backtest",
        f"the top indicators list's backtest, {made.first:%Y-%m} to {made.last:%Y-%m}, "
        f"horizon {made.horizon} months ({'ward ' + made.area if made.area else 'every area'}"
        f"), indicators version {made.version}: counts only",
        **actor,
    )


def record_report(object_type: str, purpose: str, **actor) -> None:
    """One consultation of a report of counts (the backtest, the fairness report): it names
    no record and no one, since none leaves the report."""
    audit.record(
        action=Action.CONSULT, object_type=object_type, object_ids=[], purpose=purpose, **actor
    )


CSV_COLUMNS = (
    "ranking", "ranking_name", "top", "area", "cases", "on_list", "recall",
    "median_lead_months", "mean_lead_months", "flagged", "with_case_opened", "precision",
    "from", "to", "horizon_months", "indicators_version",
)  # fmt: skip


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def hidden(f: Figures, suppress_areas: bool) -> bool:
    """Whether a ward's figures are suppressed: for everyone but the analysts (the view's
    `suppress_areas`), a ward's count of 1 to 4 cases, or of 1 to 4 of them on the list, reads
    "fewer than 5", and its recall and lead times, made from them, are left out (ADR 0060).
    The partnership-wide figures are the list's measure and are shown."""
    return suppress_areas and f.area != "" and (is_small(f.cases) or is_small(f.caught))


def shown_count(n: int, f: Figures, suppress_areas: bool) -> int | str:
    return FEWER_THAN_5 if hidden(f, suppress_areas) and is_small(n) else n


def csv_rows(made: Backtest, *, suppress_areas: bool = False) -> list[list]:
    """The figures as the CSV's rows (docs/formats/risk-list.md): every ranking and k, for every
    area and then each area the cases were in (precision only for every area); a ward's small
    numbers suppressed with `suppress_areas`."""
    rows = []
    for f in sorted(made.figures, key=lambda f: (f.area, made.rankings.index(f.ranking))):
        every = f.area == ""
        out = hidden(f, suppress_areas)
        rows.append(
            [
                f.ranking, f.label, f.k or "all", f.area,
                shown_count(f.cases, f, suppress_areas), shown_count(f.caught, f, suppress_areas),
                FEWER_THAN_5 if out else _share(f.recall),
                "" if out or f.median_lead is None else f"{f.median_lead:g}",
                "" if out or f.mean_lead is None else f"{f.mean_lead:.2f}",
                f.flagged if every else "", f.positives if every else "",
                _share(f.precision) if every else "",
                f"{made.first:%Y-%m}", f"{made.last:%Y-%m}", made.horizon, made.version,
            ]
        )  # fmt: skip
    return rows


def as_json(made: Backtest, *, suppress_areas: bool = False) -> dict:
    def figures(f: Figures) -> dict:
        every = f.area == ""
        out = hidden(f, suppress_areas)
        return {
            "ranking": f.ranking,
            "name": f.label,
            "top": f.k,
            "cases": shown_count(f.cases, f, suppress_areas),
            "on_list": shown_count(f.caught, f, suppress_areas),
            "recall": FEWER_THAN_5 if out else f.recall,
            "lead_months": {
                "median": None if out else f.median_lead,
                "mean": None if out else f.mean_lead,
                "cases_by_months": {} if out else {str(m): n for m, n in f.leads_by_month.items()},
            },
            **(
                {"flagged": f.flagged, "with_case_opened": f.positives, "precision": f.precision}
                if every
                else {}
            ),
        }

    return {
        "from": f"{made.first:%Y-%m}",
        "to": f"{made.last:%Y-%m}",
        "horizon_months": made.horizon,
        "area": made.area,
        "exploitation_type": made.kind or None,
        "indicators_version": made.version,
        "tops": list(made.tops),
        "cases": made.cases,
        "points": [
            {
                "as_of": p.as_of.isoformat(),
                "entries": p.entries,
                "cases_ahead": p.cases_ahead,
                "top": {str(k): n for k, n in p.found.items()},
            }
            for p in made.points
        ],
        "figures": [figures(f) for f in made.figures if f.area == ""],
        "by_area": {
            area: [figures(f) for f in made.figures if f.area == area] for area in made.areas
        },
    }
