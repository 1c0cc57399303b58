import datetime

import factory

from safehold.accounts.tests.factories import AgencyFactory
from safehold.operations.choices import OperationKind, Phase
from safehold.operations.models import (
    Operation,
    OperationPartner,
    OperationPremises,
    OperationResult,
    PersonOfInterest,
)


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operation

    name = factory.Sequence(lambda n: f"Operation Test {n}")
    kind = OperationKind.WARRANT
    owning_agency = factory.SubFactory(AgencyFactory)
    starts_at = datetime.datetime(2024, 6, 18, 6, 0, tzinfo=datetime.UTC)
    phase = Phase.CLEAR
    briefing = "Entry at 06:00"


class OperationPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperationPartner

    operation = factory.SubFactory(OperationFactory)
    agency = factory.SubFactory(AgencyFactory)


class OperationPremisesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperationPremises

    operation = factory.SubFactory(OperationFactory)
    location = factory.SubFactory(
        "safehold.people.tests.factories.LocationFactory",
        owning_agency=factory.SelfAttribute("..operation.owning_agency"),
    )


class PersonOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonOfInterest

    operation = factory.SubFactory(OperationFactory)
    person = factory.SubFactory(
        "safehold.people.tests.factories.PersonFactory",
        owning_agency=factory.SelfAttribute("..operation.owning_agency"),
    )


class OperationResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperationResult

    operation = factory.SubFactory(OperationFactory)
