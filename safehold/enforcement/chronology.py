"""The chronology sources this app registers itself: the case's own chronology and the partner
incident logs at the premises (its postcode, or within a few metres of its coordinates); and the
incidents near the premises that the bundle's map shows.

The incident logs hold no names (safehold/incidents): a reference, a type, when and where. They
are read by those who may see the incident analyses (`incidents.rules.can_view_incidents`).
"""

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone

from safehold.cases.models import ChronologyEntry
from safehold.core.postcodes import normalise_postcode
from safehold.enforcement.sources import BundleContext, BundleLine
from safehold.geography import postcodes
from safehold.incidents import selectors as incidents
from safehold.incidents.rules import can_view_incidents

# An incident this close to the premises' coordinates is at the premises (a log placed by
# coordinates rarely gives the exact door); the map shows those within MAP_RADIUS_M.
AT_PREMISES_M = 25
MAP_RADIUS_M = 300
METRES_PER_DEGREE_LATITUDE = 111_320


def case_chronology(context: BundleContext) -> list[BundleLine]:
    """The case's chronology entries in the period (the case was read through its gate)."""
    case = context.action.case
    start, end = _aware_bounds(context.start, context.end)
    entries = ChronologyEntry.objects.filter(
        case=case, occurred_at__gte=start, occurred_at__lt=end
    ).order_by("occurred_at")
    return [
        BundleLine(
            occurred_at=entry.occurred_at,
            source="Case chronology",
            reference=f"{case.reference}, {entry.get_kind_display().lower()}",
            summary=entry.summary + (f" ({entry.item})" if entry.item else ""),
            object_ids=(entry.pk,),
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class Incident:
    source: str
    reference: str
    type: str
    occurred_at: datetime.datetime
    latitude: float | None
    longitude: float | None
    postcode: str | None


def _may_read_incidents(user) -> bool:
    return user is None or can_view_incidents(user)


def premises_position(premises) -> tuple[float, float, str] | None:
    """Where the premises is (latitude, longitude, how it was placed): its own coordinates,
    else its postcode's point (the shipped SK extract or a loaded postcode file)."""
    if premises is None:
        return None
    if premises.latitude is not None and premises.longitude is not None:
        return float(premises.latitude), float(premises.longitude), "its recorded coordinates"
    if premises.postcode:
        place = postcodes.find([premises.postcode]).get(normalise_postcode(premises.postcode))
        if place is not None:
            return place.latitude, place.longitude, "its postcode (the postcode's point)"
    return None


def _coordinates(premises) -> tuple[float, float] | None:
    position = premises_position(premises)
    return position[:2] if position else None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Metres between two nearby points (an equirectangular approximation: exact enough
    within a few kilometres)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return math.hypot(x, y) * 6_371_000


def incidents_near(context: BundleContext, radius_m: float) -> list[Incident]:
    """Incidents of every partner log in the period at the premises' postcode or within
    `radius_m` of its coordinates, oldest first."""
    if not _may_read_incidents(context.user) or context.premises is None:
        return []
    postcode = (context.premises.postcode or "").replace(" ", "").upper()
    where = coordinates = _coordinates(context.premises)
    conditions, params = [], []
    if postcode:
        conditions.append("replace(upper(coalesce(postcode, '')), ' ', '') = ?")
        params.append(postcode)
    if where:
        lat, lon = where
        dlat = radius_m / METRES_PER_DEGREE_LATITUDE
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        conditions.append("(latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?)")
        params += [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
    if not conditions:
        return []
    start, end = _aware_bounds(context.start, context.end)
    near = " OR ".join(conditions)
    sql = (
        "SELECT source, reference, type, occurred_at, latitude, longitude, postcode "  # noqa: S608 -- fixed SQL, values are parameters
        f"FROM incidents WHERE occurred_at >= ? AND occurred_at < ? AND ({near}) "
        "ORDER BY occurred_at, reference"
    )
    con = incidents.connect()
    try:
        rows = con.execute(sql, [start, end, *params]).fetchall()
    finally:
        con.close()
    found = [Incident(*row) for row in rows]
    if coordinates is None:
        return found
    return [
        i
        for i in found
        if (postcode and (i.postcode or "").replace(" ", "").upper() == postcode)
        or (
            i.latitude is not None and distance_m(*coordinates, i.latitude, i.longitude) <= radius_m
        )
    ]


def incident_logs(context: BundleContext) -> list[BundleLine]:
    """Partner incident logs at the premises: same postcode, or within AT_PREMISES_M metres."""
    return [
        BundleLine(
            occurred_at=i.occurred_at,
            source=f"Incident log: {i.source}",
            reference=i.reference,
            summary=i.type,
        )
        for i in incidents_near(context, AT_PREMISES_M)
    ]


def _aware_bounds(start: datetime.date, end: datetime.date):
    """The period as aware datetimes: from the start of `start` to the end of `end` (UK time)."""
    zone = timezone.get_default_timezone()
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone),
    )
