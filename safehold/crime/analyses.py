"""Each analysis by name, with its arguments: what the command line and the API both call, so
they give the same numbers in the same shape. Every call is recorded as one consultation."""

from collections.abc import Sequence
from dataclasses import dataclass

from safehold import audit
from safehold.audit.choices import Action
from safehold.crime import formats, queries

ANALYSES = ("summary", "trend", "compare", "top", "seasonal", "repeats")


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
        return shown


@dataclass(frozen=True)
class Result:
    analysis: str
    request: Request
    rows: object  # a queries.Table or a list of dataclasses
    extra: dict

    def document(self) -> dict[str, object]:
        return formats.payload(
            self.analysis, self.request.filters(self.analysis), self.rows, **self.extra
        )

    def render(self, fmt: str) -> str:
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
