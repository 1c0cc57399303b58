import datetime
from decimal import Decimal

import factory

from safehold.accounts.choices import Role
from safehold.people.tests.factories import LocationFactory
from safehold.reassurance import geometry
from safehold.reassurance.choices import BatchKind, VisitOutcome
from safehold.reassurance.models import (
    Batch,
    DoorVisit,
    LetterDelivery,
    LetterTemplate,
    LetterTemplateVersion,
    Property,
    PropertyList,
)

# The point of postcode SK1 1AA (Code-Point Open, shipped): test places are near it.
SK1_1AA = (389357, 390095)


def degrees(easting: float, northing: float) -> dict:
    lat, lon = geometry.to_wgs84(easting, northing)
    return {"latitude": Decimal(f"{lat:.6f}"), "longitude": Decimal(f"{lon:.6f}")}


def place_at(agency, easting: float, northing: float, **fields):
    """A place of the agency at a National Grid point."""
    return LocationFactory(owning_agency=agency, **degrees(easting, northing), **fields)


class _Worker(factory.SubFactory):
    def __init__(self, agency_path: str):
        super().__init__(
            "safehold.accounts.tests.factories.UserFactory",
            agency=factory.SelfAttribute(agency_path),
            role=Role.CASEWORKER,
        )


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    owning_agency = factory.SubFactory("safehold.accounts.tests.factories.AgencyFactory")
    name = factory.Sequence(lambda n: f"Reassurance letter {n}")


class LetterTemplateVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplateVersion

    template = factory.SubFactory(LetterTemplateFactory)
    number = 1
    body = "Dear resident at {{ address }},\n\nWe acted today. Reference {{ reference }}.\n\n{{ officer_name }}, {{ agency }}"
    saved_by = _Worker("..template.owning_agency")


class PropertyListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PropertyList

    owning_agency = factory.SubFactory("safehold.accounts.tests.factories.AgencyFactory")
    name = factory.Sequence(lambda n: f"Housing stock {n}")


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    property_list = factory.SubFactory(PropertyListFactory)
    uprn = factory.Sequence(lambda n: f"{100012000000 + n}")
    address_line_1 = factory.Sequence(lambda n: f"{n + 1} Test Street")
    town = "Stockport"
    postcode = "SK1 1AA"
    easting = SK1_1AA[0] + 40
    northing = SK1_1AA[1]
    latitude = factory.LazyAttribute(lambda o: degrees(o.easting, o.northing)["latitude"])
    longitude = factory.LazyAttribute(lambda o: degrees(o.easting, o.northing)["longitude"])


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    owning_agency = factory.SubFactory("safehold.accounts.tests.factories.AgencyFactory")
    reference = factory.Sequence(lambda n: f"RL-2026-{n + 1:04d}")
    kind = BatchKind.LETTERS
    premises = factory.LazyAttribute(lambda o: place_at(o.owning_agency, *SK1_1AA))
    purpose = "Reassurance after a warrant"
    template_version = factory.SubFactory(
        LetterTemplateVersionFactory,
        template__owning_agency=factory.SelfAttribute("...owning_agency"),
    )
    officer_name = "PC Test Officer"
    created_by = _Worker("..owning_agency")


class LetterDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterDelivery

    batch = factory.SubFactory(BatchFactory)
    address = factory.Sequence(lambda n: f"{n + 1} Test Street, Stockport, SK1 1AA")
    postcode = "SK1 1AA"
    street = "test street"
    position = factory.Sequence(lambda n: n + 1)
    distance_m = 40
    letter_reference = factory.LazyAttribute(lambda o: f"{o.batch.reference}-{o.position:03d}")


class DoorVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoorVisit

    delivery = factory.SubFactory(LetterDeliveryFactory)
    owning_agency = factory.SelfAttribute("delivery.batch.owning_agency")
    visited_on = datetime.date(2026, 1, 5)
    outcome = VisitOutcome.POSSIBLE_VICTIM
    recorded_by = _Worker("..owning_agency")
