"""The header search: each kind found through its own read gate, audited, a fixed number of
queries, and another agency's records never found unless shared (with the holder's positive
control on the same URL)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.models import Disclosure
from safehold.sharing.tests.factories import AgreementFactory

URL = reverse("search:results")


@pytest.fixture
def holder(db):
    agency = AgencyFactory()
    person = PersonFactory(
        owning_agency=agency, given_name="Wenna", family_name="Quillfeather",
        date_of_birth=datetime.date(1990, 10, 31),
    )  # fmt: skip
    place = LocationFactory(owning_agency=agency, address_line_1="7 Orrin Row", postcode="SK4 9ZZ")
    case = CaseFactory(
        programme=ProgrammeFactory(lead_agency=agency), reference="EXP-2026-0404",
        subject=person, location=place,
    )  # fmt: skip
    worker = UserFactory(agency=agency, role=Role.CASEWORKER)
    return {"agency": agency, "person": person, "place": place, "case": case, "worker": worker}


def _share(holder, to, *, level):
    Disclosure.objects.create(
        agreement=AgreementFactory(parties=[holder["agency"], to]), from_agency=holder["agency"],
        to_agency=to, level=level, purpose="joint work", case=holder["case"],
    )  # fmt: skip


def test_the_holder_finds_a_case_by_reference_a_person_by_name_and_a_place_by_postcode(
    client, holder
):
    client.force_login(holder["worker"])
    by_reference = client.get(URL, {"q": "EXP-2026-0404"}).content.decode()
    assert reverse("cases:detail", args=[holder["case"].pk]) in by_reference
    by_name = client.get(URL, {"q": "quillfeather"}).content.decode()
    assert reverse("people:detail", args=[holder["person"].pk]) in by_name
    by_postcode = client.get(URL, {"q": "SK4 9ZZ"}).content.decode()
    assert reverse("people:location-detail", args=[holder["place"].pk]) in by_postcode
    by_address = client.get(URL, {"q": "Orrin"}).content.decode()
    assert reverse("people:location-detail", args=[holder["place"].pk]) in by_address


def test_a_date_of_birth_narrows_people_by_name(client, holder):
    PersonFactory(
        owning_agency=holder["agency"], given_name="Other", family_name="Quillfeather",
        date_of_birth=datetime.date(1980, 1, 1),
    )  # fmt: skip
    client.force_login(holder["worker"])
    page = client.get(URL, {"q": "Quillfeather 31/10/1990"}).content.decode()
    assert "Quillfeather, Wenna" in page
    assert "Quillfeather, Other" not in page
    alone = client.get(URL, {"q": "1990-10-31"}).content.decode()
    assert "Quillfeather, Wenna" in alone


def test_those_who_triage_find_a_referral_by_reference(client, holder):
    referral = ReferralFactory(programme=holder["case"].programme, reference="REF-2026-0777")
    client.force_login(holder["worker"])
    page = client.get(URL, {"q": "REF-2026-0777"}).content.decode()
    assert reverse("cases:referral-detail", args=[referral.pk]) in page
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER))
    assert "REF-2026-0777" not in client.get(URL, {"q": "REF-2026"}).content.decode()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR, Role.IG_OFFICER,
                                  Role.ADMINISTRATOR])  # fmt: skip
def test_another_agencys_unshared_case_person_and_place_are_never_found(client, holder, role):
    client.force_login(UserFactory(agency=AgencyFactory(), role=role))
    # Parts of each value, so an echo of the words searched for is not taken for a leak.
    for q in ("EXP-2026-04", "Quillfeat", "SK4 9Z", "Orri", "31/10/1990"):
        page = client.get(URL, {"q": q}).content.decode()
        for secret in ("EXP-2026-0404", "Wenna", "Orrin Row", "SK4 9ZZ"):
            assert secret not in page, f"{q!r} found {secret!r}"
    # The positive control: the holder's user, same URL, same words.
    client.force_login(UserFactory(agency=holder["agency"], role=role))
    page = client.get(URL, {"q": "EXP-2026-04"}).content.decode()
    assert "EXP-2026-0404" in page and "Wenna" in page


def test_a_case_shared_in_full_is_found_and_one_shared_by_name_only_is_a_who_else_hint(
    client, holder
):
    full, named = AgencyFactory(), AgencyFactory()
    _share(holder, full, level="full")
    _share(holder, named, level="name_only")
    client.force_login(UserFactory(agency=full, role=Role.CASEWORKER))
    page = client.get(URL, {"q": "Quillfeather"}).content.decode()
    assert reverse("cases:detail", args=[holder["case"].pk]) in page
    client.force_login(UserFactory(agency=named, role=Role.CASEWORKER))
    page = client.get(URL, {"q": "Quillfeather"}).content.decode()
    assert "Known to other organisations" in page
    assert "Wenna Quillfeather" in page
    assert reverse("sharing:request-case", args=[holder["case"].pk]) in page
    # The name only: not the reference, not the address, no link to the case.
    case_link = f'href="{reverse("cases:detail", args=[holder["case"].pk])}"'
    for secret in ("EXP-2026-0404", "Orrin Row", case_link):
        assert secret not in page


def test_a_search_is_audited_naming_what_it_found_never_the_words(client, holder):
    client.force_login(holder["worker"])
    before = AuditEvent.objects.count()
    client.get(URL, {"q": "Quillfeather"})
    events = list(AuditEvent.objects.order_by("id")[before:])
    named = {i for e in events for i in e.object_ids.split()}
    assert {str(holder["case"].pk), str(holder["person"].pk)} <= named
    assert all(e.action == "consult" for e in events)
    assert all("Quillfeather" not in e.purpose for e in events)
    assert str(holder["person"].pk) in {i for e in events for i in e.subject_ids.split()}


def test_a_search_that_finds_nothing_is_still_recorded(client, holder):
    client.force_login(holder["worker"])
    before = AuditEvent.objects.count()
    client.get(URL, {"q": "Nobodyhere"})
    assert AuditEvent.objects.count() == before + 1


def test_an_empty_search_is_an_error_message(client, holder):
    client.force_login(holder["worker"])
    page = client.get(URL, {"q": "  "}).content.decode()
    assert "There is a problem" in page
    assert "Enter a reference, name, date of birth, postcode or address" in page


def test_the_search_page_issues_the_same_number_of_queries_for_2_and_15_matches(client, holder):
    client.force_login(holder["worker"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": "Quillfeather"}).status_code == 200
        return len(captured)

    CaseFactory(programme=holder["case"].programme, subject=PersonFactory(
        owning_agency=holder["agency"], family_name="Quillfeather"))  # fmt: skip
    few = queries()
    for _ in range(13):
        CaseFactory(programme=holder["case"].programme, subject=PersonFactory(
            owning_agency=holder["agency"], family_name="Quillfeather"))  # fmt: skip
    assert queries() == few


def test_the_search_box_is_in_the_header_for_those_who_may_search(client, holder):
    client.force_login(holder["worker"])
    assert 'id="header-search"' in client.get(reverse("core:home")).content.decode()
    client.force_login(UserFactory(agency=holder["agency"], role=Role.ANALYST))
    assert 'id="header-search"' not in client.get(reverse("core:home")).content.decode()
    assert client.get(URL, {"q": "Quillfeather"}).status_code == 403
