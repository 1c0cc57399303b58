"""The read gates of reassurance work, and the addresses around a premises.

Batches, their addresses and visits are the agency's own records about a place: visible to its
people while the premises is visible to them (the place read gate). Letter templates are the
agency's own. Property lists hold addresses and no people: every agency of the partnership
plans with them (ADR 0043).
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from safehold.people.models import Location
from safehold.people.selectors import locations_visible_to
from safehold.reassurance import geometry, rules
from safehold.reassurance.models import (
    Batch,
    DoorVisit,
    LetterDelivery,
    LetterTemplate,
    LetterTemplateVersion,
    Property,
    PropertyList,
)

DEGREES_PER_METRE = 1 / 111_000  # generous: the box only narrows the query, distance decides
NEAREST_SEARCH_M = (250, 500, 1000, 2000, 5000)


def batches_visible_to(user) -> QuerySet[Batch]:
    """The user's agency's batches about premises the user may see."""
    if not rules.can_see(user):
        return Batch.objects.none()
    return Batch.objects.filter(
        owning_agency=user.agency_id, premises__in=locations_visible_to(user)
    ).select_related("premises", "owning_agency", "template_version__template", "created_by")


def deliveries_visible_to(user) -> QuerySet[LetterDelivery]:
    return LetterDelivery.objects.filter(batch__in=batches_visible_to(user)).select_related(
        "batch__premises", "batch__owning_agency", "location", "property"
    )


def visits_visible_to(user) -> QuerySet[DoorVisit]:
    return DoorVisit.objects.filter(delivery__in=deliveries_visible_to(user)).select_related(
        "delivery__batch__premises", "delivery__location", "referral", "recorded_by"
    )


def templates_visible_to(user) -> QuerySet[LetterTemplate]:
    """The user's agency's letter templates, each with its versions newest first."""
    if not rules.can_see(user):
        return LetterTemplate.objects.none()
    return LetterTemplate.objects.filter(owning_agency=user.agency_id).prefetch_related(
        Prefetch(
            "versions",
            queryset=LetterTemplateVersion.objects.select_related("saved_by").order_by("-number"),
        )
    )


def property_lists_visible_to(user) -> QuerySet[PropertyList]:
    if not rules.can_see(user):
        return PropertyList.objects.none()
    return PropertyList.objects.select_related("owning_agency")


@dataclass(frozen=True)
class Address:
    """An address near a premises: a place Safehold holds or a property of a partner's list."""

    key: str  # "location:<id>" or "property:<id>": what a picked list names
    one_line: str
    postcode: str
    easting: float
    northing: float
    latitude: float
    longitude: float
    distance_m: float
    street_key: geometry.StreetKey
    location: Location | None = None
    listed: Property | None = None  # a property of a partner's list

    @property
    def source(self) -> str:
        return "Safehold" if self.location else self.listed.property_list.name


def premises_point(premises: Location) -> tuple[float, float] | None:
    if premises.latitude is None or premises.longitude is None:
        return None
    return geometry.to_bng(premises.latitude, premises.longitude)


def addresses_within(user, premises: Location, radius_m: float) -> list[Address]:
    """Every address within `radius_m` metres of the premises (not the premises itself), from
    the places the user may see and every property list, nearest first. A property whose UPRN
    is a place's already found is that place, listed once. Three queries, whatever the rows."""
    centre = premises_point(premises)
    if centre is None:
        return []
    lat, lon = float(premises.latitude), float(premises.longitude)
    pad = radius_m * DEGREES_PER_METRE * 2
    places = locations_visible_to(user).filter(
        latitude__gte=lat - pad, latitude__lte=lat + pad,
        longitude__gte=lon - 2 * pad, longitude__lte=lon + 2 * pad,
    ).exclude(pk=premises.pk)  # fmt: skip
    found: dict[str, Address] = {}
    uprns: set[str] = set()
    for place in places:
        point = geometry.to_bng(place.latitude, place.longitude)
        distance = geometry.distance_m(centre, point)
        if distance <= radius_m:
            found[f"location:{place.pk}"] = _address(place, point, distance, location=place)
            if place.uprn:
                uprns.add(place.uprn)
    box = int(radius_m) + 1
    properties = Property.objects.filter(
        easting__gte=centre[0] - box, easting__lte=centre[0] + box,
        northing__gte=centre[1] - box, northing__lte=centre[1] + box,
    ).select_related("property_list")  # fmt: skip
    for prop in properties:
        point = (prop.easting, prop.northing)
        distance = geometry.distance_m(centre, point)
        if distance > radius_m or prop.uprn in uprns or prop.uprn == premises.uprn:
            continue
        uprns.add(prop.uprn)
        found[f"property:{prop.pk}"] = _address(prop, point, distance, listed=prop)
    return sorted(found.values(), key=lambda a: (a.distance_m, a.street_key))


def nearest(user, premises: Location, count: int) -> list[Address]:
    """The `count` addresses nearest the premises (searching out to 5 km)."""
    for radius in NEAREST_SEARCH_M:
        found = addresses_within(user, premises, radius)
        if len(found) >= count:
            break
    return found[:count]


def walking_order(addresses) -> list:
    """Addresses (or deliveries) by street, then house number as a number."""
    return sorted(addresses, key=lambda a: a.street_key)


def _address(record, point, distance, **source) -> Address:
    return Address(
        key=("location:" if "location" in source else "property:")
        + str(next(iter(source.values())).pk),
        one_line=record.one_line,
        postcode=record.postcode,
        easting=point[0],
        northing=point[1],
        latitude=float(record.latitude),
        longitude=float(record.longitude),
        distance_m=distance,
        street_key=geometry.street_key(
            record.address_line_1, record.address_line_2, record.one_line
        ),
        **source,
    )


def home_panel(user) -> dict:
    """The home page's panel: the agency's five latest batches by reference, with how many of
    their addresses are delivered (no address, no purpose: nothing personal to audit). One query."""
    if not rules.can_see(user):
        return {}
    from django.db.models import Count, Q

    latest = (
        Batch.objects.filter(owning_agency=user.agency_id, premises__in=locations_visible_to(user))
        .annotate(
            addresses=Count("deliveries"),
            delivered=Count("deliveries", filter=Q(deliveries__delivered_on__isnull=False)),
        )
        .order_by("-created_at")[:5]
    )
    return {"reassurance_batches": list(latest)}
