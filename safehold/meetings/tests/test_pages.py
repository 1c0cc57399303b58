"""The pages call the services: flagging by reference, minutes, an action, closing the record;
bad input gets a GOV.UK error and saves nothing; a user of another agency gets 404."""

import pytest
from django.urls import reverse

from safehold.meetings.models import Action, AgendaItem, Meeting
from safehold.sharing.models import Disclosure

pytestmark = pytest.mark.django_db


def test_the_holder_flags_its_case_by_reference_from_the_meeting(client, world):
    client.force_login(world.housing)
    url = reverse("meetings:flag", args=[world.meeting.pk])
    response = client.post(url, {"reference": "lan-2023-0001", "level": "full"})
    assert response.status_code == 302
    assert AgendaItem.objects.get().case == world.flagged_case
    assert Disclosure.objects.live().filter(case=world.flagged_case).count() == 2
    agenda = client.get(response.url).content.decode()
    assert "LAN-2023-0001" in agenda


def test_another_agencys_reference_is_as_unknown_as_a_wrong_one(client, world):
    client.force_login(world.officer)
    url = reverse("meetings:flag", args=[world.meeting.pk])
    for reference in ("LAN-2023-0001", "NOPE-0000"):
        page = client.post(url, {"reference": reference, "level": "full"}).content.decode()
        assert "govuk-error-summary" in page
        assert "Enter the reference of a case your agency holds" in page
    assert not AgendaItem.objects.exists() and not Disclosure.objects.exists()


def test_the_chair_schedules_records_minutes_adds_an_action_and_closes(client, world):
    client.force_login(world.chair)
    response = client.post(
        reverse("meetings:meeting-create", args=[world.series.pk]),
        {"held_on_day": "4", "held_on_month": "7", "held_on_year": "2023",
         "attending_agencies": [world.police.pk, world.landlord.pk]},
    )  # fmt: skip
    meeting = Meeting.objects.get(held_on="2023-07-04")
    assert response.url == reverse("meetings:meeting", args=[meeting.pk])
    assert set(meeting.attending_agencies.all()) == {world.council, world.police, world.landlord}
    client.post(reverse("meetings:item-add", args=[meeting.pk]), {"title": "Hot spots"})
    item = meeting.items.get()
    client.post(
        reverse("meetings:minute-edit", args=[meeting.pk]), {"item": item.pk, "text": "Patrols up"}
    )
    response = client.post(
        reverse("meetings:action-add", args=[meeting.pk]),
        {"description": "Map the hot spot", "owning_agency": world.police.pk, "item": item.pk,
         "due_on_day": "1", "due_on_month": "8", "due_on_year": "2023"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Action.objects.get().owning_agency == world.police
    assert (
        "Patrols up" in client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    )
    client.post(reverse("meetings:close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert not meeting.is_open


def test_a_bad_action_gets_govuk_errors_and_saves_nothing(client, world):
    client.force_login(world.chair)
    page = client.post(reverse("meetings:action-add", args=[world.meeting.pk]), {}).content.decode()
    assert "govuk-error-summary" in page and "Enter what is to be done" in page
    assert not Action.objects.exists()


def test_an_attending_agency_that_does_not_chair_cannot_run_the_meeting(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("meetings:meeting", args=[world.meeting.pk])).status_code == 200
    for name in ("meetings:item-add", "meetings:action-add", "meetings:close"):
        assert client.get(reverse(name, args=[world.meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:close", args=[world.meeting.pk])).status_code == 404
    assert Meeting.objects.get().is_open


def test_closing_on_the_page_ends_a_name_only_flags_shares_the_chair_cannot_see(client, world):
    from safehold.cases.models import ChronologyEntry
    from safehold.meetings import services

    services.flag_case(
        meeting=world.meeting, case=world.flagged_case, level="name_only", by=world.housing
    )
    assert Disclosure.objects.live().filter(case=world.flagged_case).count() == 2
    client.force_login(world.chair)
    assert client.post(reverse("meetings:close", args=[world.meeting.pk])).status_code == 302
    assert not Disclosure.objects.live().filter(case=world.flagged_case).exists()
    assert ChronologyEntry.objects.filter(
        case=world.flagged_case, summary__startswith="Discussed at"
    ).exists()
