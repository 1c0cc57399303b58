import factory
import pyotp
from django.utils import timezone

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.models import Agency, Team, TotpDevice, User

PASSWORD = "correct horse battery staple"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.HOUSING


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CASEWORKER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TotpDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app; `pyotp.TOTP(device.secret).now()` is a valid code."""

    class Meta:
        model = TotpDevice

    user = factory.SubFactory(UserFactory)
    secret = factory.LazyFunction(pyotp.random_base32)
    confirmed_at = factory.LazyFunction(timezone.now)
