"""The network's read gate: `visible_graph` returns only what the user may see, a link only when
it and both its ends are visible, in a fixed number of queries. Each "must not see" has its
positive control: the owner makes the same call and sees it."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.networks.selectors import consulted, visible_graph
from safehold.networks.tests.factories import (
    NetworkEventFactory,
    NetworkObjectFactory,
    OCGMemberFactory,
    OCGPremisesFactory,
    OrganisedCrimeGroupFactory,
    link,
)
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.tests.factories import AgreementFactory

INTELLIGENCE = ["identity", "police_intelligence"]


def ids(network):
    return {e.id for e in network.entities}


def link_ids(network):
    return {k.id for k in network.links}


@pytest.fixture
def police(db):
    return UserFactory(role=Role.CASEWORKER, agency=AgencyFactory(name="Greater Manchester Police"))


@pytest.fixture
def phone_network(police):
    """The police's network: a person using a phone seen at a place, a group with the person as
    member and the place as premises, and a seizure at the place."""
    agency = police.agency
    person = PersonFactory(owning_agency=agency)
    place = LocationFactory(owning_agency=agency)
    phone = NetworkObjectFactory(owning_agency=agency)
    ocg = OrganisedCrimeGroupFactory(owning_agency=agency)
    OCGMemberFactory(ocg=ocg, person=person)
    OCGPremisesFactory(ocg=ocg, location=place)
    seizure = NetworkEventFactory(owning_agency=agency, location=place)
    uses = link(person, phone, type="uses_phone", source_reference="INT-2026-0004", grading="B2P")
    seen = link(phone, place, type="seen_at", date_from=datetime.date(2026, 2, 1))
    return {
        "person": person, "place": place, "phone": phone, "ocg": ocg, "seizure": seizure,
        "uses": uses, "seen": seen,
    }  # fmt: skip


def test_the_owner_sees_every_entity_and_link_of_its_network(police, phone_network):
    network = visible_graph(police)
    n = phone_network
    assert ids(network) == {
        f"person:{n['person'].pk}", f"location:{n['place'].pk}", f"object:{n['phone'].pk}",
        f"ocg:{n['ocg'].pk}", f"event:{n['seizure'].pk}",
    }  # fmt: skip
    types = sorted(k.type for k in network.links)
    assert types == ["linked_to", "member_of", "occurred_at", "seen_at", "uses_phone"]
    uses = next(k for k in network.links if k.type == "uses_phone")
    assert uses.attributes == {"source": "INT-2026-0004", "grading": "B2P"}
    assert network.entity(f"object:{n['phone'].pk}").type == "phone"


def test_another_agency_sees_nothing_of_it_and_the_owner_does(police, phone_network):
    outsider = UserFactory(role=Role.CASEWORKER)
    assert visible_graph(outsider).entities == ()
    assert len(visible_graph(police).entities) == 5  # the positive control


def test_a_partner_sharing_police_intelligence_sees_the_records_but_people_only_as_shared(
    police, phone_network
):
    partner = UserFactory(role=Role.CASEWORKER)
    AgreementFactory(parties=[police.agency, partner.agency], data_categories=INTELLIGENCE)
    network = visible_graph(partner)
    n = phone_network
    # The phone, the group and the event, not the police's person and place (their own gates).
    assert ids(network) == {
        f"object:{n['phone'].pk}",
        f"ocg:{n['ocg'].pk}",
        f"event:{n['seizure'].pk}",
    }
    assert network.links == ()


def test_an_agreement_without_police_intelligence_or_lapsed_shares_nothing(police, phone_network):
    casework, lapsed = UserFactory(role=Role.CASEWORKER), UserFactory(role=Role.CASEWORKER)
    AgreementFactory(parties=[police.agency, casework.agency])  # identity and casework only
    AgreementFactory(
        parties=[police.agency, lapsed.agency], data_categories=INTELLIGENCE,
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1),
    )  # fmt: skip
    assert visible_graph(casework).entities == ()
    assert visible_graph(lapsed).entities == ()


def test_a_link_whose_other_end_is_not_visible_is_absent(police, phone_network):
    """The partial case: the partner sees its own person and the police's phone, not the
    police's place; the phone-to-place link is absent, its own person's link present."""
    partner = UserFactory(role=Role.CASEWORKER)
    AgreementFactory(parties=[police.agency, partner.agency], data_categories=INTELLIGENCE)
    theirs = PersonFactory(owning_agency=partner.agency)
    n = phone_network
    own_link = link(theirs, n["phone"], type="uses_phone", agency=partner.agency)
    network = visible_graph(partner)
    assert f"person:{theirs.pk}" in ids(network)
    assert f"location:{n['place'].pk}" not in ids(network)
    assert link_ids(network) == {f"link:{own_link.pk}"}
    # The positive control: the police see the phone-to-place link on the same call.
    assert f"link:{n['seen'].pk}" in link_ids(visible_graph(police))


def test_a_link_itself_not_shared_is_absent_even_when_both_ends_are_visible(police, phone_network):
    """Another agency's link between two records the user sees is its knowledge, not theirs;
    the user's own link between the same two is shown (the positive control)."""
    n = phone_network
    hidden = link(n["person"], n["place"], type="lives_at", agency=AgencyFactory())
    own = link(n["person"], n["place"], type="lives_at", agency=police.agency)
    network = link_ids(visible_graph(police))
    assert f"link:{hidden.pk}" not in network
    assert f"link:{own.pk}" in network


def test_an_analyst_sees_the_objects_and_groups_but_no_people(police, phone_network):
    analyst = UserFactory(role=Role.ANALYST, agency=police.agency)
    network = visible_graph(analyst)
    assert not any(e.type in ("person", "location") for e in network.entities)
    assert f"ocg:{phone_network['ocg'].pk}" in ids(network)


def test_a_role_that_may_not_see_the_network_sees_nothing(police, phone_network):
    referrer = UserFactory(role=Role.REFERRER, agency=police.agency)
    assert visible_graph(referrer).entities == ()


def test_around_an_entity_gives_its_neighbourhood_to_n_steps(police, phone_network):
    n = phone_network
    phone = f"object:{n['phone'].pk}"
    one = visible_graph(police, around=phone, steps=1)
    assert ids(one) == {phone, f"person:{n['person'].pk}", f"location:{n['place'].pk}"}
    assert {k.type for k in one.links} == {"uses_phone", "seen_at"}
    assert ids(visible_graph(police, around=phone)) == ids(visible_graph(police))
    assert ids(visible_graph(police, around=phone, steps=0)) == {phone}


def test_around_an_entity_the_user_may_not_see_is_empty(police, phone_network):
    outsider = UserFactory(role=Role.CASEWORKER)
    phone = f"object:{phone_network['phone'].pk}"
    assert visible_graph(outsider, around=phone, steps=2).entities == ()
    assert visible_graph(police, around=phone, steps=2).entities != ()  # the control


def test_consulted_names_people_as_subjects_and_the_rest_as_objects(police, phone_network):
    subjects, objects = consulted(visible_graph(police))
    assert subjects == [str(phone_network["person"].pk)]
    assert str(phone_network["phone"].pk) in objects


def _grow(agency, size):
    for _ in range(size):
        person, place = PersonFactory(owning_agency=agency), LocationFactory(owning_agency=agency)
        phone = NetworkObjectFactory(owning_agency=agency)
        ocg = OrganisedCrimeGroupFactory(owning_agency=agency)
        OCGMemberFactory(ocg=ocg, person=person)
        OCGPremisesFactory(ocg=ocg, location=place)
        NetworkEventFactory(owning_agency=agency, location=place)
        link(person, phone, type="uses_phone")
        link(phone, place, type="seen_at")


def test_the_query_count_does_not_grow_with_the_network(police, django_assert_num_queries):
    _grow(police.agency, 2)
    with django_assert_num_queries(9):
        small = visible_graph(police)
    _grow(police.agency, 20)
    with django_assert_num_queries(9):
        large = visible_graph(police)
    assert len(large.links) == 11 * len(small.links)


# A property: whatever is shared with whom, no link ever reaches an entity the user may not see.

worlds = st.fixed_dictionaries(
    {
        "shares": st.booleans(),
        "people": st.lists(st.integers(0, 1), min_size=1, max_size=4),  # owner of each
        "links": st.lists(
            st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 1)), max_size=10
        ),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=worlds)
def test_no_link_or_entity_outside_what_the_user_may_see_is_ever_returned(db, world):
    agencies = [AgencyFactory(), AgencyFactory()]
    viewer = UserFactory(role=Role.CASEWORKER, agency=agencies[0])
    if world["shares"]:
        AgreementFactory(parties=agencies, data_categories=INTELLIGENCE)
    people = [PersonFactory(owning_agency=agencies[o]) for o in world["people"]]
    phones = [NetworkObjectFactory(owning_agency=agencies[i % 2]) for i in range(4)]
    records = people + phones
    links = []
    for a, b, owner in world["links"]:
        first, second = records[a % len(records)], records[b % len(records)]
        if first != second:
            links.append(link(first, second, type="linked_to", agency=agencies[owner]))
    seen_agencies = {agencies[0].pk} | ({agencies[1].pk} if world["shares"] else set())
    may_see = {f"person:{p.pk}" for p in people if p.owning_agency_id == agencies[0].pk}
    may_see |= {f"object:{p.pk}" for p in phones if p.owning_agency_id in seen_agencies}
    expected_links = {
        f"link:{k.pk}" for k in links
        if k.owning_agency_id in seen_agencies and k.end_a in may_see and k.end_b in may_see
    }  # fmt: skip
    network = visible_graph(viewer)
    # People come in as ends of the links the user sees as records (a person of one's own
    # linked to a phone one may not see is still one's own person; the link is not shown).
    ends = {e for k in links if k.owning_agency_id in seen_agencies for e in (k.end_a, k.end_b)}
    shown_people = {e for e in may_see if e.startswith("person:") and e in ends}
    assert ids(network) == {e for e in may_see if e.startswith("object:")} | shown_people
    assert link_ids(network) == expected_links
    for k in network.links:
        assert k.source in may_see and k.target in may_see
