"""The coordinates of street rows, for hot spots."""

# ruff: noqa: S608 -- SQL is built from fixed fragments; every value is validated and quoted.

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from safehold.analytics.store import run
from safehold.crime.queries.filters import (
    _filters,
    _from,
)

# --- the points of street rows (for hot spots) ----------------------------------------------


@dataclass(frozen=True, eq=False)
class StreetPoints:
    """Where the rows the filters select lie: police.uk's anonymised points (WGS84), and how
    many of the rows selected have no coordinates (police.uk's "No location")."""

    longitude: np.ndarray
    latitude: np.ndarray
    without_coordinates: int

    def __len__(self) -> int:
        return len(self.longitude)


def street_points(
    con,
    *,
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
    area: str | None = None,
) -> StreetPoints:
    """The longitude and latitude of every street row the filters select that has them (one
    point per row, so a map point with three crimes is given three times)."""
    f, _ = _filters(con, start=start, end=end, crime_types=crime_types, area_code=area)
    arrow = con.sql(
        f"""SELECT s.longitude, s.latitude FROM {_from(f.needs_lsoa21)}
        WHERE {f.where} AND s.longitude IS NOT NULL AND s.latitude IS NOT NULL"""
    ).to_arrow_table()
    missing = run(
        con,
        f"""SELECT count(*) FROM {_from(f.needs_lsoa21)}
        WHERE {f.where} AND (s.longitude IS NULL OR s.latitude IS NULL)""",
    )[0][0]
    return StreetPoints(
        longitude=arrow.column("longitude").to_numpy().astype(float),
        latitude=arrow.column("latitude").to_numpy().astype(float),
        without_coordinates=int(missing),
    )
