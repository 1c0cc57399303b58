"""The monthly meeting: flagging a case shares it through the sharing service at the holder's
level, closing the record ends those shares unless renewed and writes "discussed at" in the
chronology, the agenda carries every open action of earlier meetings and drops a done one."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.tests.factories import AgencyFactory
from safehold.audit.choices import Action as AuditAction
from safehold.audit.models import AuditEvent
from safehold.cases.models import ChronologyEntry
from safehold.cases.selectors import cases_visible_to
from safehold.core.errors import NotPermitted
from safehold.meetings import agenda, services
from safehold.meetings.models import Action, AgendaItem, Meeting
from safehold.meetings.tests.conftest import HELD_ON
from safehold.meetings.tests.factories import MeetingFactory
from safehold.sharing.models import Disclosure

pytestmark = pytest.mark.django_db


def flag(world, level="full", **kwargs):
    return services.flag_case(
        meeting=world.meeting, case=world.flagged_case, level=level, by=world.housing, **kwargs
    )


def test_flagging_a_case_shares_it_with_every_attending_agency_through_disclosures(world):
    assert not cases_visible_to(world.officer).filter(pk=world.flagged_case.pk).exists()
    item = flag(world)
    shares = Disclosure.objects.live().filter(case=world.flagged_case)
    assert {d.to_agency for d in shares} == {world.police, world.council}
    assert all(d.agreement == world.series.agreement and d.level == "full" for d in shares)
    assert set(item.disclosures.all()) == set(shares)
    assert cases_visible_to(world.officer).filter(pk=world.flagged_case.pk).exists()
    assert not cases_visible_to(world.officer).filter(pk=world.unshared_case.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DISCLOSE).count() == 2


def test_a_name_only_flag_does_not_give_the_case_in_full(world):
    flag(world, level="name_only")
    assert Disclosure.objects.live().filter(case=world.flagged_case, level="name_only").count() == 2
    assert not cases_visible_to(world.officer).filter(pk=world.flagged_case.pk).exists()


def test_a_flag_never_narrows_a_share_already_made(world):
    from safehold.sharing import services as sharing

    sharing.disclose(
        agreement=world.series.agreement, to_agency=world.police, level="full",
        purpose="joint work", by=world.housing, case=world.flagged_case,
    )  # fmt: skip
    item = flag(world, level="name_only")
    assert [d.to_agency for d in item.disclosures.all()] == [world.council]
    assert cases_visible_to(world.officer).filter(pk=world.flagged_case.pk).exists()


def test_only_the_cases_holding_agency_may_flag_it_and_a_refusal_leaves_nothing(world):
    with pytest.raises(NotPermitted):
        services.flag_case(
            meeting=world.meeting, case=world.flagged_case, level="full", by=world.officer
        )
    assert not AgendaItem.objects.exists() and not Disclosure.objects.exists()


def test_a_flag_under_an_agreement_not_in_force_is_refused_and_shares_nothing(world):
    agreement = world.series.agreement
    agreement.end_date = HELD_ON - datetime.timedelta(days=1)
    agreement.save()
    with pytest.raises(services.MeetingError, match="not in force"):
        flag(world)
    assert not AgendaItem.objects.exists() and not Disclosure.objects.exists()


def test_closing_the_record_ends_the_meetings_shares_and_records_discussed_at(world):
    item = flag(world)
    services.add_action(
        meeting=world.meeting, item=item, description="Check the locks have been changed",
        due_on=HELD_ON + datetime.timedelta(days=14), owning_agency=world.landlord,
        owner=world.housing, by=world.chair,
    )  # fmt: skip
    services.close_meeting(meeting=world.meeting, by=world.chair)
    assert not Disclosure.objects.live().filter(case=world.flagged_case).exists()
    assert not cases_visible_to(world.officer).filter(pk=world.flagged_case.pk).exists()
    entry = ChronologyEntry.objects.get(case=world.flagged_case)
    assert entry.summary.startswith(
        "Discussed at Wigan organised crime partnership meeting on 6 June 2023"
    )
    assert "Check the locks have been changed" in entry.summary
    assert Meeting.objects.get().status == "closed"


def test_a_renewed_share_stays_when_the_record_closes(world):
    item = flag(world)
    services.renew_sharing(item=item, by=world.housing)
    services.close_meeting(meeting=world.meeting, by=world.chair)
    assert cases_visible_to(world.officer).filter(pk=world.flagged_case.pk).exists()


def test_only_the_chairing_agency_closes_the_record(world):
    with pytest.raises(NotPermitted):
        services.close_meeting(meeting=world.meeting, by=world.officer)
    assert Meeting.objects.get().status == "open"


def test_an_action_for_an_agency_not_at_the_meeting_is_refused_and_nothing_saved(world):
    with pytest.raises(services.MeetingError, match="attending agency"):
        services.add_action(
            meeting=world.meeting, description="Ask the fire service", due_on=HELD_ON,
            owning_agency=AgencyFactory(name="Fire service"),
            by=world.chair,
        )  # fmt: skip
    assert not Action.objects.exists()


def test_the_person_given_an_action_is_told_without_its_words(world):
    from safehold.notifications.models import Notification

    services.add_action(
        meeting=world.meeting, description="Visit Flagwell with the landlord", due_on=HELD_ON,
        owning_agency=world.police, owner=world.officer, by=world.chair,
    )  # fmt: skip
    notice = Notification.objects.get(recipient=world.officer)
    assert notice.kind == "meeting_action"
    assert notice.reference == (
        "Wigan organised crime partnership meeting, 6 June 2023: an action due 6 June 2023"
    )
    assert "Flagwell" not in notice.reference
    # An action owned by an agency alone tells nobody in particular.
    services.add_action(
        meeting=world.meeting, description="Check the tenancy", due_on=HELD_ON,
        owning_agency=world.landlord, by=world.chair,
    )  # fmt: skip
    assert Notification.objects.count() == 1


def _next(world, days):
    return MeetingFactory(
        series=world.series, chair=world.chair, attending=[world.police, world.landlord],
        held_on=HELD_ON + datetime.timedelta(days=days),
    )  # fmt: skip


def _carried(meeting, user):
    built = agenda.agenda_for(meeting, user)
    return [line.text for s in built.sections if s.name == "actions" for line in s.lines]


def test_every_open_action_carries_over_until_done_and_a_done_one_drops_off(world):
    def add(text):
        return services.add_action(
            meeting=world.meeting, description=text, due_on=HELD_ON + datetime.timedelta(days=20),
            owning_agency=world.police, by=world.chair,
        )  # fmt: skip

    done, still_open = add("Execute the warrant"), add("Serve the closure notice")
    july, august = _next(world, 28), _next(world, 63)
    assert _carried(july, world.officer) == ["Execute the warrant", "Serve the closure notice"]
    services.complete_action(
        action=done, by=world.officer, done_on=HELD_ON + datetime.timedelta(days=40)
    )
    # Done between July and August: still on July's agenda (it was open then), not on August's.
    assert _carried(july, world.officer) == ["Execute the warrant", "Serve the closure notice"]
    assert _carried(august, world.officer) == ["Serve the closure notice"]
    assert _carried(world.meeting, world.officer) == []  # raised at it, not carried to it
    assert still_open.is_open


def test_the_agenda_is_built_from_safehold_through_the_viewers_gates(world):
    flag(world)
    for user, expected in ((world.housing, {"LAN-2023-0001", "LAN-2023-0002"}),
                           (world.officer, {"LAN-2023-0001"})):  # fmt: skip
        built = agenda.agenda_for(world.meeting, user)
        high_risk = next(s for s in built.sections if s.name == "high_risk")
        assert {line.reference.removeprefix("Case ") for line in high_risk.lines} == expected
        flagged = next(s for s in built.sections if s.name == "flagged")
        assert [line.reference for line in flagged.lines] == ["Case LAN-2023-0001"]


def test_a_section_registered_by_another_module_appears_in_its_order(world):
    agenda.register_agenda_section(
        "test_operations", 30, lambda meeting, user: [agenda.Line(text="31 arrests")],
        title="Operations since the last meeting",
    )  # fmt: skip
    try:
        names = [s.name for s in agenda.agenda_for(world.meeting, world.chair).sections]
        assert names == [
            "flagged", "high_risk", "operations", "test_operations", "enforcement",
            "intelligence_gaps", "actions",
        ]  # fmt: skip
    finally:
        agenda._sections.pop("test_operations")


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name", ["meetings:meeting", "meetings:agenda", "meetings:actions", "meetings:minutes"]
)
def test_the_meeting_pages_query_counts_do_not_grow_with_rows(client, world, name):
    from safehold.cases.tests.factories import CaseFactory

    def grow(n):
        for i in range(n):
            case = CaseFactory(programme=world.flagged_case.programme, risk_level="high",
                               referral_date=HELD_ON - datetime.timedelta(days=3))  # fmt: skip
            item = services.flag_case(
                meeting=world.meeting, case=case, level="full", by=world.housing
            )
            services.record_minute(item=item, text=f"Minute {i}", by=world.chair)
            services.add_action(
                meeting=world.meeting, item=item, description=f"Action {i}", due_on=HELD_ON,
                owning_agency=world.landlord, owner=world.housing, by=world.chair,
            )  # fmt: skip
            services.add_action(
                meeting=earlier, description=f"Earlier {i}", due_on=HELD_ON,
                owning_agency=world.police, by=world.chair,
            )  # fmt: skip

    earlier = _next(world, -28)
    client.force_login(world.officer)
    url = reverse(name, args=[world.meeting.pk])
    grow(1)
    one = _queries(client, url)
    grow(6)
    assert _queries(client, url) == one


def test_my_actions_lists_the_users_and_their_agencys_open_actions(client, world):
    mine = services.add_action(
        meeting=world.meeting, description="Arrange a joint visit", due_on=HELD_ON,
        owning_agency=world.police, owner=world.officer, by=world.chair,
    )  # fmt: skip
    services.add_action(
        meeting=world.meeting, description="Board up the flat", due_on=HELD_ON,
        owning_agency=world.landlord, by=world.chair,
    )  # fmt: skip
    client.force_login(world.officer)
    page = client.get(reverse("meetings:my-actions")).content.decode()
    assert "Arrange a joint visit" in page and "Board up the flat" not in page
    assert "Arrange a joint visit" in client.get(reverse("core:home")).content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.CONSULT, object_ids__contains=str(mine.pk)
    ).exists()
    client.post(reverse("meetings:action-done", args=[mine.pk]))
    assert (
        "Arrange a joint visit" not in client.get(reverse("meetings:my-actions")).content.decode()
    )


def test_an_actions_due_date_reaches_the_deadlines_calendar(world):
    from safehold.notifications.deadlines import deadlines_for

    action = services.add_action(
        meeting=world.meeting, description="Arrange a joint visit", due_on=HELD_ON,
        owning_agency=world.police, owner=world.officer, by=world.chair,
    )  # fmt: skip
    found = [
        d
        for d in deadlines_for(world.officer, HELD_ON, HELD_ON)
        if d.uid == f"meeting-action-{action.pk}"
    ]
    assert len(found) == 1 and found[0].mine and found[0].what == "Meeting action due"
    assert not [
        d
        for d in deadlines_for(world.housing, HELD_ON, HELD_ON)
        if d.mine and d.uid == found[0].uid
    ]
