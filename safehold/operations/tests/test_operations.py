"""Operations keep the spine: the lead and partner agencies see an operation (briefing
included) and others get 404; people of interest only through the people gate; services check
their actor and are atomic; the list's query count is fixed."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.core.errors import NotPermitted
from safehold.operations.models import Arrest, DrugSeizure, Operation, OperationResult
from safehold.operations.services import planning, results
from safehold.operations.services.errors import OperationError
from safehold.operations.tests.factories import (
    OperationFactory,
    OperationPartnerFactory,
    OperationPremisesFactory,
)
from safehold.people.tests.factories import LocationFactory, PersonFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2024, 6, 18, 6, 0, tzinfo=datetime.UTC)


def test_planning_an_operation_makes_it_visible_to_lead_and_partners_only(
    client, lead, partner, stranger
):
    operation = planning.plan_operation(
        by=lead, name="Operation Larch", kind="warrant", starts_at=WHEN,
        partners=[partner.agency, lead.agency], briefing="Dog at flat 4",
    )  # fmt: skip
    assert [p.agency for p in operation.partners.all()] == [
        partner.agency
    ]  # the lead is not a partner
    assert AuditEvent.objects.filter(action=Action.COLLECT, purpose="operation planned").exists()
    url = reverse("operations:detail", args=[operation.pk])
    for user in (lead, partner):  # the positive controls
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Operation Larch" in page and "Dog at flat 4" in page
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert "Operation Larch" not in client.get(reverse("operations:list")).content.decode()


def test_a_referrer_cannot_plan_an_operation_and_nothing_is_saved(lead):
    referrer = UserFactory(agency=lead.agency, role=Role.REFERRER)
    with pytest.raises(NotPermitted):
        planning.plan_operation(by=referrer, name="Operation Oak", kind="warrant", starts_at=WHEN)
    assert not Operation.objects.exists()


def test_people_of_interest_show_only_through_the_people_gate(client, operation, lead, partner):
    person = PersonFactory(owning_agency=lead.agency, given_name="Anders", family_name="Quellby")
    planning.add_person(operation=operation, person=person, by=lead)
    url = reverse("operations:detail", args=[operation.pk])
    client.force_login(lead)
    assert "Quellby" in client.get(url).content.decode()
    client.force_login(partner)
    page = client.get(url).content.decode()
    assert "Quellby" not in page and "1 other person not shared with your agency" in page


def test_premises_of_another_agency_show_without_their_address(client, operation, lead, partner):
    location = LocationFactory(owning_agency=lead.agency, address_line_1="9 Quorne Walk")
    planning.add_premises(operation=operation, location=location, by=lead)
    url = reverse("operations:detail", args=[operation.pk])
    client.force_login(lead)
    assert "9 Quorne Walk" in client.get(url).content.decode()
    client.force_login(partner)
    page = client.get(url).content.decode()
    assert "9 Quorne Walk" not in page and "address not shared with your agency" in page


def test_only_the_lead_may_add_premises_and_only_places_it_may_see(operation, lead, partner):
    own = LocationFactory(owning_agency=lead.agency)
    with pytest.raises(NotPermitted):
        planning.add_premises(operation=operation, location=own, by=partner)
    with pytest.raises(NotPermitted):
        planning.add_premises(operation=operation, location=LocationFactory(), by=lead)
    assert not operation.premises.exists()
    planning.add_premises(operation=operation, location=own, by=lead)
    with pytest.raises(OperationError, match="already"):
        planning.add_premises(operation=operation, location=own, by=lead)


def test_a_partner_records_results_with_arrests_and_drugs(operation, lead, partner):
    premises = OperationPremisesFactory(operation=operation)
    result = results.record_results(
        operation=operation, premises=premises, by=partner, warrants_executed=1,
        offences=["Possession with intent to supply class A", " ", "Assault"],
        drugs=[("Crack cocaine", Decimal("12.50"), "g")], cash_seized=Decimal("1250.00"),
        phones_seized=3,
    )  # fmt: skip
    assert [a.offence for a in result.arrests.all()] == [
        "Possession with intent to supply class A", "Assault",
    ]  # fmt: skip
    assert result.drug_seizures.get().quantity == Decimal("12.50")
    event = AuditEvent.objects.get(action=Action.COLLECT, purpose="operation results recorded")
    assert str(premises.location_id) in event.object_ids


def test_results_are_refused_to_an_agency_taking_no_part(operation, stranger):
    with pytest.raises(NotPermitted):
        results.record_results(operation=operation, by=stranger, warrants_executed=1)
    assert not OperationResult.objects.exists()


def test_a_bad_drug_leaves_nothing_behind_not_even_the_arrests(operation, lead):
    with pytest.raises(OperationError, match="quantity"):
        results.record_results(
            operation=operation,
            by=lead,
            offences=["Burglary"],
            drugs=[("Heroin", Decimal("0"), "g")],
        )
    assert not (
        OperationResult.objects.exists() or Arrest.objects.exists() or DrugSeizure.objects.exists()
    )


def test_the_results_form_records_and_the_page_totals_them(client, operation, lead):
    premises = OperationPremisesFactory(operation=operation)
    client.force_login(lead)
    url = reverse("operations:results", args=[operation.pk])
    form = {
        "premises": str(premises.pk), "warrants_executed": "1", "offences": "PWITS\nPWITS",
        "drug": "Heroin", "drug_quantity": "4", "drug_unit": "wraps", "cash_seized": "310.50",
        "doors_knocked": "22",
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    assert client.post(url, {"warrants_executed": "1", "offences": "Affray"}).status_code == 302
    page = client.get(reverse("operations:detail", args=[operation.pk])).content.decode()
    assert "Whole operation" in page and "£310.50" in page and "Heroin: 4.00 wraps" in page
    totals = client.get(reverse("operations:detail", args=[operation.pk])).context["totals"].totals
    assert (
        totals["arrests"] == 3
        and totals["warrants_executed"] == 2
        and totals["doors_knocked"] == 22
    )


def test_a_bad_results_form_gets_govuk_errors_and_saves_nothing(client, operation, lead):
    client.force_login(lead)
    response = client.post(
        reverse("operations:results", args=[operation.pk]),
        {"warrants_executed": "-1", "drug": "Heroin"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert (
        "Warrants executed must be 0 or more" in page
        and "Enter the quantity of drugs seized" in page
    )
    assert not OperationResult.objects.exists()


def test_the_plan_form_plans_an_operation_with_its_partners(client, lead, partner):
    client.force_login(lead)
    response = client.post(
        reverse("operations:create"),
        {
            "name": "Operation Birch", "kind": "day_of_action", "starts_on_day": "18",
            "starts_on_month": "6", "starts_on_year": "2024", "starts_time": "06:00",
            "partners": [str(partner.agency.pk)], "phase": "hold",
            "area_description": "Mottram Estate",
        },
    )  # fmt: skip
    operation = Operation.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "operations:detail", args=[operation.pk]
    )
    assert operation.partners.get().agency == partner.agency and operation.phase == "hold"
    assert (
        client.post(reverse("operations:create"), {})
        .content.decode()
        .count("Enter the name of the operation")
        >= 1
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_issues_a_fixed_number_of_queries_whatever_the_rows(client, lead):
    def more(n):
        for _ in range(n):
            operation = OperationFactory(owning_agency=lead.agency)
            OperationPartnerFactory(operation=operation)
            OperationPartnerFactory(operation=operation)

    client.force_login(lead)
    more(2)
    few = count_queries(client, reverse("operations:list"))
    more(30)
    assert count_queries(client, reverse("operations:list")) == few


def test_the_operation_page_issues_a_fixed_number_of_queries(client, operation, lead):
    def more(n):
        for _ in range(n):
            premises = OperationPremisesFactory(operation=operation)
            results.record_results(
                operation=operation, premises=premises, by=lead, offences=["A", "B"],
                drugs=[("Cannabis", Decimal("3"), "plants")],
            )  # fmt: skip

    client.force_login(lead)
    more(1)
    url = reverse("operations:detail", args=[operation.pk])
    few = count_queries(client, url)
    more(12)
    assert count_queries(client, url) == few


def test_the_navigation_offers_operations_to_caseworkers_not_analysts(client, lead):
    client.force_login(lead)
    texts = [item["text"] for item in client.get(reverse("core:home")).context["nav_items"]]
    assert "Operations" in texts
    client.force_login(UserFactory(agency=lead.agency, role=Role.ANALYST))
    texts = [item["text"] for item in client.get(reverse("core:home")).context["nav_items"]]
    assert "Operations" not in texts


def test_the_targets_page_finds_places_through_the_gate_and_adds_one(client, operation, lead):
    mine = LocationFactory(owning_agency=lead.agency, address_line_1="4 Zennor Court")
    LocationFactory(owning_agency=AgencyFactory(), address_line_1="6 Zennor Court")
    client.force_login(lead)
    url = reverse("operations:targets", args=[operation.pk])
    page = client.get(url, {"q": "Zennor"}).content.decode()
    assert "4 Zennor Court" in page and "6 Zennor Court" not in page
    assert client.post(url, {"add_location": str(mine.pk)}).status_code == 302
    assert operation.premises.get().location == mine


def test_after_adding_a_place_the_same_search_shows_it_added(client, operation, lead):
    """Adding goes back to the same search (the next premises is one click away), where the
    place just added is marked, not offered again; the others still are."""
    added = LocationFactory(owning_agency=lead.agency, address_line_1="4 Zennor Court")
    LocationFactory(owning_agency=lead.agency, address_line_1="8 Zennor Court")
    client.force_login(lead)
    url = reverse("operations:targets", args=[operation.pk])
    response = client.post(url, {"add_location": str(added.pk), "q": "Zennor"})
    assert response.status_code == 302 and response["Location"] == f"{url}?q=Zennor"
    page = client.get(response["Location"]).content.decode()
    assert page.count("Target premises</strong>") == 1
    assert 'Add<span class="govuk-visually-hidden"> 8 Zennor Court' in page
    assert 'Add<span class="govuk-visually-hidden"> 4 Zennor Court' not in page


def test_the_lead_changes_the_plan_and_a_partner_taken_off_no_longer_sees_it(
    client, lead, partner, operation
):
    """The form opens filled in with the plan as it is; saving changes the date and phase and
    takes the partner off, who then gets 404 where the lead still sees the operation."""
    url = reverse("operations:edit", args=[operation.pk])
    client.force_login(partner)
    assert client.get(reverse("operations:detail", args=[operation.pk])).status_code == 200
    assert client.get(url).status_code == 404  # a partner does not change the plan
    client.force_login(lead)
    form = client.get(url).context["form"]
    assert form.initial["name"] == operation.name
    assert form.initial["partners"] == [partner.agency.pk]
    response = client.post(
        url,
        {
            "name": "Operation Birch II", "kind": operation.kind, "starts_on_day": "19",
            "starts_on_month": "6", "starts_on_year": "2024", "starts_time": "05:30",
            "phase": "hold", "briefing": operation.briefing,
        },
    )  # fmt: skip
    assert response.status_code == 302
    operation.refresh_from_db()
    assert operation.name == "Operation Birch II" and operation.phase == "hold"
    assert timezone.localtime(operation.starts_at).strftime("%d %m %Y %H:%M") == "19 06 2024 05:30"
    assert not operation.partners.exists()
    assert client.get(reverse("operations:detail", args=[operation.pk])).status_code == 200
    client.force_login(partner)
    assert client.get(reverse("operations:detail", args=[operation.pk])).status_code == 404
    event = AuditEvent.objects.filter(purpose__startswith="operation plan changed").get()
    assert "name" in event.purpose and "partners" in event.purpose


def test_a_change_refused_keeps_what_was_typed(client, lead, operation):
    client.force_login(lead)
    response = client.post(
        reverse("operations:edit", args=[operation.pk]),
        {"name": "Operation Birch III", "kind": operation.kind, "starts_on_day": "40",
         "starts_on_month": "6", "starts_on_year": "2024", "phase": "hold"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "Operation Birch III" in page
    operation.refresh_from_db()
    assert operation.name != "Operation Birch III"
