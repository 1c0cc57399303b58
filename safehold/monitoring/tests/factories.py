import datetime

import factory
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.monitoring.models import Alert


class AlertFactory(factory.django.DjangoModelFactory):
    """An alert about a caseworker of `agency` (pass `agency=`, or `user=` and `agency=`)."""

    class Meta:
        model = Alert

    user = factory.SubFactory(
        UserFactory, agency=factory.SelfAttribute("..agency"), role=Role.CASEWORKER
    )
    agency = factory.SubFactory("safehold.accounts.tests.factories.AgencyFactory")
    window_end = factory.LazyFunction(lambda: timezone.now().replace(second=0, microsecond=0))
    window_start = factory.LazyAttribute(lambda a: a.window_end - datetime.timedelta(hours=1))
    records_viewed = 150
    threshold = 100
