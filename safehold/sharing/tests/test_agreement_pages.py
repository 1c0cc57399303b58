"""The information sharing pages, part one: agreements and the record of processing, through
the test client (sharing records: test_sharing_pages.py)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.sharing import services
from safehold.sharing.models import InformationSharingAgreement
from safehold.sharing.tests.factories import AgreementFactory
from safehold.sharing.tests.pages import errors, today


def test_an_ig_officer_records_an_agreement_that_their_agency_manages(
    client, housing, police, housing_ig
):
    client.force_login(housing_ig)
    response = client.post(
        reverse("sharing:agreement-create"),
        {
            "title": "Exploitation sharing agreement", "purpose": "Protect people from cuckooing",
            "parties": [str(police.pk)], "lawful_basis": "UK GDPR Article 6(1)(e): public task",
            "legal_gateway": "Crime and Disorder Act 1998, section 115",
            "special_category_condition": "DPA 2018 Schedule 1, paragraph 10",
            "data_categories": ["identity", "casework"],
            "start_date_day": "1", "start_date_month": "4", "start_date_year": "2024",
            "review_date_day": "1", "review_date_month": "4", "review_date_year": "2099",
        },
    )  # fmt: skip
    agreement = InformationSharingAgreement.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "sharing:agreement", args=[agreement.pk]
    )
    assert set(agreement.parties.all()) == {housing, police} and agreement.managed_by == housing
    assert agreement.is_live()
    assert AuditEvent.objects.filter(action=Action.COLLECT, object_ids=str(agreement.pk)).exists()
    page = client.get(response.url).content.decode()
    for text in ("Exploitation sharing agreement", "Testshire Police", "Casework records"):
        assert text in page


def test_a_bad_agreement_gets_govuk_errors_and_nothing_is_saved(client, housing_ig):
    client.force_login(housing_ig)
    dates = {
        "start_date_day": "1", "start_date_month": "4", "start_date_year": "2025",
        "review_date_day": "1", "review_date_month": "4", "review_date_year": "2024",
    }  # fmt: skip
    page = errors(client.post(reverse("sharing:agreement-create"), dates))
    assert "Enter the title" in page and "Select at least one other organisation" in page
    assert "The review date must be after the date it comes into force" in page
    assert not InformationSharingAgreement.objects.exists()


def test_only_governance_roles_record_agreements(client, housing_officer):
    client.force_login(housing_officer)
    assert client.get(reverse("sharing:agreement-create")).status_code == 403
    assert client.get(reverse("sharing:record-of-processing")).status_code == 403


def test_the_agreement_list_says_each_status_in_words(client, housing, police, housing_ig):
    day = datetime.timedelta(days=1)
    AgreementFactory(parties=[housing, police], title="A live one")
    AgreementFactory(parties=[housing, police], title="A due one", review_date=today() - day)
    AgreementFactory(
        parties=[housing, police], title="A lapsed one", review_date=today() - 9 * day,
        end_date=today() - day,
    )  # fmt: skip
    AgreementFactory(
        parties=[housing, police], title="A future one", start_date=today() + day,
        review_date=today() + 400 * day,
    )  # fmt: skip
    AgreementFactory(parties=[police, AgencyFactory()], title="Not ours")
    client.force_login(housing_ig)
    page = client.get(reverse("sharing:agreements")).content.decode()
    rows = {
        title: page[page.index(title) :].split("</tr>")[0]
        for title in ("A live one", "A due one", "A lapsed one", "A future one")
    }
    assert ">Live<" in rows["A live one"]
    assert ">Due for review<" in rows["A due one"]
    assert ">Lapsed<" in rows["A lapsed one"]
    assert ">Not yet in force<" in rows["A future one"]
    assert "Not ours" not in page


@pytest.mark.parametrize(
    "name",
    [
        "sharing:agreement",
        "sharing:agreement-signatory",
        "sharing:agreement-dates",
        "sharing:agreement-upload",
        "sharing:agreement-document",
    ],
)
def test_an_agreement_does_not_exist_for_a_non_party(client, agreement, name):
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.IG_OFFICER))
    assert client.get(reverse(name, args=[agreement.pk])).status_code == 404


def test_the_manager_signs_reviews_and_uploads_and_a_party_downloads_with_an_audit_event(
    client, agreement, housing, police, housing_ig, police_officer
):
    client.force_login(housing_ig)
    response = client.post(
        reverse("sharing:agreement-signatory", args=[agreement.pk]),
        {"agency": str(police.pk), "name": "Chief Inspector Vale", "job_title": "Data owner",
         "signed_on_day": "2", "signed_on_month": "4", "signed_on_year": "2024"},
    )  # fmt: skip
    assert response.status_code == 302
    assert agreement.signatories.get().name == "Chief Inspector Vale"
    client.post(
        reverse("sharing:agreement-dates", args=[agreement.pk]),
        {"review_date_day": "1", "review_date_month": "4", "review_date_year": "2098"},
    )
    agreement.refresh_from_db()
    assert agreement.review_date == datetime.date(2098, 4, 1) and agreement.end_date is None
    not_a_pdf = SimpleUploadedFile("signed.pdf", b"hello", content_type="application/pdf")
    page = errors(
        client.post(
            reverse("sharing:agreement-upload", args=[agreement.pk]), {"document": not_a_pdf}
        )
    )
    assert "The selected file must be a PDF" in page
    pdf = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    client.post(reverse("sharing:agreement-upload", args=[agreement.pk]), {"document": pdf})

    client.force_login(police_officer)  # a party, not its manager: may read and download only
    assert client.get(reverse("sharing:agreement-dates", args=[agreement.pk])).status_code == 404
    response = client.get(reverse("sharing:agreement-document", args=[agreement.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert AuditEvent.objects.filter(
        action=Action.CONSULT, actor=police_officer, channel=Channel.EXPORT,
        object_ids=str(agreement.pk),
    ).exists()  # fmt: skip


def test_ending_an_agreement_ends_sharing_under_it_on_the_next_request(
    client, agreement, case, housing, police, housing_ig, housing_officer, police_officer
):
    services.disclose(
        agreement=agreement, to_agency=police, level="full", purpose="p", by=housing_officer,
        case=case,
    )  # fmt: skip
    client.force_login(police_officer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    yesterday = today() - datetime.timedelta(days=1)
    client.force_login(housing_ig)
    client.post(
        reverse("sharing:agreement-dates", args=[agreement.pk]),
        {"review_date_day": "1", "review_date_month": "1", "review_date_year": "2099",
         "end_date_day": str(yesterday.day), "end_date_month": str(yesterday.month),
         "end_date_year": str(yesterday.year)},
    )  # fmt: skip
    client.force_login(police_officer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_the_record_of_processing_page_and_pdf_list_the_same_agreements(
    client, housing, police, care, housing_ig
):
    AgreementFactory(
        parties=[housing, police], title="Cuckooing agreement",
        data_categories=["identity", "criminal_offence"],
    )  # fmt: skip
    AgreementFactory(parties=[care, housing], title="Safeguarding agreement", end_date=today())
    AgreementFactory(parties=[police, care], title="Not ours")
    client.force_login(housing_ig)
    page_response = client.get(reverse("sharing:record-of-processing"))
    page = page_response.content.decode()
    for text in (
        "Homes for Testing", "Cuckooing agreement", "Safeguarding agreement", "Testshire Police",
        "Testshire Adult Care", "Criminal offence data", "Crime and Disorder Act 1998, section 115",
        "See retention schedule", "2 processing activities",
    ):  # fmt: skip
        assert text in page
    assert "Not ours" not in page

    pdf_response = client.get(reverse("sharing:record-of-processing-pdf"))
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response.content.startswith(b"%PDF")

    def rows(response):
        return [
            (a.title, a.recipients, a.data_categories, a.status)
            for a in response.context["activities"]
        ]

    assert rows(pdf_response) == rows(page_response)
    assert [t for t, *_ in rows(page_response)] == ["Cuckooing agreement", "Safeguarding agreement"]
    assert AuditEvent.objects.filter(
        action=Action.CONSULT, channel=Channel.EXPORT, purpose="record of processing printed"
    ).exists()


# Sharing from the case page, who else, and access requests
