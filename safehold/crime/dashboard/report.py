"""A ward's locality report for its neighbourhood team: the dashboard's sections for one ward,
with its LSOAs, its local authority and Greater Manchester beside it, as a page and an A4 PDF
(crime/ward_report_document.html printed with WeasyPrint)."""

from safehold.crime import queries
from safehold.crime.dashboard import sections
from safehold.crime.dashboard.filters import Filters
from safehold.crime.formats import OGL
from safehold.crime.hotspots import LOCATION_NOTE


def ward_report(con, f: Filters, ward: queries.Area) -> dict:
    """Every section of the report, for the template (the page's and the PDF's)."""
    trend = sections.trend_section(con, f, ward)
    lsoas = sections.ward_lsoas(con, f)
    boundaries = sections.lsoa_boundaries(
        [row.code for row in lsoas], {row.code: row.name for row in lsoas}
    )
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
