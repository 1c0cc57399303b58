import datetime

import factory
from django.utils import timezone

from safehold.accounts.tests.factories import AgencyFactory, TeamFactory
from safehold.cases.choices import ExploitationType, ReferralStatus
from safehold.cases.models import Case, Programme, Referral
from safehold.people.tests.factories import PersonFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Exploitation project {n}")
    lead_agency = factory.SubFactory(AgencyFactory)
    triage_team = factory.SubFactory(TeamFactory, agency=factory.SelfAttribute("..lead_agency"))
    asb_team = factory.SubFactory(TeamFactory, agency=factory.SelfAttribute("..lead_agency"))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    programme = factory.SubFactory(ProgrammeFactory)
    owning_agency = factory.SelfAttribute("programme.lead_agency")
    reference = factory.Sequence(lambda n: f"EXP-2023-{n + 1:04d}")
    referral_date = datetime.date(2023, 1, 15)
    subject = factory.SubFactory(
        PersonFactory, owning_agency=factory.SelfAttribute("..owning_agency")
    )
    exploitation_type = ExploitationType.CUCKOOING


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    programme = factory.SubFactory(ProgrammeFactory)
    reference = factory.Sequence(lambda n: f"REF-1999-{n + 1:04d}")
    status = ReferralStatus.SUBMITTED
    referrer = None
    # The referrer's own agency when a referrer is given, as the referral page records it.
    referrer_agency = factory.LazyAttribute(
        lambda o: o.referrer.agency if o.referrer else AgencyFactory()
    )
    subject_known = True
    subject_given_name = factory.Faker("first_name", locale="en_GB")
    subject_family_name = factory.Faker("last_name", locale="en_GB")
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    postcode = "SK5 7AA"
    what_was_seen = "People coming and going at night."
    suspected_types = [ExploitationType.CUCKOOING]
    urgency = "urgent"
    consent = "not_known"
    submitted_at = factory.LazyFunction(timezone.now)
