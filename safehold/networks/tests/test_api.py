"""The network's API (/api/v1/networks/): the same read gate, filters, analyses and services as
the pages, every answer audited with channel api. Each "must not see" has its positive control:
the owner makes the same call and sees it. The shared access and leak tests (core/tests) run
every operation too, from `access.py`."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.networks import services
from safehold.networks.analysis import Network
from safehold.networks.graph import Graph
from safehold.networks.models import NetworkLink
from safehold.networks.network_views import analysis_rows
from safehold.networks.selectors import visible_graph
from safehold.networks.tests.factories import (
    FourPActionFactory,
    NetworkEventFactory,
    NetworkObjectFactory,
    OCGMemberFactory,
    OCGPremisesFactory,
    OrganisedCrimeGroupFactory,
    link,
)
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db
INTELLIGENCE = ["identity", "police_intelligence"]
NETWORK = reverse("api:network")
ANALYSIS = reverse("api:network-analysis")
LINKS = reverse("api:network-links")
GROUPS = reverse("api:network-group-list")


def _group_url(ocg) -> str:
    return reverse("api:network-group-detail", args=[ocg.pk])


def _ids(answer) -> set[str]:
    return {e["id"] for e in answer["entities"]}


def _last_event() -> AuditEvent:
    return AuditEvent.objects.filter(action=Action.CONSULT).latest("id")


@pytest.fixture
def bearer(db):
    """`bearer(user)`: the headers of a call with a token issued to the user."""
    from safehold.api import services as api_services

    def make(user) -> dict[str, str]:
        _, key = api_services.create_token(user=user, name="Partner system", by=None)
        return {"Authorization": f"Bearer {key}"}

    return make


@pytest.fixture
def stranger(db):
    return UserFactory(role=Role.CASEWORKER, agency=AgencyFactory())


@pytest.fixture
def partial(police, phone_at_two_places):
    """The partial case: a partner sharing police intelligence sees the police's phone and its
    own person who uses it, not the police's places (its gate for places is its own)."""
    partner = UserFactory(role=Role.CASEWORKER)
    AgreementFactory(parties=[police.agency, partner.agency], data_categories=INTELLIGENCE)
    theirs = PersonFactory(owning_agency=partner.agency, family_name="Partnerown")
    uses = link(theirs, phone_at_two_places["phone"], type="uses_phone", agency=partner.agency)
    return {"partner": partner, "person": theirs, "uses": uses, **phone_at_two_places}


# The network.


def test_the_owner_gets_its_network_and_another_agency_none(client, police, phone_at_two_places):
    n = phone_at_two_places
    client.force_login(police)
    answer = client.get(NETWORK).json()
    assert _ids(answer) == {
        n["phone"].entity_id, f"location:{n['first'].pk}", f"location:{n['second'].pk}",
        f"ocg:{n['group'].pk}",
    }  # fmt: skip
    assert sorted(k["type"] for k in answer["links"]) == ["linked_to", "seen_at", "seen_at"]
    graded = next(k for k in answer["links"] if k["attributes"].get("grading"))
    assert graded["attributes"] == {"source": "INT-2026-0004", "grading": "B2P"}
    assert answer["around"] is None
    client.force_login(UserFactory(role=Role.CASEWORKER, agency=AgencyFactory()))
    assert client.get(NETWORK).json() == {"around": None, "entities": [], "links": []}


def test_around_a_hidden_entity_is_empty_like_a_missing_one(client, police, phone_at_two_places):
    around = phone_at_two_places["phone"].entity_id
    client.force_login(UserFactory(role=Role.CASEWORKER, agency=AgencyFactory()))
    hidden = client.get(NETWORK, {"around": around}).json()
    missing = client.get(NETWORK, {"around": "object:00000000-0000-0000-0000-000000000000"})
    assert hidden == missing.json() == {"around": None, "entities": [], "links": []}
    client.force_login(police)  # the positive control, on the same URL
    answer = client.get(NETWORK, {"around": around}).json()
    assert answer["around"]["label"] == "07700 900123"
    assert len(answer["entities"]) == 4


@pytest.mark.parametrize(
    "query",
    [
        {"steps": 1},
        {"steps": 2},
        {"steps": 1, "types": ["seen_at"]},
        {"steps": 3, "types": ["linked_to", "seen_at"]},
        {"steps": 2, "start": "2026-01-01", "end": "2026-12-31"},
    ],
)
def test_around_steps_and_filters_answer_what_the_chart_page_shows(
    client, police, phone_at_two_places, query
):
    """The same parameters give the chart page's network: one filter, not two."""
    n = phone_at_two_places
    link(n["phone"], n["first"], type="visited", date_from=datetime.date(2025, 6, 1))
    query = {"around": f"ocg:{n['group'].pk}", **query}
    client.force_login(police)
    chart = client.get(reverse("networks:chart"), query).context["chart"].graph
    answer = client.get(NETWORK, query).json()
    assert _ids(answer) == {e.id for e in chart.entities}
    assert {k["id"] for k in answer["links"]} == {k.id for k in chart.links}
    assert answer["around"]["id"] == query["around"]


def test_bad_parameters_are_400_naming_them(client, police):
    client.force_login(police)
    response = client.get(NETWORK, {"steps": 99, "types": ["nonsense"]})
    assert response.status_code == 400
    assert set(response.json()) == {"steps", "types"}
    late = client.get(NETWORK, {"start": "2026-02-01", "end": "2026-01-01"})
    assert late.status_code == 400 and "end" in late.json()


def test_a_role_that_does_not_see_the_network_is_refused(client, police, phone_at_two_places):
    client.force_login(UserFactory(role=Role.REFERRER, agency=police.agency))
    for url in (NETWORK, ANALYSIS, GROUPS):
        assert client.get(url).status_code == 403
    client.force_login(police)
    assert all(client.get(url).status_code == 200 for url in (NETWORK, ANALYSIS, GROUPS))


def test_the_network_is_audited_naming_what_it_returned(client, police, phone_at_two_places):
    person = PersonFactory(owning_agency=police.agency)
    link(person, phone_at_two_places["phone"], type="uses_phone")
    client.force_login(police)
    client.get(NETWORK)
    event = _last_event()
    assert event.channel == Channel.API and event.purpose == "network"
    assert event.subject_ids == str(person.pk)
    assert str(phone_at_two_places["second"].pk) in event.object_ids
    assert str(phone_at_two_places["phone"].pk) in event.object_ids


def test_a_bearer_token_reads_the_network_as_its_user(client, bearer, police, phone_at_two_places):
    answer = client.get(NETWORK, headers=bearer(police))
    assert answer.status_code == 200 and len(answer.json()["entities"]) == 4
    stranger_token = bearer(UserFactory(role=Role.CASEWORKER, agency=AgencyFactory()))
    assert client.get(NETWORK, headers=stranger_token).json()["entities"] == []


# The partial case: a person visible, the link's other end not.


def test_the_partial_case_shows_the_link_to_what_is_visible_only(client, police, partial):
    person, phone = f"person:{partial['person'].pk}", partial["phone"].entity_id
    place = f"location:{partial['second'].pk}"
    client.force_login(partial["partner"])
    answer = client.get(NETWORK).json()
    assert person in _ids(answer) and phone in _ids(answer)
    assert place not in _ids(answer) and "9 Birch Walk" not in str(answer)
    assert {k["id"] for k in answer["links"]} == {f"link:{partial['uses'].pk}"}
    client.force_login(police)  # the positive control: the police see the place and its link
    answer = client.get(NETWORK).json()
    assert place in _ids(answer) and "9 Birch Walk" in str(answer)
    assert person not in _ids(answer)  # the partner's person is the partner's


def _degree(client, entity_id):
    rows = client.get(ANALYSIS, {"measure": "degree"}).json()["rows"]
    return next((r["value"] for r in rows if r["entity"]["id"] == entity_id), None)


def test_the_partial_case_counts_only_visible_links(client, police, partial):
    phone = partial["phone"].entity_id
    client.force_login(partial["partner"])
    assert _degree(client, phone) == 1  # its own person; not the two places it cannot see
    client.force_login(police)
    assert _degree(client, phone) == 2  # the two places (the partner's person is not theirs)


def test_the_partial_case_has_no_path_through_what_is_hidden(client, police, partial):
    query = {"measure": "path", "from": f"person:{partial['person'].pk}",
             "to": f"location:{partial['first'].pk}"}  # fmt: skip
    client.force_login(partial["partner"])
    path = client.get(ANALYSIS, query).json()["path"]
    assert path["found"] is False and path["entities"] == [] and path["end"] is None
    assert path["start"]["label"] == partial["person"].full_name
    # The positive control: the police, from the phone they see, reach the same place.
    client.force_login(police)
    query["from"] = partial["phone"].entity_id
    path = client.get(ANALYSIS, query).json()["path"]
    assert path["found"] is True and path["length"] == 1
    assert [e["id"] for e in path["entities"]] == [query["from"], query["to"]]
    assert [k["type"] for k in path["links"]] == ["seen_at"]


# The analyses.


@pytest.mark.parametrize("measure", ["degree", "betweenness", "components", "communities"])
def test_each_measure_is_the_analysis_pages_over_the_visible_network(
    client, police, phone_at_two_places, measure
):
    client.force_login(police)
    answer = client.get(ANALYSIS, {"measure": measure}).json()
    expected = analysis_rows(visible_graph(police), measure)
    assert [(r["entity"]["id"], r["value"]) for r in answer["rows"]] == [
        (e.id, value) for e, value in expected
    ]
    assert answer["entities"] == 4 and answer["links"] == 3
    assert answer["path"] is None and answer["shared"] == []
    event = _last_event()
    assert event.purpose == f"network analysis: {measure}" and event.channel == Channel.API
    assert str(phone_at_two_places["first"].pk) in event.object_ids


def test_the_analyses_of_another_agency_are_empty(client, stranger, police, phone_at_two_places):
    client.force_login(stranger)
    for measure in ("degree", "components", "shared"):
        answer = client.get(ANALYSIS, {"measure": measure}).json()
        assert answer["entities"] == answer["links"] == 0
        assert answer["rows"] == answer["shared"] == []
    client.force_login(police)
    assert client.get(ANALYSIS, {"measure": "shared"}).json()["shared"] != []


def test_shared_objects_name_the_phone_and_both_places(client, police, phone_at_two_places):
    client.force_login(police)
    shared = client.get(ANALYSIS, {"measure": "shared"}).json()["shared"]
    assert len(shared) == 1
    assert shared[0]["object"]["label"] == "07700 900123"
    labels = [p["location"]["label"] for p in shared[0]["places"]]
    assert len(labels) == 2 and any("4 Alder Court" in label for label in labels)
    assert all(p["direct"] for p in shared[0]["places"])
    event = _last_event()
    assert str(phone_at_two_places["second"].pk) in event.object_ids


@pytest.mark.parametrize("measure", ["degree", "betweenness", "components", "communities",
                                     "shared", "path"])  # fmt: skip
def test_no_analysis_shows_another_agency_or_a_partner_what_it_may_not_see(
    client, police, phone_at_two_places, measure
):
    """The analyses' row of the leak matrix, every measure (the shared matrix asks for the
    default one): the police's person and places are in no answer of any role of an unrelated
    agency, nor of a partner sharing police intelligence (which sees the phone, not the police's
    people and places); the police's caseworker sees them on the same call."""
    n = phone_at_two_places
    person = PersonFactory(owning_agency=police.agency, family_name="Qleakname")
    link(person, n["phone"], type="uses_phone")
    link(person, n["second"], type="lives_at")  # so the shared phone's answer names them too
    query = {"measure": measure, "from": f"person:{person.pk}", "to": f"location:{n['second'].pk}"}
    secrets = ("Qleakname", "9 Birch Walk", "4 Alder Court")
    partner_agency = AgencyFactory()
    AgreementFactory(parties=[police.agency, partner_agency], data_categories=INTELLIGENCE)
    for agency in (AgencyFactory(), partner_agency):
        for role in Role:
            client.force_login(UserFactory(agency=agency, role=role))
            response = client.get(ANALYSIS, query)
            assert response.status_code in (200, 403), (role, response.status_code)
            assert not any(s in response.content.decode() for s in secrets), (agency, role)
    client.force_login(police)  # the positive control
    answer = client.get(ANALYSIS, query).content.decode()
    assert all(s in answer for s in secrets[:2])


def test_a_path_needs_both_ends(client, police):
    client.force_login(police)
    response = client.get(ANALYSIS, {"measure": "path", "from": "person:x"})
    assert response.status_code == 400 and set(response.json()) == {"to"}


# The groups.


@pytest.fixture
def profiled(police, phone_at_two_places):
    """The police's group with a member, its premises, a threat assessment and a 4P action."""
    group = phone_at_two_places["group"]
    member = OCGMemberFactory(ocg=group, person__family_name="Membername")
    services.assess_threat(
        ocg=group, harm=3, harm_reason="Violence", capability=2, capability_reason="Phones",
        intent=2, intent_reason="Expanding", by=police,
    )  # fmt: skip
    FourPActionFactory(ocg=group, description="Warrant at the premises")
    return {"group": group, "member": member, **phone_at_two_places}


def test_the_group_profile_gives_the_owner_members_premises_threat_and_plan(
    client, police, profiled
):
    client.force_login(police)
    answer = client.get(_group_url(profiled["group"])).json()
    assert answer["name"] == "Alder Crew"
    assert [m["name"] for m in answer["members"]] == [profiled["member"].person.full_name]
    assert answer["members"][0]["entity_id"] == f"person:{profiled['member'].person_id}"
    assert answer["hidden_members"] == answer["hidden_premises"] == 0
    assert "4 Alder Court" in answer["premises"][0]["address"]
    threat = answer["threat_assessment"]
    assert (threat["harm"], threat["band"], threat["harm_reason"]) == (3, "high", "Violence")
    assert answer["threat_band"] == "high" and answer["current_members"] == 1
    assert [a["description"] for a in answer["actions"]] == ["Warrant at the premises"]
    assert answer["history"][0]["what"].startswith("Threat assessed")
    event = _last_event()
    assert event.purpose == "OCG profile" and event.channel == Channel.API
    assert event.subject_ids == str(profiled["member"].person_id)
    assert str(profiled["first"].pk) in event.object_ids


def test_a_group_another_agency_may_not_see_is_404_and_denied(client, stranger, police, profiled):
    url = _group_url(profiled["group"])
    client.force_login(stranger)
    response = client.get(url)
    assert response.status_code == 404 and "Alder" not in response.content.decode()
    assert AuditEvent.objects.filter(
        action=Action.ACCESS_DENIED, object_ids__contains=str(profiled["group"].pk)
    ).exists()
    assert "Alder Crew" not in client.get(GROUPS).content.decode()
    client.force_login(police)  # the positive control
    assert client.get(url).status_code == 200
    assert "Alder Crew" in client.get(GROUPS).content.decode()


def test_a_partner_sees_the_group_but_members_and_premises_only_as_its_gates_allow(
    client, police, profiled
):
    partner = UserFactory(role=Role.CASEWORKER)
    AgreementFactory(parties=[police.agency, partner.agency], data_categories=INTELLIGENCE)
    client.force_login(partner)
    answer = client.get(_group_url(profiled["group"])).json()
    assert answer["members"] == [] and answer["hidden_members"] == 1
    assert answer["premises"] == [] and answer["hidden_premises"] == 1
    assert "Membername" not in str(answer) and "Alder Court" not in str(answer)
    client.force_login(police)  # the positive control
    assert "Membername" in str(client.get(_group_url(profiled["group"])).json())


def test_the_group_list_counts_members_and_names_none(client, police, profiled):
    client.force_login(police)
    answer = client.get(GROUPS).json()
    assert answer["count"] == 1
    (row,) = answer["results"]
    assert (row["name"], row["current_members"], row["threat_band"]) == ("Alder Crew", 1, "high")
    assert "Membername" not in str(answer)
    event = _last_event()
    assert str(profiled["group"].pk) in event.object_ids and event.channel == Channel.API


# Recording a link.


def test_a_link_is_recorded_and_then_in_the_network(client, police, phone_at_two_places):
    person = PersonFactory(owning_agency=police.agency)
    client.force_login(police)
    response = client.post(LINKS, {
        "end_a": f"person:{person.pk}", "end_b": phone_at_two_places["phone"].entity_id,
        "type": "uses_phone", "date_from": "2026-02-01", "source_reference": "INT-2026-0009",
        "grading": "b2 p",
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["type"] == "uses_phone" and made["attributes"]["grading"] == "B2P"
    assert made["id"] in {k["id"] for k in client.get(NETWORK).json()["links"]}
    recorded = AuditEvent.objects.filter(action=Action.COLLECT).latest("id")
    assert recorded.channel == Channel.API and recorded.subject_ids == str(person.pk)


def test_a_link_to_what_the_caller_may_not_see_is_404_and_nothing_is_recorded(
    client, stranger, police, phone_at_two_places
):
    theirs = PersonFactory(owning_agency=stranger.agency)
    body = {"end_a": f"person:{theirs.pk}", "end_b": phone_at_two_places["phone"].entity_id,
            "type": "uses_phone"}  # fmt: skip
    client.force_login(stranger)
    response = client.post(LINKS, body, content_type="application/json")
    assert response.status_code == 404
    assert NetworkLink.objects.filter(end_a_id=theirs.pk).count() == 0
    # The positive control: a link between two records the caller sees is recorded.
    mine = NetworkObjectFactory(owning_agency=stranger.agency)
    body["end_b"] = mine.entity_id
    assert client.post(LINKS, body, content_type="application/json").status_code == 201


def test_bad_links_are_400_and_a_role_that_does_not_record_is_refused(
    client, police, phone_at_two_places
):
    client.force_login(police)
    phone = phone_at_two_places["phone"].entity_id
    bad = client.post(LINKS, {"end_a": phone, "end_b": phone, "type": "owns"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "non_field_errors" in bad.json()
    wrong = client.post(LINKS, {"end_a": phone, "type": "knows"}, content_type="application/json")
    assert wrong.status_code == 400 and set(wrong.json()) == {"end_b", "type"}
    client.force_login(UserFactory(role=Role.IG_OFFICER, agency=police.agency))
    place = f"location:{phone_at_two_places['first'].pk}"
    refused = client.post(LINKS, {"end_a": phone, "end_b": place, "type": "seen_at"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403


# Query counts: fixed, whatever the size of the network.


def _grow(agency, size):
    for _ in range(size):
        person, place = PersonFactory(owning_agency=agency), LocationFactory(owning_agency=agency)
        phone = NetworkObjectFactory(owning_agency=agency)
        ocg = OrganisedCrimeGroupFactory(owning_agency=agency)
        OCGMemberFactory(ocg=ocg, person=person)
        OCGPremisesFactory(ocg=ocg, location=place)
        FourPActionFactory(ocg=ocg)
        NetworkEventFactory(owning_agency=agency, location=place)
        link(person, phone, type="uses_phone")
        link(phone, place, type="seen_at")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"steps": 2},
        {"measure": "degree"},
        {"measure": "shared"},
        {"measure": "path"},
        {"group": True},
    ],
    ids=["network", "around", "degree", "shared", "path", "groups"],
)
def test_the_query_count_does_not_grow_with_the_network(
    client, police, django_assert_num_queries, query
):
    client.force_login(police)
    _grow(police.agency, 2)

    def call():
        visible = visible_graph(police)
        first = next(e.id for e in visible.entities if e.type == "phone")
        last = next(e.id for e in visible.entities if e.type == "ocg")
        if "group" in query:
            return client.get(GROUPS)
        if "measure" in query:
            return client.get(ANALYSIS, {**query, "from": first, "to": last})
        return client.get(NETWORK, {**query, "around": first} if query else {})

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert call().status_code == 200
        return len(queries)

    few = count()  # the test's own visible_graph (9 queries) included, both times
    _grow(police.agency, 12)
    with django_assert_num_queries(few):
        assert call().status_code == 200


def test_the_group_profiles_query_count_does_not_grow(client, police, django_assert_num_queries):
    group = OrganisedCrimeGroupFactory(owning_agency=police.agency)
    client.force_login(police)

    def add(n):
        for _ in range(n):
            OCGMemberFactory(ocg=group)
            OCGPremisesFactory(ocg=group)
            FourPActionFactory(ocg=group)
            services.assess_threat(
                ocg=group, harm=1, harm_reason="r", capability=1, capability_reason="r",
                intent=1, intent_reason="r", by=police,
            )  # fmt: skip

    add(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(_group_url(group)).status_code == 200
    add(10)
    with django_assert_num_queries(len(queries)):
        answer = client.get(_group_url(group)).json()
    assert len(answer["members"]) == 11 and len(answer["actions"]) == 11


# A property: whatever is shared with whom, no path and no count the API answers goes through
# an entity the user may not see.

worlds = st.fixed_dictionaries(
    {
        "shares": st.booleans(),
        "people": st.lists(st.integers(0, 1), min_size=1, max_size=4),  # owner of each
        "links": st.lists(
            st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 1)), max_size=12
        ),
        "ends": st.tuples(st.integers(0, 7), st.integers(0, 7)),
    }
)


def _expected(may_see: set[str], edges: set[tuple[str, str]]) -> Network:
    """The network made of what the user may see only, built here from the world itself."""
    from safehold.networks.graph import Entity, Link

    entities = [Entity(e, e.partition(":")[0], e) for e in sorted(may_see)]
    links = [Link(f"{a}-{b}", a, b, "linked_to") for a, b in sorted(edges)]
    return Network.from_graph(Graph.of(entities, links))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=worlds)
def test_no_path_or_count_the_api_answers_goes_through_what_the_user_may_not_see(client, world):
    agencies = [AgencyFactory(), AgencyFactory()]
    viewer = UserFactory(role=Role.CASEWORKER, agency=agencies[0])
    if world["shares"]:
        AgreementFactory(parties=agencies, data_categories=INTELLIGENCE)
    people = [PersonFactory(owning_agency=agencies[o]) for o in world["people"]]
    phones = [NetworkObjectFactory(owning_agency=agencies[i % 2]) for i in range(4)]
    records = people + phones
    entity = [
        f"person:{r.pk}" if r in people else r.entity_id for r in records
    ]  # index -> entity id
    links = []
    for a, b, owner in world["links"]:
        first, second = a % len(records), b % len(records)
        if first != second:
            links.append((link(records[first], records[second], agency=agencies[owner]), owner))
    seen = {0} | ({1} if world["shares"] else set())
    may_see = {entity[i] for i, p in enumerate(people) if p.owning_agency_id == agencies[0].pk}
    may_see |= {entity[len(people) + i] for i, p in enumerate(phones) if i % 2 in seen}
    edges = {
        tuple(sorted((k.end_a, k.end_b))) for k, owner in links
        if owner in seen and k.end_a in may_see and k.end_b in may_see
    }  # fmt: skip
    # People are in the network only as ends of the links the user sees as records.
    ends = {e for k, owner in links if owner in seen for e in (k.end_a, k.end_b)}
    may_see = {e for e in may_see if e.startswith("object:") or e in ends}
    expected = _expected(may_see, edges)
    client.force_login(viewer)

    for measure in ("degree", "components"):
        rows = client.get(ANALYSIS, {"measure": measure}).json()["rows"]
        assert {r["entity"]["id"] for r in rows} == may_see
        if measure == "degree":
            assert {r["entity"]["id"]: r["value"] for r in rows} == dict(expected.degree())
        else:  # the same partition: two entities share a component exactly when expected
            got = {r["entity"]["id"]: r["value"] for r in rows}
            want = dict(expected.components())
            assert {(a, b) for a in got for b in got if got[a] == got[b]} == {
                (a, b) for a in want for b in want if want[a] == want[b]
            }
    start, end = (entity[i % len(records)] for i in world["ends"])
    path = client.get(ANALYSIS, {"measure": "path", "from": start, "to": end}).json()["path"]
    assert {e["id"] for e in path["entities"]} <= may_see
    for k in path["links"]:
        assert (min(k["source"], k["target"]), max(k["source"], k["target"])) in edges
    if start in may_see and end in may_see:
        distance = expected.distance(start, end)
        assert path["found"] == (distance is not None)
        assert path["length"] == distance
    else:  # an end the user may not see: no path, and the hidden end is not named
        assert path["found"] is False and path["entities"] == []
        assert (path["start"] is None) == (start not in may_see)
        assert (path["end"] is None) == (end not in may_see)
    network = client.get(NETWORK).json()
    assert _ids(network) == may_see
