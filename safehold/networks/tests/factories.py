import datetime

import factory

from safehold.accounts.tests.factories import AgencyFactory
from safehold.networks.choices import (
    Activity,
    EndKind,
    EventKind,
    FourP,
    LinkType,
    MemberRole,
    ObjectKind,
    OcgStatus,
)
from safehold.networks.models import (
    FourPAction,
    NetworkEvent,
    NetworkLink,
    NetworkObject,
    ObjectHolder,
    OCGMember,
    OCGPremises,
    OrganisedCrimeGroup,
)


class NetworkObjectFactory(factory.django.DjangoModelFactory):
    """A phone held by its owning agency (its `ObjectHolder` row made with it)."""

    class Meta:
        model = NetworkObject
        skip_postgeneration_save = True

    kind = ObjectKind.PHONE
    value = factory.Sequence(lambda n: f"07700 9{n:05d}")
    normalised = factory.LazyAttribute(lambda o: "+447700" + o.value[-6:])
    owning_agency = factory.SubFactory(AgencyFactory)

    @factory.post_generation
    def held(obj, create, extracted, **kwargs):
        if create:
            ObjectHolder.objects.get_or_create(object=obj, agency=obj.owning_agency)


class NetworkEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkEvent

    kind = EventKind.SEIZURE
    date = datetime.date(2026, 3, 4)
    summary = "Phones and cash seized"
    owning_agency = factory.SubFactory(AgencyFactory)


class OrganisedCrimeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisedCrimeGroup

    name = factory.Sequence(lambda n: f"Test group {n}")
    status = OcgStatus.ACTIVE
    activities = factory.LazyFunction(lambda: [Activity.CUCKOOING, Activity.DRUG_SUPPLY])
    areas = factory.LazyFunction(lambda: ["E05000782"])
    owning_agency = factory.SubFactory(AgencyFactory)


class OCGMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OCGMember

    ocg = factory.SubFactory(OrganisedCrimeGroupFactory)
    person = factory.SubFactory(
        "safehold.people.tests.factories.PersonFactory",
        owning_agency=factory.SelfAttribute("..ocg.owning_agency"),
    )
    role = MemberRole.RUNNER


class OCGPremisesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OCGPremises

    ocg = factory.SubFactory(OrganisedCrimeGroupFactory)
    location = factory.SubFactory(
        "safehold.people.tests.factories.LocationFactory",
        owning_agency=factory.SelfAttribute("..ocg.owning_agency"),
    )
    why = "Cuckooed address"


class FourPActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FourPAction

    ocg = factory.SubFactory(OrganisedCrimeGroupFactory)
    strand = FourP.PURSUE
    description = "Warrant at the premises"
    owner_agency = factory.SelfAttribute("ocg.owning_agency")


def link(a, b, *, type=LinkType.LINKED_TO, agency=None, **fields) -> NetworkLink:
    """A link between two records (people, places, objects, events or groups), owned by
    `agency` (by default the first record's)."""

    def end(record):
        kind = {
            "person": EndKind.PERSON, "location": EndKind.LOCATION,
            "networkobject": EndKind.OBJECT, "networkevent": EndKind.EVENT,
            "organisedcrimegroup": EndKind.OCG,
        }[record._meta.model_name]  # fmt: skip
        return kind, record.pk

    (a_kind, a_id), (b_kind, b_id) = end(a), end(b)
    return NetworkLink.objects.create(
        end_a_kind=a_kind, end_a_id=a_id, end_b_kind=b_kind, end_b_id=b_id, type=type,
        owning_agency=agency or a.owning_agency, **fields,
    )  # fmt: skip
