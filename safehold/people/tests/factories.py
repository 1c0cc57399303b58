import factory

from safehold.accounts.tests.factories import AgencyFactory
from safehold.people.models import Location, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    owning_agency = factory.SubFactory(AgencyFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    owning_agency = factory.SubFactory(AgencyFactory)
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Stockport"
    postcode = "SK1 3XE"
