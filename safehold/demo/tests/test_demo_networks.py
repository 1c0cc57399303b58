"""Issue 16, item 8: the demo's organised crime network: eleven groups; the county line's phone
joins two cuckooed Stockport Homes addresses and the Brinnington Line, for the police and (under
the Crime Concordat) for the landlord's exploitation officer; not for another agency."""

from safehold.accounts.models import User
from safehold.core import dates
from safehold.demo import networks, partnership
from safehold.networks import gaps
from safehold.networks.models import NetworkObject, OCGMember, OrganisedCrimeGroup
from safehold.networks.selectors import visible_graph


def test_the_demo_network_joins_two_cuckooed_addresses_and_a_group_for_who_may_see_it(db):
    partnership.load(seed=2022)
    assert networks.load() == 11 and networks.is_loaded()
    assert OrganisedCrimeGroup.objects.count() == 11
    assert OCGMember.objects.values("person").distinct().count() >= 33  # dozens of members
    line = NetworkObject.objects.get(normalised="+447700900461")
    for email in (networks.PC, networks.EPO):
        around = visible_graph(User.objects.get(email=email), around=line.entity_id, steps=2)
        types = [e.type for e in around.entities]
        assert types.count("location") == 2, email
        assert "Brinnington Line" in {e.label for e in around.entities if e.type == "ocg"}
    council = User.objects.get(email="admin@council.demo.safehold.test")
    assert visible_graph(council, around=line.entity_id, steps=2).entities == ()


def test_the_demo_analyst_recorded_the_graded_intelligence_in_the_network(db):
    """The graded reports are in the network, cited by their links; the one about a flat the
    police were not given is recorded without its place; the waiting one is not recorded."""
    from safehold.demo import intelligence
    from safehold.intelligence.models import Intelligence
    from safehold.networks.models import NetworkEvent, NetworkLink

    partnership.load(seed=2022)
    intelligence.load()
    networks.load()
    recorded = set(
        NetworkEvent.objects.filter(kind="intelligence").values_list("reference", flat=True)
    )
    graded = set(
        Intelligence.objects.exclude(status="submitted").values_list("reference", flat=True)
    )
    assert recorded == graded and len(graded) == 3
    assert NetworkLink.objects.filter(intelligence__isnull=False).count() >= 6
    # Handling code C: the network names the report, never its sanitised text.
    restricted = Intelligence.objects.get(handling_code="C")
    assert NetworkEvent.objects.get(reference=restricted.reference).summary.startswith(
        f"{restricted.reference}: handling code C"
    )


def test_the_demo_network_has_a_gap_of_each_kind_for_the_police(db):
    partnership.load(seed=2022)
    networks.load()
    found = gaps.intelligence_gaps(User.objects.get(email=networks.PC), today=dates.today())
    assert {gap.kind for gap in found} == set(gaps.KINDS)
    assert "07700 900777" in {gap.label for gap in found if gap.kind == gaps.PHONE}
