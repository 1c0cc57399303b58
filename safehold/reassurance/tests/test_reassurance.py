"""Reassurance work end to end: the property list import, the planner, a batch of letters as one
PDF, deliveries, visits and the referral a possible unknown victim raises; each through the read
gate, audited, refused to those who may not, with a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ReferralStatus
from safehold.cases.models import Referral
from safehold.cases.tests.factories import ProgrammeFactory
from safehold.core.csvfiles import ImportInvalid
from safehold.core.errors import Conflict, NotPermitted
from safehold.core.tests.readable import text_of
from safehold.reassurance import selectors, services, uploads
from safehold.reassurance.choices import BatchKind, VisitOutcome
from safehold.reassurance.models import Batch, DoorVisit, LetterDelivery, Property
from safehold.reassurance.tests.factories import (
    SK1_1AA,
    LetterDeliveryFactory,
    LetterTemplateVersionFactory,
    PropertyFactory,
    PropertyListFactory,
    place_at,
)

pytestmark = pytest.mark.django_db
E, N = SK1_1AA


def stock_file(rows) -> bytes:
    lines = ["uprn,address_line_1,town,postcode,easting,northing"]
    lines += [f"{u},{a},Stockport,SK1 1AA,{e},{n}" for u, a, e, n in rows]
    return ("\n".join(lines) + "\n").encode()


STOCK = [
    ("100011000001", "2 Mill Lane", E + 30, N),
    ("100011000002", "10 Mill Lane", E + 60, N),
    ("100011000003", "12A Mill Lane", E + 90, N),
    ("100011000004", "1 Acre Road", E, N + 150),
    ("100011000005", "5 Far Road", E + 400, N),  # outside 200 m
]


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def officer(agency):
    return UserFactory(agency=agency, role=Role.CASEWORKER)


@pytest.fixture
def premises(agency):
    return place_at(agency, E, N, address_line_1="7 Mill Lane", postcode="SK1 1AA")


@pytest.fixture
def landlord():
    return UserFactory(agency=AgencyFactory(name="Stockport Homes"), role=Role.CASEWORKER)


@pytest.fixture
def stock(landlord):
    uploads.import_property_list(data=stock_file(STOCK), name="Estate stock", by=landlord)


# --- The property list -------------------------------------------------------------------


def test_a_property_list_is_imported_with_both_kinds_of_coordinates(landlord):
    data = (
        "uprn,address_line_1,postcode,easting,northing,latitude,longitude\n"
        f"1,3 Mill Lane,sk1 1aa,{E},{N},,\n"
        "2,4 Mill Lane,SK1 1AA,,,53.41,-2.16\n"
    ).encode()
    result = uploads.import_property_list(data=data, name="Stock", by=landlord)
    assert (result.added, result.changed, result.unchanged) == (2, 0, 0)
    by_grid, by_degrees = Property.objects.order_by("uprn")
    assert by_grid.postcode == "SK1 1AA" and (by_grid.easting, by_grid.northing) == (E, N)
    assert abs(float(by_grid.latitude) - 53.4106) < 0.01  # projected from the grid
    assert by_degrees.easting > 0 and float(by_degrees.latitude) == 53.41  # and the reverse


def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_is_updated(landlord):
    uploads.import_property_list(data=stock_file(STOCK), name="Stock", by=landlord)
    before = {p.uprn: p.modified_at for p in Property.objects.all()}
    events = AuditEvent.objects.count()
    again = uploads.import_property_list(data=stock_file(STOCK), name="Stock", by=landlord)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 5)
    assert {p.uprn: p.modified_at for p in Property.objects.all()} == before
    assert AuditEvent.objects.count() == events
    moved = [(*STOCK[0][:2], E + 31, N), *STOCK[1:]]
    changed = uploads.import_property_list(data=stock_file(moved), name="Stock", by=landlord)
    assert (changed.added, changed.changed, changed.unchanged) == (0, 1, 4)
    assert Property.objects.get(uprn="100011000001").easting == E + 31


def test_a_bad_file_is_refused_whole_with_every_problem_by_row_and_column(landlord):
    data = (
        "uprn,address_line_1,postcode,easting,northing\n"
        f"1,3 Mill Lane,SK1 1AA,{E},{N}\n"
        "x,,NOT A POSTCODE,abc,900000000\n"
        f"1,4 Mill Lane,SK1 1AA,{E},{N}\n"
    ).encode()
    with pytest.raises(ImportInvalid) as refused:
        uploads.import_property_list(data=data, name="Stock", by=landlord)
    found = {(e.row, e.column) for e in refused.value.errors}
    assert {(3, "uprn"), (3, "address_line_1"), (3, "postcode"), (3, "easting"),
            (3, "northing"), (4, "uprn")} <= found  # fmt: skip
    assert not Property.objects.exists()


def test_a_file_without_coordinates_is_refused_at_its_header(landlord):
    with pytest.raises(ImportInvalid, match="error"):
        uploads.import_property_list(
            data=b"uprn,address_line_1,postcode\n1,3 Mill Lane,SK1 1AA\n", name="S", by=landlord
        )


def test_the_upload_page_imports_a_file_and_shows_what_it_did(client, landlord):
    client.force_login(landlord)
    upload = client.post(
        reverse("reassurance:property-import"),
        {"name": "Estate stock", "file": _file(stock_file(STOCK))},
    )
    assert upload.status_code == 302
    page = text_of(client.get(upload.url))
    assert "5 added, 0 changed, 0 unchanged" in page
    assert Property.objects.filter(property_list__name="Estate stock").count() == 5
    lists = text_of(client.get(reverse("reassurance:property-lists")))
    assert "Estate stock" in lists and "Stockport Homes" in lists


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("stock.csv", data, content_type="text/csv")


# --- The planner ---------------------------------------------------------------------------


def test_the_planner_finds_places_and_properties_within_the_distance_nearest_first(
    officer, premises, stock, agency
):
    neighbour = place_at(agency, E - 50, N, address_line_1="9 Mill Lane", uprn="100011000002")
    hidden = place_at(AgencyFactory(), E - 20, N, address_line_1="Unshared House")
    found = selectors.addresses_within(officer, premises, 200)
    lines = [a.one_line.split(",")[0] for a in found]
    # The place with UPRN ...002 is that property: listed once, as the place.
    assert lines == ["2 Mill Lane", "9 Mill Lane", "12A Mill Lane", "1 Acre Road"]
    assert found[1].location == neighbour and round(found[0].distance_m) == 30
    assert hidden.address_line_1 not in " ".join(lines)  # another agency's place: not found
    assert [a.one_line.split(",")[0] for a in selectors.addresses_within(officer, premises, 500)][
        -1
    ] == "5 Far Road"


def test_the_nearest_addresses_are_found_however_far(officer, premises, stock):
    assert len(selectors.nearest(officer, premises, 5)) == 5
    assert [a.listed.uprn for a in selectors.nearest(officer, premises, 2)] == [
        "100011000001",
        "100011000002",
    ]


def test_the_plan_page_shows_the_map_and_addresses_and_audits_the_premises(
    client, officer, premises, stock
):
    client.force_login(officer)
    response = client.get(reverse("reassurance:plan", args=[premises.pk]), {"radius_m": 100})
    page = text_of(response)
    assert "12A Mill Lane" in page and "1 Acre Road" not in page  # 150 m away
    assert 'id="planner-map"' in response.content.decode()
    assert AuditEvent.objects.filter(
        action=Action.CONSULT, object_ids__contains=str(premises.pk)
    ).exists()


def test_another_agency_cannot_plan_around_the_premises(client, premises):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert client.get(reverse("reassurance:plan", args=[premises.pk])).status_code == 404


# --- Letters -------------------------------------------------------------------------------


@pytest.fixture
def letter(agency):
    return LetterTemplateVersionFactory(
        template__owning_agency=agency,
        body="Dear resident at {{ address }},\n\nYour reference is {{ reference }}.\n\n"
        "{{ officer_name }}, {{ agency }}",
    )


def test_fifty_nearest_letters_print_as_one_pdf_one_letter_a_page(
    client, officer, premises, letter, agency
):
    plist = PropertyListFactory()
    for i in range(60):
        PropertyFactory(property_list=plist, address_line_1=f"{i + 1} Long Row",
                        easting=E + 10 + i * 5, northing=N)  # fmt: skip
    client.force_login(officer)
    response = client.post(
        reverse("reassurance:plan", args=[premises.pk]),
        {"kind": "letters", "purpose": "After the warrant", "template": str(letter.template_id),
         "officer_name": "PC Amy Ward", "nearest": "50"},
    )  # fmt: skip
    batch = Batch.objects.get()
    assert response.status_code == 302 and batch.template_version == letter
    deliveries = list(batch.deliveries.all())
    assert len(deliveries) == 50 and deliveries[-1].address.startswith("50 Long Row")
    pdf = client.get(reverse("reassurance:letters", args=[batch.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    pages = _pdf_pages(pdf.content)
    assert len(pages) == 50 and "1 Long Row" in pages[0] and "50 Long Row" in pages[49]
    assert "2 Long Row" in pages[1] and f"{batch.reference}-002" in pages[1]
    assert "PC Amy Ward" in pages[1] and agency.name in pages[1]
    assert AuditEvent.objects.filter(
        action=Action.CONSULT, channel=Channel.EXPORT, object_ids__contains=str(batch.pk)
    ).exists()


def _pdf_pages(content: bytes) -> list[str]:
    """The PDF's text page by page (pdftotext marks each page's end with a form feed)."""
    import subprocess

    done = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=content, capture_output=True)
    return done.stdout.decode().split("\f")[:-1]


def test_a_picked_list_of_addresses_gets_the_letters(client, officer, premises, letter, stock):
    client.force_login(officer)
    picked = [a.key for a in selectors.addresses_within(officer, premises, 200)][1:3]
    client.post(
        reverse("reassurance:plan", args=[premises.pk]) + "?radius_m=200",
        {"kind": "letters", "purpose": "After the warrant", "template": str(letter.template_id),
         "officer_name": "PC Amy Ward", "picked": picked},
    )  # fmt: skip
    assert [d.address.split(",")[0] for d in LetterDelivery.objects.all()] == [
        "10 Mill Lane",
        "12A Mill Lane",
    ]


def test_a_leaflet_drop_covers_every_address_in_walking_order(client, officer, premises, stock):
    client.force_login(officer)
    response = client.post(
        reverse("reassurance:plan", args=[premises.pk]) + "?radius_m=200",
        {"kind": "leaflets", "purpose": "Cuckooing leaflets"},
    )
    batch = Batch.objects.get()
    assert response.status_code == 302 and batch.kind == BatchKind.LEAFLETS
    assert batch.radius_m == 200 and batch.template_version is None
    walking = [d.address.split(",")[0] for d in batch.deliveries.all()]
    assert walking == ["1 Acre Road", "2 Mill Lane", "10 Mill Lane", "12A Mill Lane"]
    assert client.get(reverse("reassurance:letters", args=[batch.pk])).status_code == 404


def test_a_letter_batch_without_a_letter_gets_errors_and_saves_nothing(
    client, officer, premises, stock
):
    client.force_login(officer)
    response = client.post(
        reverse("reassurance:plan", args=[premises.pk]), {"kind": "letters", "purpose": ""}
    )
    page = text_of(response)
    assert response.status_code == 400 and "Select the letter to print" in page
    assert "Enter what the letters or leaflets are for" in page and not Batch.objects.exists()


def test_the_service_refuses_a_user_who_may_not_and_another_agency_s_premises(
    premises, letter, stock
):
    address = selectors.addresses_within(UserFactory(agency=premises.owning_agency), premises, 200)
    analyst = UserFactory(agency=premises.owning_agency, role=Role.ANALYST)
    stranger = UserFactory(role=Role.CASEWORKER)
    for who in (analyst, stranger):
        with pytest.raises(NotPermitted):
            services.create_batch(premises=premises, kind=BatchKind.LEAFLETS, purpose="x",
                                  addresses=address, by=who)  # fmt: skip
    assert not Batch.objects.exists()


def test_a_batch_that_fails_part_way_leaves_nothing_behind(officer, premises, stock, agency):
    """An address that is both a place and a property breaks the table's rule on the last row:
    the batch, its other addresses and its audit event all go with it."""
    import dataclasses

    from django.db import IntegrityError

    addresses = selectors.addresses_within(officer, premises, 200)
    place = place_at(agency, E + 1, N + 1)
    broken = dataclasses.replace(addresses[-1], location=place)  # and still its property
    events = AuditEvent.objects.count()
    with pytest.raises(IntegrityError):
        services.create_batch(premises=premises, kind=BatchKind.LEAFLETS, purpose="x",
                              addresses=[*addresses[:-1], broken], by=officer)  # fmt: skip
    assert not Batch.objects.exists() and not LetterDelivery.objects.exists()
    assert AuditEvent.objects.count() == events


# --- Templates -----------------------------------------------------------------------------


def test_each_save_of_a_template_is_a_new_version_and_a_batch_keeps_its_own(
    client, officer, premises, stock
):
    client.force_login(officer)
    client.post(reverse("reassurance:template-add"), {"name": "After a warrant",
                "body": "Dear resident at {{ address }}"})  # fmt: skip
    first = services.save_template(name="After a warrant", body="Dear resident at {{ address }}",
                                   by=officer, template=None if False else _template(officer))  # fmt: skip
    assert first.number == 1  # the same text again saves nothing
    edit = reverse("reassurance:template-edit", args=[first.template_id])
    assert (
        client.post(edit, {"name": "After a warrant", "body": "Hello {{ address }}"}).status_code
        == 302
    )
    template = first.template
    assert [v.number for v in template.versions.all()] == [2, 1]
    page = text_of(client.get(reverse("reassurance:template", args=[template.pk])))
    assert "Hello [address]" in page


def _template(officer):
    from safehold.reassurance.models import LetterTemplate

    return LetterTemplate.objects.get(owning_agency=officer.agency, name="After a warrant")


def test_an_unknown_merge_field_is_a_form_error_naming_it(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("reassurance:template-add"), {"name": "Bad", "body": "Dear {{ tenant }}"}
    )
    assert response.status_code == 400 and "{{ tenant }}" in text_of(response)
    assert "govuk-error-summary" in response.content.decode()


# --- Deliveries, visits and referrals ------------------------------------------------------


@pytest.fixture
def drop(officer, premises, stock):
    addresses = selectors.addresses_within(officer, premises, 200)
    return services.create_batch(premises=premises, kind=BatchKind.LEAFLETS, purpose="Drop",
                                 addresses=addresses, radius_m=200, by=officer)  # fmt: skip


def test_the_walking_list_records_deliveries_once(client, officer, drop):
    client.force_login(officer)
    first, second = list(drop.deliveries.all())[:2]
    url = reverse("reassurance:walking-list", args=[drop.pk])
    client.post(url, {"delivered_on_day": "1", "delivered_on_month": "12",
                      "delivered_on_year": "2026", "delivered": [str(first.pk), str(second.pk)]})  # fmt: skip
    assert drop.deliveries.filter(delivered_on=datetime.date(2026, 12, 1)).count() == 2
    page = text_of(client.get(url))
    assert "1 December 2026" in page and "Acre Road" in page


def test_a_possible_unknown_victim_raises_one_referral_into_triage_linked_both_ways(
    client, officer, drop
):
    ProgrammeFactory()
    delivery = drop.deliveries.first()
    client.force_login(officer)
    client.post(
        reverse("reassurance:visit-add", args=[delivery.pk]),
        {"visited_on_day": "1", "visited_on_month": "12", "visited_on_year": "2026",
         "outcome": VisitOutcome.POSSIBLE_VICTIM, "note": "Young man, scared"},
    )  # fmt: skip
    visit = DoorVisit.objects.get()
    response = client.post(reverse("reassurance:visit", args=[visit.pk]))
    assert response.status_code == 302
    referral = Referral.objects.get()
    visit.refresh_from_db()
    assert visit.referral == referral and referral.door_visit == visit
    assert referral.status == ReferralStatus.SUBMITTED and referral.address_line_1 == "1 Acre Road"
    assert drop.reference in referral.what_was_seen and "scared" in referral.what_was_seen
    assert referral.reference in text_of(client.get(reverse("reassurance:visit", args=[visit.pk])))
    with pytest.raises(Conflict):
        services.raise_referral(visit=visit, by=officer)
    assert Referral.objects.count() == 1


def test_a_visit_with_no_answer_raises_no_referral(officer, drop):
    ProgrammeFactory()
    visit = services.record_visit(delivery=drop.deliveries.first(), by=officer,
                                  visited_on=datetime.date(2026, 1, 1), outcome=VisitOutcome.NO_ANSWER)  # fmt: skip
    with pytest.raises(Conflict):
        services.raise_referral(visit=visit, by=officer)
    assert not Referral.objects.exists()


def test_a_visit_in_the_future_is_refused_and_nothing_saved(officer, drop):
    with pytest.raises(services.ReassuranceError, match="today or in the past"):
        services.record_visit(delivery=drop.deliveries.first(), by=officer,
                              visited_on=datetime.date(2999, 1, 1), outcome=VisitOutcome.ANSWERED)  # fmt: skip
    assert not DoorVisit.objects.exists()


def test_another_agency_gets_404_on_the_batch_the_holder_sees(client, officer, drop):
    url = reverse("reassurance:batch", args=[drop.pk])
    client.force_login(officer)
    assert drop.reference in text_of(client.get(url))  # the positive control
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert client.get(url).status_code == 404
    assert drop.reference not in text_of(client.get(reverse("reassurance:index")))


# --- Query counts --------------------------------------------------------------------------


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_and_pages_issue_a_fixed_number_of_queries(client, officer, premises):
    client.force_login(officer)
    plist = PropertyListFactory()

    def grow(n):
        for i in range(n):
            PropertyFactory(property_list=plist, easting=E + 5 + i, northing=N + 3)
            place_at(officer.agency, E - 5 - i, N, address_line_1=f"{i} Side Street")
        addresses = selectors.addresses_within(officer, premises, 200)
        batch = services.create_batch(premises=premises, kind=BatchKind.LEAFLETS, purpose="x",
                                      addresses=addresses, radius_m=200, by=officer)  # fmt: skip
        for d in batch.deliveries.all()[:n]:
            services.record_visit(delivery=d, by=officer, visited_on=datetime.date(2026, 1, 1),
                                  outcome=VisitOutcome.ANSWERED)  # fmt: skip
        return batch

    small = grow(2)
    urls = lambda b: [reverse("reassurance:index"), reverse("reassurance:batch", args=[b.pk]),  # noqa: E731
                      reverse("reassurance:walking-list", args=[b.pk]),
                      reverse("reassurance:plan", args=[premises.pk]),
                      reverse("reassurance:property-lists")]  # fmt: skip
    few = [count(client, u) for u in urls(small)]
    big = grow(30)
    assert [count(client, u) for u in urls(big)] == few


def test_the_home_page_panel_lists_the_agency_s_batches_by_reference_only(client, officer, drop):
    drop.deliveries.update(delivered_on=datetime.date(2026, 1, 1))
    client.force_login(officer)
    page = text_of(client.get(reverse("core:home")))
    assert drop.reference in page and "leaflet drop, 4 of 4 delivered" in page
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert drop.reference not in text_of(client.get(reverse("core:home")))
    client.force_login(UserFactory(agency=officer.agency, role=Role.ANALYST))
    assert "Plan letters or a leaflet drop" not in text_of(client.get(reverse("core:home")))


def test_a_batch_on_a_shared_premises_goes_out_of_sight_when_the_share_is_revoked(client):
    """A partner plans around a premises the holder shared in full with a case; when the
    disclosure is revoked, the partner's own batch about it is no longer found (404)."""
    from django.utils import timezone

    from safehold.cases.tests.factories import CaseFactory
    from safehold.sharing.models import Disclosure
    from safehold.sharing.tests.factories import AgreementFactory

    holder, partner = AgencyFactory(), AgencyFactory()
    premises = place_at(holder, E, N, address_line_1="3 Shared Row")
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=holder), location=premises)
    disclosure = Disclosure.objects.create(
        agreement=AgreementFactory(parties=[holder, partner]), from_agency=holder,
        to_agency=partner, level="full", purpose="joint work", case=case,
    )  # fmt: skip
    officer = UserFactory(agency=partner, role=Role.CASEWORKER)
    PropertyFactory(easting=E + 20, northing=N)
    addresses = selectors.addresses_within(officer, premises, 100)
    batch = services.create_batch(premises=premises, kind=BatchKind.LEAFLETS, purpose="Drop",
                                  addresses=addresses, radius_m=100, by=officer)  # fmt: skip
    url = reverse("reassurance:batch", args=[batch.pk])
    client.force_login(officer)
    assert "3 Shared Row" in text_of(client.get(url))  # the positive control
    disclosure.revoked_at = timezone.now()
    disclosure.save()
    assert client.get(url).status_code == 404
    assert batch.reference not in text_of(client.get(reverse("reassurance:index")))
    assert client.get(reverse("reassurance:plan", args=[premises.pk])).status_code == 404


def test_a_referral_from_an_address_with_no_place_or_property_uses_the_address_printed(agency):
    ProgrammeFactory()
    officer = UserFactory(agency=agency, role=Role.CASEWORKER)
    delivery = LetterDeliveryFactory(
        batch__owning_agency=agency, address="4 Lost Lane, Stockport, SK1 1AA", postcode="SK1 1AA"
    )
    visit = services.record_visit(delivery=delivery, by=officer, visited_on=datetime.date(2026, 1, 1),
                                  outcome=VisitOutcome.POSSIBLE_VICTIM)  # fmt: skip
    referral = services.raise_referral(visit=visit, by=officer)
    assert referral.address_line_1.startswith("4 Lost Lane") and referral.postcode == "SK1 1AA"
