"""Each analysis by name, with its arguments: what the command line and the API both call, so
they give the same numbers in the same shape. Every call is recorded as one consultation."""

from collections.abc import Sequence
from dataclasses import dataclass

from safehold import audit
from safehold.audit.choices import Action
from safehold.crime import formats, queries
from safehold.crime.police_hotspots import PoliceHotspots, police_hotspots
from safehold.hotspots.grid import DEFAULT_CELL_SIZE

ANALYSES = ("summary", "trend", "compare", "top", "seasonal", "repeats", "hotspots")


@dataclass(frozen=True)
class Request:
    """The arguments any analysis may take (each uses those it needs)."""

    start: str | None = None
    end: str | None = None
    crime_types: Sequence[str] = ()
    area: str | None = None
    group_by: Sequence[str] = ()
    rates: bool = False
    level: str = "ward"
    by: str = "count"
    limit: int = 10
    min_count: int = 2
    cell_size: float = DEFAULT_CELL_SIZE
    radius: int = 1
    alpha: float = 0.10
    study_area: str = "area"

    def filters(self, analysis: str) -> dict[str, object]:
        shown: dict[str, object] = {
            "from": self.start,
            "to": self.end,
            "crime_types": list(self.crime_types),
            "area": self.area,
        }
        if analysis == "summary":
            shown |= {"group_by": list(self.group_by), "rates": self.rates}
        elif analysis == "top":
            shown |= {"level": self.level, "by": self.by, "limit": self.limit}
        elif analysis == "repeats":
            shown |= {"min_count": self.min_count, "limit": self.limit}
        elif analysis == "hotspots":
            shown |= {
                "cell_size": self.cell_size,
                "radius": self.radius,
                "alpha": self.alpha,
                "study_area": self.study_area,
            }
        return shown


@dataclass(frozen=True)
class Result:
    analysis: str
    request: Request
    rows: object  # a queries.Table or a list of dataclasses
    extra: dict

    def document(self) -> dict[str, object]:
        filters = self.request.filters(self.analysis)
        if self.analysis == "hotspots":
            spots: PoliceHotspots = self.extra["hotspots"]
            meta = {k: v for k, v in spots.meta().items() if k != "filters"}
            columns = list(spots.rows()[0]) if spots.cells else []
            return {
                "analysis": "hotspots",
                "filters": filters,
                "columns": columns,
                "rows": spots.rows(),
                "grid": meta,
            }
        return formats.payload(self.analysis, filters, self.rows, **self.extra)

    def geojson(self) -> dict:
        """The hot spots as GeoJSON (the API's answer and `--format geojson`)."""
        spots: PoliceHotspots = self.extra["hotspots"]
        collection = spots.geojson()
        collection["safehold"]["filters"] = self.request.filters(self.analysis)
        return collection

    def render(self, fmt: str) -> str:
        if self.analysis == "hotspots":
            if fmt == "csv":
                return self.extra["hotspots"].csv()
            if fmt == "geojson":
                return formats.as_json(self.geojson())
            return formats.as_json(self.document())
        if fmt == "csv":
            return formats.as_csv(self.rows)
        return formats.as_json(self.document())


def analyse(con, analysis: str, request: Request) -> Result:
    """Run one analysis; raises queries.QueryError for arguments it cannot use."""
    r = request
    common = {"start": r.start, "end": r.end, "crime_types": r.crime_types}
    extra: dict = {}
    match analysis:
        case "summary":
            rows = queries.counts(con, group_by=r.group_by, area=r.area, rates=r.rates, **common)
        case "trend":
            rows = queries.trend(con, area=r.area, **common)
        case "compare":
            if not r.area:
                raise queries.QueryError("compare needs an area", "area")
            rows = queries.compare(con, area=r.area, **common)
        case "top":
            rows = queries.top_areas(
                con, level=r.level, within=r.area, by=r.by, limit=r.limit, **common
            )
        case "seasonal":
            rows = queries.seasonal(con, area=r.area, **common)
        case "repeats":
            rows = queries.repeat_locations(
                con, area=r.area, min_count=r.min_count, limit=r.limit, **common
            )
            extra["profile"] = queries.repeat_profile(con, area=r.area, **common)
        case "hotspots":
            spots = police_hotspots(
                con,
                area=r.area,
                cell_size=r.cell_size,
                radius=r.radius,
                alpha=r.alpha,
                study_area=r.study_area,
                **common,
            )
            rows, extra["hotspots"] = spots.cells, spots
        case _:
            raise queries.QueryError(f"no analysis called “{analysis}”")
    return Result(analysis, request, rows, extra)


def record_consultation(*, actor, result: Result, fmt: str, channel: str, to: str = "") -> None:
    """One audit event for an analysis read through the API or written by the command line."""
    shown = ", ".join(
        f"{k}={','.join(v) if isinstance(v, list) else v}"
        for k, v in result.request.filters(result.analysis).items()
        if v not in (None, [], False)
    )
    audit.record(
        action=Action.CONSULT,
        actor=actor,
        object_type=f"crime.{result.analysis}",
        purpose=f"crime {result.analysis} ({fmt}){' ' + shown if shown else ''}"
        + (f" written to {to}" if to else ""),
        channel=channel,
    )
