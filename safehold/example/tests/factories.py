import datetime

import factory

from safehold.cases.tests.factories import CaseFactory
from safehold.example.choices import Outcome
from safehold.example.models import Visit


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    case = factory.SubFactory(CaseFactory)
    owning_agency = factory.SelfAttribute("case.owning_agency")
    visited_on = datetime.date(2023, 2, 1)
    outcome = Outcome.SEEN_WELL
    recorded_by = factory.SubFactory(
        "safehold.accounts.tests.factories.UserFactory",
        agency=factory.SelfAttribute("..owning_agency"),
    )
