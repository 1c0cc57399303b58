"""A ward's locality report for its neighbourhood team: the dashboard's sections for one ward,
with its LSOAs, its local authority and Greater Manchester beside it, as a page and an A4 PDF
(crime/ward_report_document.html printed with WeasyPrint)."""

import functools
from dataclasses import dataclass

from safehold.analytics.store import run
from safehold.crime import queries
from safehold.crime.dashboard import sections
from safehold.crime.dashboard.filters import Filters
from safehold.crime.formats import OGL
from safehold.crime.police_hotspots import LOCATION_NOTE
from safehold.geography import boundaries


@functools.cache
def _lsoa_features() -> dict[str, dict]:
    return {f["properties"]["area_code"]: f for f in boundaries.boundaries_geojson()["features"]}


def lsoa_boundaries(codes: list[str], names: dict[str, str]) -> dict:
    """The generalised boundaries of these 2021 LSOAs (Greater Manchester's, shipped), as the
    map component's boundaries."""
    features = _lsoa_features()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": features[code]["geometry"],
                "properties": {"name": names.get(code, code), "label": names.get(code, code)},
            }
            for code in codes
            if code in features
        ],
    }


def ward_lsoa_boundaries(con, ward_code: str) -> dict:
    """The boundaries of a ward's 2021 LSOAs, named (what its hot-spot map is drawn over)."""
    rows = run(
        con,
        "SELECT lsoa21_code, lsoa21_name FROM lsoa21 WHERE ward_code = ? ORDER BY 1",
        [ward_code],
    )
    return lsoa_boundaries([code for code, _ in rows], dict(rows))


@dataclass(frozen=True)
class LsoaRow:
    code: str
    name: str
    count: int
    population: int | None
    rate: float | None
    imd_decile: int | None


def ward_lsoas(con, f: Filters) -> list[LsoaRow]:
    """Every 2021 LSOA of the ward (zeros too), the most crimes first."""
    lsoas = run(
        con,
        "SELECT lsoa21_code, lsoa21_name, population, imd2019_decile FROM lsoa21 "
        "WHERE ward_code = ? ORDER BY lsoa21_code",
        [f.area],
    )
    table = queries.counts(con, group_by=["lsoa"], area=f.area, rates=True, **f.common())
    found = {row[0]: row for row in table.rows}
    rows = [
        LsoaRow(
            code,
            name,
            found[code][2] if code in found else 0,
            population,
            found[code][4] if code in found else (0.0 if population else None),
            decile,
        )
        for code, name, population, decile in lsoas
    ]
    return sorted(rows, key=lambda r: (-r.count, r.code))


def ward_report(con, f: Filters, ward: queries.Area) -> dict:
    """Every section of the report, for the template (the page's and the PDF's)."""
    trend = sections.trend_section(con, f, ward)
    lsoas = ward_lsoas(con, f)  # once: the table and the map's boundaries
    boundaries = lsoa_boundaries([row.code for row in lsoas], {row.code: row.name for row in lsoas})
    hotspots = sections.hotspot_section(con, f, boundaries=boundaries, boundary_name="LSOA")
    compare = sections.compare_section(con, f, with_local_authority=True)
    return {
        "ward": ward,
        "area": ward,
        "area_name": ward.name,
        "filters": f,
        "headline": trend.headline,
        "trend": trend,
        "compare": compare,
        "local_authority": compare.rows[1] if len(compare.rows) > 3 else None,
        "types": sections.types_section(con, f),
        "lsoas": lsoas,
        "hotspots": hotspots,
        "seasonal": sections.seasonal_section(con, f),
        "repeats": sections.repeats_section(con, f),
        "location_note": LOCATION_NOTE,
        "attribution": OGL,
    }
