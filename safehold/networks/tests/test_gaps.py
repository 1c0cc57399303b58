"""Intelligence gaps (issue 16, item 7): each kind found, and gone once filled; computed over what
the user may see only (another agency's group, phone and case never appear where their owner
sees them on the same URL; intelligence the user may not read closes no gap); a fixed number of
queries as the network grows; the page, its CSV (formula-safe) and its audit; the meeting
agenda's section and the printed pack."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import CaseStatus, ExploitationType
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core import dates
from safehold.core.tests.readable import text_of
from safehold.intelligence.choices import Status
from safehold.intelligence.tests.factories import IntelligenceFactory
from safehold.meetings import agenda as agendas
from safehold.meetings.tests.factories import MeetingFactory
from safehold.networks import gaps
from safehold.networks.choices import LinkType, OcgStatus
from safehold.networks.tests.factories import (
    NetworkEventFactory,
    NetworkObjectFactory,
    OCGMemberFactory,
    OrganisedCrimeGroupFactory,
    link,
)
from safehold.people.tests.factories import LocationFactory, PersonFactory

pytestmark = pytest.mark.django_db


class Network:
    """A police agency's network with one gap of each kind: an active group (the Alder Crew)
    whose member Rhys Gapman has no address; a phone seen at two flats with no owner; an open
    cuckooing case at a third flat, led by a caseworker; no intelligence at all."""

    def __init__(self):
        self.police = AgencyFactory(name="Greater Manchester Police", kind=AgencyKind.POLICE)
        self.user = UserFactory(agency=self.police, role=Role.CASEWORKER)
        self.group = OrganisedCrimeGroupFactory(owning_agency=self.police, name="Alder Crew")
        self.member = PersonFactory(
            owning_agency=self.police, given_name="Rhys", family_name="Gapman"
        )
        OCGMemberFactory(ocg=self.group, person=self.member)
        self.first = LocationFactory(owning_agency=self.police, address_line_1="4 Alder Court")
        self.second = LocationFactory(owning_agency=self.police, address_line_1="9 Birch Walk")
        self.phone = NetworkObjectFactory(owning_agency=self.police, value="07700 900321")
        link(self.phone, self.first, type=LinkType.SEEN_AT)
        link(self.phone, self.second, type=LinkType.SEEN_AT)
        self.flat = LocationFactory(owning_agency=self.police, address_line_1="2 Cedar House")
        self.caseworker = UserFactory(agency=self.police, role=Role.CASEWORKER, full_name="Jo Kay")
        self.case = CaseFactory(
            programme=ProgrammeFactory(lead_agency=self.police), location=self.flat,
            reference="EXP-2026-0701", lead_officer=self.caseworker,
        )  # fmt: skip

    def intelligence(self, *, days_ago=10, **fields):
        """Graded intelligence the police agency submitted (so its caseworkers read it)."""
        values = {
            "owning_agency": self.police, "status": Status.GRADED,
            "assessing_agency": self.police, "source_evaluation": "2", "assessment": "B",
            "handling_code": "P", "sanitised_text": "A flat is used to deal drugs.",
            "graded_at": timezone.now() - datetime.timedelta(days=days_ago),
        }  # fmt: skip
        return IntelligenceFactory(**(values | fields))

    def cite(self, a, b, *, type=LinkType.LINKED_TO, **intelligence):
        report = self.intelligence(**intelligence)
        return link(a, b, type=type, intelligence=report, source_reference=report.reference,
                    grading="B2P", agency=self.police)  # fmt: skip


@pytest.fixture
def network(db):
    return Network()


def _by_kind(user):
    found = {}
    for gap in gaps.intelligence_gaps(user, today=dates.today()):
        found.setdefault(gap.kind, []).append(gap)
    return found


def test_each_kind_of_gap_is_found_with_why_and_a_suggested_owner(network):
    found = _by_kind(network.user)
    assert sorted(found) == sorted(gaps.KINDS)
    [group] = found[gaps.GROUP]
    assert group.label == "Alder Crew" and group.entity_id == f"ocg:{network.group.pk}"
    assert "current members (1 you can see)" in group.why and "ever been linked" in group.why
    assert group.owner == "Police intelligence (Greater Manchester Police)"
    [premises] = found[gaps.PREMISES]
    assert premises.label.startswith("2 Cedar House") and premises.reference == "EXP-2026-0701"
    assert premises.owner == "Greater Manchester Police (caseworker Jo Kay)"
    assert premises.link == reverse("cases:detail", args=[network.case.pk])
    [phone] = found[gaps.PHONE]
    assert phone.label == "07700 900321" and "Seen at 2 places" in phone.why
    assert "4 Alder Court" in phone.why and "9 Birch Walk" in phone.why
    [member] = found[gaps.MEMBER]
    assert member.label == "Rhys Gapman" and member.reference == "Alder Crew"
    assert member.subjects == (str(network.member.pk),)


def test_each_gap_is_gone_once_it_is_filled(network):
    network.cite(network.member, network.second, days_ago=30)  # names a current member
    network.cite(network.phone, network.flat, type=LinkType.SEEN_AT)  # names the cuckooed flat
    link(network.member, network.phone, type=LinkType.USES_PHONE)  # the phone's owner
    link(network.member, network.first, type=LinkType.LIVES_AT)  # a current address
    assert _by_kind(network.user) == {}


def test_old_intelligence_an_ended_address_and_a_third_place_leave_the_gaps_open(network):
    network.cite(network.group, network.second, days_ago=120)
    link(network.member, network.first, type=LinkType.LIVES_AT,
         date_from=datetime.date(2020, 1, 1), date_to=datetime.date(2021, 1, 1))  # fmt: skip
    found = _by_kind(network.user)
    [group] = found[gaps.GROUP]
    old = timezone.localdate(timezone.now() - datetime.timedelta(days=120))
    assert f"the latest was graded on {old:%-d %B %Y}" in group.why
    assert [g.label for g in found[gaps.MEMBER]] == ["Rhys Gapman"]


def test_a_phone_at_one_place_is_no_gap_but_one_at_a_second_through_an_event_is(network):
    lone = NetworkObjectFactory(owning_agency=network.police, value="07700 900999")
    link(lone, network.first, type=LinkType.SEEN_AT)
    assert [g.label for g in _by_kind(network.user)[gaps.PHONE]] == ["07700 900321"]
    seizure = NetworkEventFactory(owning_agency=network.police, location=network.flat)
    link(lone, seizure, type=LinkType.SEIZED_AT)
    assert [g.label for g in _by_kind(network.user)[gaps.PHONE]] == [
        "07700 900321", "07700 900999",
    ]  # fmt: skip


def test_a_closed_case_a_non_cuckooing_case_and_a_dormant_group_are_no_gaps(network):
    network.case.status, network.case.closed_on = CaseStatus.CLOSED, dates.today()
    network.case.save()
    CaseFactory(programme=network.case.programme, exploitation_type=ExploitationType.FINANCIAL,
                location=LocationFactory(owning_agency=network.police))  # fmt: skip
    network.group.status = OcgStatus.DORMANT
    network.group.save()
    found = _by_kind(network.user)
    assert gaps.PREMISES not in found and gaps.GROUP not in found
    assert gaps.MEMBER in found  # a dormant group's members are still its members
    other = CaseFactory(
        programme=network.case.programme, exploitation_type=ExploitationType.CRIMINAL,
        other_types=[ExploitationType.CUCKOOING], location=LocationFactory(
            owning_agency=network.police, address_line_1="7 Elm Row"),
    )  # fmt: skip
    assert [g.reference for g in _by_kind(network.user)[gaps.PREMISES]] == [other.reference]


def test_another_agency_never_sees_the_gaps_where_the_owner_does_on_the_same_url(client, network):
    url = reverse("networks:gaps")
    for role in (Role.CASEWORKER, Role.ANALYST, Role.ADMINISTRATOR):
        client.force_login(UserFactory(agency=AgencyFactory(), role=role))
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        for secret in ("Alder Crew", "07700 900321", "Cedar House", "EXP-2026-0701", "Gapman"):
            assert secret not in page, (role, secret)
        assert "None in the network you can see." in page
    client.force_login(network.user)  # the positive control, on the same URL
    page = client.get(url).content.decode()
    for secret in ("Alder Crew", "07700 900321", "Cedar House", "EXP-2026-0701", "Gapman"):
        assert secret in page, secret


def test_a_role_that_does_not_see_the_network_is_refused(client, network):
    client.force_login(UserFactory(agency=network.police, role=Role.REFERRER))
    assert client.get(reverse("networks:gaps")).status_code == 403


def test_intelligence_the_user_may_not_read_closes_no_gap_but_closes_it_for_who_may(network):
    """A link the caseworker sees cites intelligence another agency submitted, graded C for a
    third agency only: the caseworker may not read it, so the group stays a gap for them; the
    police intelligence analyst reads every submission, so for them it is closed."""
    landlord = AgencyFactory(name="Landlord")
    # Between the group and its phone (the analyst sees objects, not people or places).
    network.cite(network.group, network.phone, owning_agency=landlord, handling_code="C")
    assert [g.label for g in _by_kind(network.user)[gaps.GROUP]] == ["Alder Crew"]
    analyst = UserFactory(agency=network.police, role=Role.ANALYST)
    assert gaps.GROUP not in _by_kind(analyst)
    network.cite(network.group, network.phone)  # the caseworker's own agency's: read
    assert gaps.GROUP not in _by_kind(network.user)


def _grow(network, n):
    for i in range(n):
        group = OrganisedCrimeGroupFactory(owning_agency=network.police)
        member = OCGMemberFactory(ocg=group).person
        phone = NetworkObjectFactory(owning_agency=network.police)
        for _ in range(2):
            link(phone, LocationFactory(owning_agency=network.police), type=LinkType.SEEN_AT)
        CaseFactory(programme=network.case.programme,
                    location=LocationFactory(owning_agency=network.police))  # fmt: skip
        network.cite(member, phone, type=LinkType.USES_PHONE, days_ago=i * 50)


def test_the_query_count_does_not_grow_with_the_network(network, django_assert_num_queries):
    user = UserFactory(agency=network.police, role=Role.CASEWORKER)
    user = type(user).objects.select_related("agency").get(pk=user.pk)
    with django_assert_num_queries(13):
        small = gaps.intelligence_gaps(user, today=dates.today())
    _grow(network, 4)
    with django_assert_num_queries(13):
        grown = gaps.intelligence_gaps(user, today=dates.today())
    assert len(grown) > len(small)


def test_the_pages_query_count_does_not_grow_either(client, network):
    client.force_login(network.user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("networks:gaps")).status_code == 200
        return len(captured)

    before = queries()
    _grow(network, 3)
    assert queries() == before


def test_the_page_groups_the_gaps_by_kind_with_counts_and_is_audited(client, network):
    client.force_login(network.user)
    response = client.get(reverse("networks:gaps"))
    assert [(kind, count) for kind, _, count, _ in response.context["sections"]] == [
        (gaps.GROUP, 1), (gaps.PREMISES, 1), (gaps.PHONE, 1), (gaps.MEMBER, 1),
    ]  # fmt: skip
    page = response.content.decode()
    assert "Active groups with no graded intelligence in the last 90 days (1)" in page
    assert "Police intelligence (Greater Manchester Police)" in page
    event = AuditEvent.objects.filter(purpose="intelligence gaps").latest("id")
    assert event.actor_id == network.user.pk and event.action == "consult"
    for record in (network.group, network.phone, network.case, network.flat, network.first):
        assert str(record.pk) in event.object_ids
    assert str(network.member.pk) in event.subject_ids
    assert str(network.case.subject_id) in event.subject_ids


def test_the_ocg_list_and_the_analysis_link_to_the_gaps(client, network):
    client.force_login(network.user)
    url = reverse("networks:gaps")
    assert url in client.get(reverse("networks:ocg-list")).content.decode()
    assert url in client.get(reverse("networks:analysis")).content.decode()


def test_the_csv_has_every_gap_with_formula_safe_cells_and_is_an_audited_export(client, network):
    network.group.name = '=HYPERLINK("http://evil.example","Click")'
    network.group.save()
    client.force_login(network.user)
    response = client.get(reverse("networks:gaps"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["gap", "about", "reference", "why", "suggested_owner", "entity_id"]
    assert len(rows) == 5
    about = {row[0]: row[1] for row in rows[1:]}
    assert about[gaps.KINDS[gaps.GROUP]] == "'" + network.group.name  # neutralised
    assert about[gaps.KINDS[gaps.PHONE]] == "07700 900321"
    event = AuditEvent.objects.filter(purpose="intelligence gaps exported as csv").latest("id")
    assert event.channel == "export" and str(network.group.pk) in event.object_ids


def test_the_meeting_agenda_has_the_users_gaps_and_the_pack_prints_them(client, network):
    landlord = AgencyFactory(name="Landlord")
    meeting = MeetingFactory(agency=network.police, attending=[landlord], held_on=dates.today())
    built = agendas.agenda_for(meeting, network.user)
    [section] = [s for s in built.sections if s.name == "intelligence_gaps"]
    assert section.title == "Intelligence gaps"
    lines = {line.reference: line for line in section.lines}
    assert set(lines) >= {"Alder Crew", "07700 900321", "Rhys Gapman"}
    assert lines["Alder Crew"].link == reverse("networks:ocg-detail", args=[network.group.pk])
    assert "Suggested owner: Police intelligence (Greater Manchester Police)" in (
        lines["Alder Crew"].detail
    )
    assert network.group in built.records() and str(network.member.pk) in built.subjects()
    # The landlord's user (another agency at the same meeting) has none of the police's gaps.
    housing = UserFactory(agency=landlord, role=Role.CASEWORKER)
    built = agendas.agenda_for(meeting, housing)
    assert next(s for s in built.sections if s.name == "intelligence_gaps").lines == []
    client.force_login(housing)
    text = text_of(client.get(reverse("meetings:pack", args=[meeting.pk])))
    assert "Intelligence gaps" in text and "Alder Crew" not in text
    assert "No intelligence gaps in the network you can see." in text
    client.force_login(network.user)  # the positive control: the police's own pack
    text = text_of(client.get(reverse("meetings:pack", args=[meeting.pk])))
    assert "Alder Crew" in text and "Gapman" in text
    event = AuditEvent.objects.filter(purpose__startswith="meeting pack").latest("id")
    assert str(network.group.pk) in event.object_ids


def test_the_agenda_sections_query_count_does_not_grow(network, django_assert_num_queries):
    meeting = MeetingFactory(agency=network.police, held_on=dates.today())
    user = type(network.user).objects.select_related("agency").get(pk=network.user.pk)
    with django_assert_num_queries(13):
        agendas_lines = agendas._sections["intelligence_gaps"].provider(meeting, user)
    _grow(network, 3)
    with django_assert_num_queries(13):
        grown = agendas._sections["intelligence_gaps"].provider(meeting, user)
    assert len(grown) > len(agendas_lines)


def test_the_agenda_lists_the_first_gaps_of_each_kind_and_counts_the_rest(network):
    """A meeting discusses the first few gaps of each kind; the rest are counted on one line
    that links to the gaps page, which lists them all."""
    from safehold.networks.agenda import PER_KIND, intelligence_gaps_section

    meeting = MeetingFactory(agency=network.police, held_on=dates.today())
    _grow(network, PER_KIND + 2)
    every = gaps.intelligence_gaps(network.user, today=dates.today())
    lines = intelligence_gaps_section(meeting, network.user)
    members = [g for g in every if g.kind == gaps.MEMBER]
    assert len(members) > PER_KIND
    shown = [line for line in lines if line.reference in {g.label for g in members}]
    assert len(shown) == PER_KIND
    [more] = [
        line
        for line in lines
        if line.text.startswith(f"and {len(members) - PER_KIND} more: members")
    ]
    assert more.link == reverse("networks:gaps") and not more.records
