"""The information sharing pages, part two: sharing from the case and person pages, the
who-else search, and access requests, through the test client."""

import datetime
import html

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.tests.factories import AgencyFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.tests.factories import PersonFactory
from safehold.sharing import services
from safehold.sharing.choices import AccessRequestStatus
from safehold.sharing.models import AccessRequest, Disclosure, InformationSharingAgreement
from safehold.sharing.tests.factories import AgreementFactory
from safehold.sharing.tests.pages import errors, share_form, today


def test_name_only_share_then_request_approve_open_and_stop_sharing(
    client, case, agreement, housing, police, housing_officer, police_officer
):
    # The holder shares the case by name only, from the case page.
    client.force_login(housing_officer)
    case_url = reverse("cases:detail", args=[case.pk])
    page = client.get(case_url).content.decode()
    share_url = reverse("sharing:share-case", args=[case.pk])
    assert share_url in page and "Not shared with any other organisation" in page
    response = client.post(share_url, share_form(agreement, police, "name_only"))
    assert response.status_code == 302 and response.url == case_url
    disclosure = Disclosure.objects.get()
    assert (disclosure.to_agency, disclosure.level) == (police, "name_only")
    page = client.get(case_url).content.decode()
    assert "Testshire Police" in page and "Name and agencies involved only" in page
    assert reverse("sharing:revoke", args=[disclosure.pk]) in page

    # The police find that housing is working with the person, but nothing else about them.
    client.force_login(police_officer)
    assert client.get(case_url).status_code == 404
    page = client.get(reverse("sharing:who-else"), {"q": "quillfeather"}).content.decode()
    assert "Robin Quillfeather" in page
    assert "Homes for Testing is working with this person" in page
    assert "Jo Holder" in page and housing_officer.email in page
    for secret in ("Hidden Walk", "SK5 9ZZ", "1961", "23 July", case.reference):
        assert secret not in page
    assert f'href="{case_url}"' not in page
    request_url = reverse("sharing:request-case", args=[case.pk])
    assert request_url in page

    # They ask for the full record.
    page = errors(client.post(request_url, {"reason": ""}))
    assert "Enter why you need the full record" in page
    response = client.post(request_url, {"reason": "Joint visit planned at the address"})
    assert response.status_code == 302 and response.url == reverse("sharing:requests-sent")
    access_request = AccessRequest.objects.get()
    assert access_request.requesting_agency == police
    page = client.get(reverse("sharing:requests-sent")).content.decode()
    assert "Waiting for a decision" in page and "Joint visit planned" in page

    # The holder approves under the agreement.
    client.force_login(housing_officer)
    page = client.get(reverse("sharing:requests")).content.decode()
    assert "Joint visit planned at the address" in page and "Sam Asker" in page
    approve_url = reverse("sharing:request-approve", args=[access_request.pk])
    response = client.post(approve_url, {"agreement": str(agreement.pk)})
    assert response.status_code == 302
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.APPROVED

    # The police open the case, read only, told who shared it and under what.
    client.force_login(police_officer)
    response = client.get(case_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Shared with your organisation by Homes for Testing under" in page
    assert "Testshire sharing agreement" in page and "Stop sharing" not in page
    assert case_url in client.get(reverse("sharing:requests-sent")).content.decode()

    # The holder stops sharing: the police's next request is a 404.
    client.force_login(housing_officer)
    full = Disclosure.objects.get(level="full")
    revoke_url = reverse("sharing:revoke", args=[full.pk])
    assert "Enter why you are stopping sharing" in errors(client.post(revoke_url, {"reason": ""}))
    response = client.post(revoke_url, {"reason": "Visit done"})
    assert response.status_code == 302 and response.url == case_url
    assert "Stopped" in client.get(case_url).content.decode()
    client.force_login(police_officer)
    assert client.get(case_url).status_code == 404


def test_a_declined_request_tells_the_requester_why_and_opens_nothing(
    client, case, agreement, police, housing_officer, police_officer
):
    services.disclose(
        agreement=agreement, to_agency=police, level="name_only", purpose="awareness",
        by=housing_officer, case=case,
    )  # fmt: skip
    client.force_login(police_officer)
    client.post(reverse("sharing:request-case", args=[case.pk]), {"reason": "Curious"})
    access_request = AccessRequest.objects.get()
    # Asking twice is not a second request.
    response = client.get(reverse("sharing:request-case", args=[case.pk]))
    assert response.status_code == 302 and AccessRequest.objects.count() == 1

    client.force_login(housing_officer)
    decline_url = reverse("sharing:request-decline", args=[access_request.pk])
    assert "Enter why you are declining the request" in errors(
        client.post(decline_url, {"reason": ""})
    )
    client.post(decline_url, {"reason": "No need to know"})
    assert client.get(decline_url).status_code == 302  # already decided

    client.force_login(police_officer)
    page = client.get(reverse("sharing:requests-sent")).content.decode()
    assert "Declined" in page and "No need to know" in page
    assert reverse("cases:detail", args=[case.pk]) not in page
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_request_for_a_record_no_longer_shared_names_nobody(
    client, case, agreement, police, housing_officer, police_officer
):
    """Once the name-only share ends, the request stays in the requester's list but no longer
    names the person (on PostgreSQL the page failed: the case row is hidden from the police)."""
    disclosure = services.disclose(
        agreement=agreement, to_agency=police, level="name_only", purpose="awareness",
        by=housing_officer, case=case,
    )  # fmt: skip
    client.force_login(police_officer)
    client.post(reverse("sharing:request-case", args=[case.pk]), {"reason": "Joint visit"})
    sent = reverse("sharing:requests-sent")
    assert "Robin Quillfeather" in client.get(sent).content.decode()  # the positive control
    services.revoke(disclosure=disclosure, by=housing_officer, reason="Awareness no longer needed")
    response = client.get(sent)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Robin Quillfeather" not in page and "A record no longer shared with" in page


def test_the_requester_cannot_decide_its_own_request(
    client, case, agreement, police, housing_officer, police_officer
):
    services.disclose(
        agreement=agreement, to_agency=police, level="name_only", purpose="awareness",
        by=housing_officer, case=case,
    )  # fmt: skip
    access_request = services.request_access(by=police_officer, reason="Visit", case=case)
    client.force_login(police_officer)
    response = client.post(
        reverse("sharing:request-approve", args=[access_request.pk]),
        {"agreement": str(agreement.pk)},
    )
    assert response.status_code == 404
    assert client.get(reverse("sharing:requests")).context["waiting"] == []


def test_a_recipient_never_sees_who_else_the_case_was_shared_with(
    client, case, agreement, police, care, housing_officer, police_officer
):
    for agency in (police, care):
        services.disclose(
            agreement=agreement, to_agency=agency, level="full", purpose=f"for {agency.name}",
            by=housing_officer, case=case,
        )  # fmt: skip
    client.force_login(police_officer)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    page = response.content.decode()
    assert [d.to_agency for d in response.context["disclosures"]] == [police]
    assert "Testshire Adult Care" not in page and "for Testshire Adult Care" not in page
    assert 'id="sharing"' not in page and "Share this case" not in page
    assert client.get(reverse("sharing:share-case", args=[case.pk])).status_code == 404
    other = Disclosure.objects.get(to_agency=care)
    assert client.get(reverse("sharing:revoke", args=[other.pk])).status_code == 404


def test_who_else_finds_only_what_was_shared_with_the_searchers_agency_and_is_audited(
    client, case, agreement, housing, police, care, housing_officer, police_officer
):
    hidden = CaseFactory(
        programme=case.programme,
        subject=PersonFactory(owning_agency=housing, given_name="Alex", family_name="Quillfeather"),
    )
    services.disclose(
        agreement=agreement, to_agency=care, level="full", purpose="not for the police",
        by=housing_officer, case=hidden,
    )  # fmt: skip
    revoked = services.disclose(
        agreement=agreement, to_agency=police, level="name_only", purpose="p",
        by=housing_officer, case=hidden,
    )  # fmt: skip
    services.revoke(disclosure=revoked, by=housing_officer, reason="mistake")
    services.disclose(
        agreement=agreement, to_agency=police, level="name_only", purpose="awareness",
        by=housing_officer, case=case,
    )  # fmt: skip
    client.force_login(police_officer)
    response = client.get(reverse("sharing:who-else"), {"q": "Quillfeather"})
    page = response.content.decode()
    assert [r.record_id for r in response.context["results"]] == [case.pk]
    assert "1 record shared with your organisation" in page
    assert "Alex" not in page and str(hidden.pk) not in page
    event = AuditEvent.objects.filter(action=Action.CONSULT, actor=police_officer).latest("id")
    assert event.purpose == "who else search: q" and event.object_type == "cases.case"
    assert event.object_ids == str(case.pk) and event.subject_ids == str(case.subject_id)

    response = client.get(reverse("sharing:who-else"), {"q": "Alex"})
    assert response.context["results"] == []
    assert "No records shared with your organisation" in response.content.decode()
    event = AuditEvent.objects.filter(action=Action.CONSULT, actor=police_officer).latest("id")
    assert event.purpose == "who else search: q" and event.object_ids == ""
    # Nobody can ask for a record they were not told about.
    assert client.get(reverse("sharing:request-case", args=[hidden.pk])).status_code == 404


def test_an_empty_who_else_search_asks_for_a_name_and_records_nothing(client, police_officer):
    client.force_login(police_officer)
    before = AuditEvent.objects.count()
    page = client.get(reverse("sharing:who-else"), {"q": "  "}).content.decode()
    assert "Enter a name to search for" in page and "govuk-error-summary" in page
    assert AuditEvent.objects.count() == before


def test_sharing_needs_an_agreement_both_agencies_are_party_to(
    client, case, housing, police, housing_officer
):
    stranger = AgencyFactory(name="Unrelated Charity")
    only_with_stranger = AgreementFactory(parties=[housing, stranger], title="Charity agreement")
    AgreementFactory(parties=[housing, police], title="Police agreement")
    client.force_login(housing_officer)
    url = reverse("sharing:share-case", args=[case.pk])
    page = errors(client.post(url, share_form(only_with_stranger, police, "full")))
    assert "Select an agreement that Testshire Police is a party to" in page
    page = errors(client.post(url, {"purpose": ""}))
    for message in (
        "Select the organisation to share it with", "Select the agreement you are sharing it under",
        "Select what you want to share", "Enter why you are sharing it",
    ):  # fmt: skip
        assert message in page
    past = today() - datetime.timedelta(days=3)
    expiry = {
        "expires_on_day": past.day,
        "expires_on_month": past.month,
        "expires_on_year": past.year,
    }
    police_agreement = InformationSharingAgreement.objects.get(title="Police agreement")
    page = errors(client.post(url, share_form(police_agreement, police, "full", **expiry)))
    assert "The date to stop sharing must be today or in the future" in page
    assert not Disclosure.objects.exists()


def test_with_no_live_agreement_the_share_page_says_so(client, case, housing_officer):
    client.force_login(housing_officer)
    page = client.get(reverse("sharing:share-case", args=[case.pk])).content.decode()
    assert "is not a party to any live information sharing agreement" in page
    assert 'name="purpose"' not in page


def test_only_casework_roles_of_the_holder_share(client, case, agreement, housing, housing_ig):
    client.force_login(housing_ig)  # sees the case, but governance roles do not share
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("sharing:share-case", args=[case.pk])).status_code == 404


def test_a_person_shared_in_full_from_the_person_page_opens_for_the_recipient(
    client, agreement, housing, police, housing_officer, police_officer
):
    person = PersonFactory(owning_agency=housing, family_name="Brightwater")
    client.force_login(police_officer)
    person_url = reverse("people:detail", args=[person.pk])
    assert client.get(person_url).status_code == 404
    client.force_login(housing_officer)
    share_url = reverse("sharing:share-person", args=[person.pk])
    assert share_url in client.get(person_url).content.decode()
    expires = today() + datetime.timedelta(days=30)
    response = client.post(
        share_url,
        share_form(agreement, police, "full", expires_on_day=expires.day,
                   expires_on_month=expires.month, expires_on_year=expires.year),
    )  # fmt: skip
    assert response.status_code == 302 and response.url == person_url
    assert Disclosure.objects.get().expires_on == expires
    client.force_login(police_officer)
    page = client.get(person_url).content.decode()
    assert "Shared with your organisation by Homes for Testing" in page
    found = client.get(reverse("sharing:who-else"), {"q": "Brightwater"}).context["results"]
    assert [(r.record_type, r.level) for r in found] == [("person", "full")]


# Query budget


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_case_page_query_count_does_not_grow_with_disclosures(
    client, case, agreement, police, care, housing_officer
):
    client.force_login(housing_officer)
    url = reverse("cases:detail", args=[case.pk])
    services.disclose(
        agreement=agreement, to_agency=police, level="name_only", purpose="p", by=housing_officer,
        case=case,
    )  # fmt: skip
    one = count_queries(client, url)
    for _ in range(5):
        for agency in (police, care):
            services.disclose(
                agreement=agreement, to_agency=agency, level="full", purpose="p",
                by=housing_officer, case=case,
            )  # fmt: skip
    services.revoke(disclosure=Disclosure.objects.first(), by=housing_officer, reason="done")
    assert count_queries(client, url) == one


def test_the_who_else_page_query_count_does_not_grow_with_results(
    client, agreement, housing, police, housing_officer, police_officer
):
    programme = ProgrammeFactory(lead_agency=housing)

    def share_one():
        case = CaseFactory(
            programme=programme,
            subject=PersonFactory(owning_agency=housing, family_name="Samename"),
        )
        services.disclose(
            agreement=agreement, to_agency=police, level="name_only", purpose="p",
            by=housing_officer, case=case,
        )  # fmt: skip

    share_one()
    client.force_login(police_officer)
    url = f"{reverse('sharing:who-else')}?q=Samename"
    one = count_queries(client, url)
    for _ in range(6):
        share_one()
    assert count_queries(client, url) == one


def test_a_person_shared_by_name_only_can_be_asked_for(
    client, agreement, housing, police, housing_officer, police_officer
):
    person = PersonFactory(owning_agency=housing, family_name="Lowmoor")
    services.disclose(
        agreement=agreement, to_agency=police, level="name_only", purpose="awareness",
        by=housing_officer, person=person,
    )  # fmt: skip
    client.force_login(police_officer)
    page = client.get(reverse("sharing:who-else"), {"q": "Lowmoor"}).content.decode()
    request_url = reverse("sharing:request-person", args=[person.pk])
    assert request_url in page
    assert f'href="{reverse("people:detail", args=[person.pk])}"' not in page
    client.post(request_url, {"reason": "Safeguarding visit"})
    access_request = AccessRequest.objects.get()
    assert access_request.person == person and access_request.owning_agency == housing
    page = client.get(reverse("sharing:who-else"), {"q": "Lowmoor"}).content.decode()
    assert "Access requested" in page and request_url not in page
