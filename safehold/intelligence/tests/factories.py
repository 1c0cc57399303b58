import datetime

import factory
from django.utils import timezone

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.intelligence.choices import MentionKind, SourceRelationship, Status
from safehold.intelligence.models import Intelligence, Mention


class IntelligenceFactory(factory.django.DjangoModelFactory):
    """A submission as submitted (not graded), by a caseworker of its agency."""

    class Meta:
        model = Intelligence

    reference = factory.Sequence(lambda n: f"INT-2099-{n + 1:04d}")
    owning_agency = factory.SubFactory(AgencyFactory)
    submitted_by = factory.SubFactory(
        UserFactory, agency=factory.SelfAttribute("..owning_agency"), role=Role.CASEWORKER
    )
    submitted_at = factory.LazyFunction(timezone.now)
    what = "Cars calling at all hours; a man in a grey hoodie goes in and out."
    where = "Outside the block"
    occurred_on = datetime.date(2026, 3, 1)
    who = "A man called Tiny"
    source_relationship = SourceRelationship.WITNESSED
    status = Status.SUBMITTED


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    intelligence = factory.SubFactory(IntelligenceFactory)
    kind = MentionKind.PHONE
    value = "07700 900123"


def police_agency(**kwargs):
    return AgencyFactory(kind=AgencyKind.POLICE, **kwargs)


def police_analyst(agency=None, role=Role.ANALYST):
    return UserFactory(agency=agency or police_agency(), role=role)
