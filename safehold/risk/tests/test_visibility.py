"""What each user sees of the list (`list_for`): evidence from data they may see in full, the
rest as "an indicator from <Agency>'s data" with the front door's access request; one audit
event per read naming the subjects shown."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.errors import NotPermitted
from safehold.risk.selectors import list_for
from safehold.risk.tests.factories import AS_OF, extract, flagged, tenancy

pytestmark = pytest.mark.django_db


def _only(shown):
    assert len(shown.entries) == 1
    return shown.entries[0]


def test_the_tenancy_and_the_person_are_one_subject_with_both_reasons(world):
    analyst = UserFactory(agency=world["homes"], role=Role.ANALYST)
    entry = _only(list_for(analyst, AS_OF))
    assert entry.subject_ref == world["cluster"]
    assert entry.score == 2 + 3


def test_another_agencys_evidence_is_an_indicator_from_its_data_and_its_holder_sees_it(world):
    landlord = UserFactory(agency=world["homes"], role=Role.ANALYST)
    council = UserFactory(agency=world["council"], role=Role.SUPERVISOR)

    seen_by_landlord = _only(list_for(landlord, AS_OF))
    seen_by_council = _only(list_for(council, AS_OF))

    landlord_reasons = {r.name: r for r in seen_by_landlord.reasons}
    # The landlord's own tenancy in full; the council's flag withheld, with a request link.
    assert landlord_reasons["Rent arrears above a number of weeks"].evidence[0].full
    withheld = landlord_reasons["An indicator from Stockport Council's data"]
    assert withheld.code == "" and withheld.weight == 3
    assert not withheld.evidence[0].full and withheld.evidence[0].what == ""
    assert withheld.evidence[0].request_href.endswith("/request-access/")
    assert "Learning disability" not in str(seen_by_landlord)
    assert seen_by_landlord.name == "Ada Lovelace"
    # The positive control on the same call: the council sees its own person's flag in full.
    council_reasons = {r.code: r for r in seen_by_council.reasons}
    assert council_reasons["learning_disability"].evidence[0].full
    assert "Learning disability" in council_reasons["learning_disability"].evidence[0].what
    assert seen_by_council.name == f"{world['person'].given_name} {world['person'].family_name}"
    assert "Lovelace" not in str(seen_by_council)
    assert {r.name for r in seen_by_council.reasons} >= {"An indicator from Stockport Homes' data"}


def test_an_agency_with_no_agreement_and_no_evidence_of_its_own_sees_nothing(world):
    stranger = UserFactory(agency=AgencyFactory(name="Elsewhere"), role=Role.ANALYST)
    assert list_for(stranger, AS_OF).entries == []
    assert _only(list_for(UserFactory(agency=world["homes"], role=Role.ANALYST), AS_OF))


def test_each_read_of_the_list_is_one_audit_event_naming_the_subjects_shown(world):
    council = UserFactory(agency=world["council"], role=Role.SUPERVISOR)
    before = AuditEvent.objects.count()
    list_for(council, AS_OF)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.action == "consult" and event.actor == council
    assert world["cluster"] in event.object_ids
    assert str(world["person"].pk) in event.subject_ids
    assert "Lovelace" not in event.purpose and "learning" not in event.purpose.lower()


def test_a_referrer_may_not_read_the_list(world):
    with pytest.raises(NotPermitted):
        list_for(UserFactory(agency=world["homes"], role=Role.REFERRER), AS_OF)


def test_the_top_n_are_the_first_n_entries_the_user_may_see():
    mine, theirs = AgencyFactory(), AgencyFactory()
    hidden = flagged("learning_disability", "previous_exploitation", owning_agency=theirs)
    first = flagged("learning_disability", owning_agency=mine)
    second = flagged("mental_health", owning_agency=mine)
    flagged("older_person", owning_agency=mine)
    user = UserFactory(agency=mine, role=Role.SUPERVISOR)
    shown = list_for(user, AS_OF, top=2)
    assert [e.subject_ref for e in shown.entries] == [
        f"safehold/{first.pk}",
        f"safehold/{second.pk}",
    ]
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.object_ids.split() == [e.subject_ref for e in shown.entries]
    assert str(hidden.pk) not in event.subject_ids
    assert len(list_for(user, AS_OF).entries) == 3


def test_reading_the_list_makes_a_fixed_number_of_queries_whatever_its_length(
    world, django_assert_max_num_queries
):
    landlord = UserFactory(agency=world["homes"], role=Role.ANALYST)
    list_for(landlord, AS_OF)
    with CaptureQueriesContext(connection) as small:
        assert len(list_for(landlord, AS_OF).entries) == 1
    rows = [tenancy(f"T-{i}", f"H-{i}", weeks="10") for i in range(1, 40)]
    extract(world["homes"], "tenancies", rows, on=AS_OF + datetime.timedelta(days=1))
    for _ in range(10):
        flagged("care_leaver", owning_agency=world["council"])
    later = AS_OF + datetime.timedelta(days=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        # 39 tenants (the first one with the council's person) and the council's 10 people,
        # whose agency has an agreement with the landlord's: shown, their reasons withheld.
        assert len(list_for(landlord, later).entries) == 49


def test_withheld_indicators_of_one_agency_are_one_reason_with_their_weights_summed(world):
    extract(
        world["homes"],
        "tenancies",
        [tenancy("T-1", "H-1", weeks="10", start=AS_OF - datetime.timedelta(days=30))],
        on=AS_OF + datetime.timedelta(days=1),
    )
    council = UserFactory(agency=world["council"], role=Role.SUPERVISOR)
    entry = _only(list_for(council, AS_OF + datetime.timedelta(days=1)))
    assert entry.indicators == [("learning_disability", 3), ("withheld", 3)]
    assert entry.score == 6 == sum(w for _, w in entry.indicators)
    assert [r.name for r in entry.reasons][1] == "An indicator from Stockport Homes' data"


def test_an_analyst_reads_its_own_agencys_flag_on_the_list_but_not_the_person(world):
    """The analysts browse no people, but a flag on their own agency's person is their agency's
    data (ADR 0059): its line in full, without the person's name or page. Another agency's
    analyst, on the same list, still reads it as an indicator from the council's data."""
    own = _only(list_for(UserFactory(agency=world["council"], role=Role.ANALYST), AS_OF))
    (flag,) = [r for r in own.reasons if r.code == "learning_disability"]
    assert flag.evidence[0].full and "Learning disability" in flag.evidence[0].what
    assert world["person"].family_name not in str(own) and own.person_ids == []
    other = _only(list_for(UserFactory(agency=world["homes"], role=Role.ANALYST), AS_OF))
    assert "learning_disability" not in {r.code for r in other.reasons}
    assert "An indicator from Stockport Council's data" in {r.name for r in other.reasons}
