"""Graded intelligence into the network in one step (`services.record_intelligence`, the page
`networks:from-intelligence`), and what the police intelligence role sees of people and places
in the network (ADR 0053): what its agency holds or was given in full, never another agency's
other records; each "must not see" with its positive control."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.tests.factories import CaseFactory
from safehold.core.errors import NotPermitted
from safehold.intelligence.models import Mention
from safehold.intelligence.services import grade_intelligence, submit_intelligence
from safehold.intelligence.tests.factories import police_agency, police_analyst
from safehold.networks import services
from safehold.networks.models import NetworkEvent, NetworkLink, NetworkObject
from safehold.networks.selectors import visible_graph
from safehold.networks.tests.factories import NetworkObjectFactory, link
from safehold.people.tests.factories import LocationFactory
from safehold.sharing.services import disclose
from safehold.sharing.tests.factories import AgreementFactory

CONCORDAT = ["identity", "casework", "police_intelligence"]


@pytest.fixture
def world(db):
    """The landlord's cuckooing case (its flat given to the police in full under the Crime
    Concordat), the police's county-line phone already seen at another flat, a landlord's
    submission naming the phone (in another format) at the shared flat, graded by the police
    analyst."""
    police = police_agency(name="Greater Manchester Police")
    landlord = AgencyFactory(name="Stockport Homes")
    agreement = AgreementFactory(parties=[landlord, police], data_categories=CONCORDAT)
    officer = UserFactory(role=Role.CASEWORKER, agency=landlord)
    analyst = police_analyst(police)
    flat = LocationFactory(owning_agency=landlord, address_line_1="12 Alder Court")
    case = CaseFactory(owning_agency=landlord, location=flat)
    disclose(agreement=agreement, to_agency=police, level="full", purpose="Cuckooing",
             by=officer, case=case)  # fmt: skip
    constable = UserFactory(role=Role.CASEWORKER, agency=police)
    phone = services.record_object(kind="phone", value="07700 900461", by=constable)
    other_flat = LocationFactory(owning_agency=police, address_line_1="3 Birch Walk")
    services.add_link(end_a=phone.entity_id, end_b=f"location:{other_flat.pk}", type="seen_at",
                      by=constable)  # fmt: skip
    intelligence = submit_intelligence(
        by=officer, what="A phone number written on the door frame", location=flat,
        occurred_on=datetime.date(2026, 11, 20), source_relationship="witnessed",
        mentions=[("phone", "+44 (0)7700 900461"), ("person", "Tiny"), ("vehicle", "ab12 cde")],
    )  # fmt: skip
    intelligence = grade_intelligence(
        intelligence=intelligence, by=analyst, source_evaluation="2", assessment="B",
        handling_code="P", sanitised_text="A phone number is being used at a flat in Alder Court.",
    )  # fmt: skip
    return {
        "police": police, "landlord": landlord, "officer": officer, "analyst": analyst,
        "flat": flat, "other_flat": other_flat, "phone": phone, "intelligence": intelligence,
        "constable": constable,
    }  # fmt: skip


def test_recording_resolves_the_phone_and_links_it_to_the_report_and_the_flat(world):
    w = world
    recorded = services.record_intelligence(intelligence=w["intelligence"], by=w["analyst"])
    assert (recorded.objects[0][0].pk, recorded.objects[0][1]) == (w["phone"].pk, True)
    assert recorded.place == w["flat"]
    assert [m.value for m in recorded.by_hand] == ["Tiny"]
    event = recorded.event
    assert (event.kind, event.reference, event.location_id) == (
        "intelligence",
        w["intelligence"].reference,
        w["flat"].pk,
    )
    assert "door frame" not in event.summary  # the sanitised text, never the original
    links = NetworkLink.objects.filter(intelligence=w["intelligence"])
    assert {(k.type, k.grading, k.source_reference) for k in links} == {
        ("reported_in", "2BP", w["intelligence"].reference),
        ("seen_at", "2BP", w["intelligence"].reference),
    }
    assert links.count() == 4 == recorded.added  # the phone and the new vehicle, each twice
    assert NetworkObject.objects.filter(kind="vehicle", normalised="AB12CDE").exists()
    # The analyst's chart around the phone: the two flats, the report.
    around = visible_graph(w["analyst"], around=w["phone"].entity_id, steps=1)
    names = {e.label for e in around.entities}
    assert {"12 Alder Court", "3 Birch Walk"} <= {n.split(",")[0] for n in names}


def test_recording_again_adds_nothing(world):
    w = world
    services.record_intelligence(intelligence=w["intelligence"], by=w["analyst"])
    before = (NetworkLink.objects.count(), NetworkEvent.objects.count())
    again = services.record_intelligence(intelligence=w["intelligence"], by=w["analyst"])
    assert again.added == 0
    assert (NetworkLink.objects.count(), NetworkEvent.objects.count()) == before


def test_only_the_police_intelligence_role_records_graded_intelligence(world):
    w = world
    for someone in (w["officer"], w["constable"]):
        with pytest.raises(NotPermitted):
            services.record_intelligence(intelligence=w["intelligence"], by=someone)
    ungraded = submit_intelligence(
        by=w["officer"], what="More callers", occurred_on=datetime.date(2026, 11, 21),
        source_relationship="witnessed", mentions=[("phone", "07700 900999")],
    )  # fmt: skip
    with pytest.raises(services.NetworkError, match="must be graded"):
        services.record_intelligence(intelligence=ungraded, by=w["analyst"])
    assert not NetworkLink.objects.filter(intelligence__isnull=False).exists()
    # The positive control: the analyst records the graded one.
    assert services.record_intelligence(intelligence=w["intelligence"], by=w["analyst"]).added


def test_a_place_the_police_do_not_hold_is_not_linked(world):
    """The landlord's flat not given to the police: the report is recorded, its place is not
    (and the page says so, in the submitted address the analyst reads in full anyway)."""
    w = world
    private = LocationFactory(owning_agency=w["landlord"], address_line_1="7 Cedar Row")
    intelligence = submit_intelligence(
        by=w["officer"], what="Callers at night", location=private,
        occurred_on=datetime.date(2026, 11, 22), source_relationship="witnessed",
        mentions=[("phone", "07700 900461")],
    )  # fmt: skip
    intelligence = grade_intelligence(intelligence=intelligence, by=w["analyst"], source_evaluation="2",
                       assessment="C", handling_code="P", sanitised_text="Callers at night.")  # fmt: skip
    recorded = services.record_intelligence(intelligence=intelligence, by=w["analyst"])
    assert recorded.place is None and recorded.event.location_id is None
    assert not NetworkLink.objects.filter(end_b_id=private.pk).exists()
    assert f"location:{private.pk}" not in {e.id for e in visible_graph(w["analyst"]).entities}


def test_the_analyst_sees_its_agencys_places_in_the_network_and_no_other(world):
    """ADR 0053: the police analyst (who browses no people) sees in the network the flat given
    to the police in full; a place the landlord kept, named by a landlord's link shared under
    the concordat, it does not see (the landlord's officer does, the positive control)."""
    w = world
    kept = LocationFactory(owning_agency=w["landlord"], address_line_1="7 Cedar Row")
    theirs = NetworkObjectFactory(owning_agency=w["landlord"])
    link(theirs, kept, type="seen_at", agency=w["landlord"])
    link(theirs, w["flat"], type="seen_at", agency=w["landlord"])
    analyst = {e.id for e in visible_graph(w["analyst"]).entities}
    assert f"location:{w['flat'].pk}" in analyst and f"location:{kept.pk}" not in analyst
    assert f"location:{kept.pk}" in {e.id for e in visible_graph(w["officer"]).entities}
    # A police analyst of another force sees neither.
    other = {e.id for e in visible_graph(police_analyst()).entities}
    assert f"location:{w['flat'].pk}" not in other


def test_the_page_shows_what_it_will_do_and_records_it(client, world):
    w = world
    client.force_login(w["analyst"])
    url = reverse("networks:from-intelligence", args=[w["intelligence"].pk])
    page = client.get(url).content.decode()
    assert "Already known" in page and "12 Alder Court" in page and "New: it will be added" in page
    assert "find Tiny" in page
    response = client.post(url)
    event = NetworkEvent.objects.get(reference=w["intelligence"].reference)
    assert response.url == f"{reverse('networks:chart')}?around=event:{event.pk}&steps=3"
    chart = client.get(response.url).content.decode()
    assert "3 Birch Walk" in chart or "Birch Walk" in chart


@pytest.mark.parametrize("who", ["officer", "constable"])
def test_the_page_is_the_police_intelligence_roles_only(client, world, who):
    client.force_login(world[who])
    url = reverse("networks:from-intelligence", args=[world["intelligence"].pk])
    # The submitter (who sees its status) and a police caseworker (its sanitised text) are sent
    # to its page; an agency it is not shared with gets 404.
    detail = reverse("intelligence:detail", args=[world["intelligence"].pk])
    assert client.get(url).url == detail and client.post(url).url == detail
    client.force_login(UserFactory(role=Role.CASEWORKER, agency=AgencyFactory()))
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    assert not NetworkLink.objects.filter(intelligence__isnull=False).exists()
    client.force_login(world["analyst"])  # the positive control, same URL
    assert client.get(url).status_code == 200


def test_a_place_page_offers_to_submit_intelligence_about_it(client, world):
    client.force_login(world["officer"])
    page = client.get(reverse("people:location-detail", args=[world["flat"].pk])).content.decode()
    assert f"{reverse('intelligence:submit')}?location={world['flat'].pk}" in page


def test_the_page_makes_the_same_number_of_queries_however_many_mentions(
    client, world, django_assert_max_num_queries
):
    """The page's queries do not grow with the report's mentions (object lookups in one query);
    measured with the fixture's report, then with ten more phones named."""
    w = world
    client.force_login(w["analyst"])
    url = reverse("networks:from-intelligence", args=[w["intelligence"].pk])
    client.get(url)  # the session's first request settles its own queries
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(10):
        Mention.objects.create(
            intelligence=w["intelligence"],
            kind="phone",
            value=f"07700 900{500 + n}",
            position=10 + n,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("New: it will be added") == 11  # the vehicle and ten phones
