"""The public pages: no account, the signs of cuckooing, the leaflet and the anonymous report."""

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.cases.choices import SIGNS
from safehold.cases.models import Referral
from safehold.cases.selectors import triage_queue
from safehold.cases.tests.factories import ProgrammeFactory, ReferralFactory

REPORT = {
    "address_line_1": "The flat above the chip shop, Hillgate",
    "town": "Stockport",
    "postcode": "sk1 3ab",
    "signs": ["comings_and_goings", "curtains_closed"],
    "what_was_seen": "Cars stopping for two minutes at a time, all night.",
    "subject_description": "An older man who lives alone",
    "contact_name": "Pat",
    "contact_phone": "07700 900123",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(agency):
    return ProgrammeFactory(lead_agency=agency)


@pytest.mark.parametrize("name", ["public:signs", "public:report", "public:report-sent"])
def test_public_pages_open_without_an_account(client, programme, name):
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_the_guidance_lists_the_signs_and_what_to_do(client, db):
    page = client.get(reverse("public:signs")).content.decode()
    assert "Unfamiliar people coming and going at all hours" in page
    assert "Weapons seen or mentioned" in page
    assert "call 999" in page and "101" in page and "0800 555 111" in page
    assert f'href="{reverse("public:leaflet")}"' in page
    assert f'href="http://testserver{reverse("public:report")}"' in page


def test_the_leaflet_is_an_a4_pdf(client, db):
    response = client.get(reverse("public:leaflet"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_leaflet_fits_one_a4_page_with_every_sign_and_fetches_nothing(rf, db):
    from weasyprint import HTML

    from safehold.cases.views.public import _guidance_context

    html = render_to_string("cases/public/leaflet.html", _guidance_context(rf.get("/")))
    assert "src=" not in html and "url(" not in html and "@import" not in html
    for _code, name in SIGNS:
        assert escape(name) in html
    assert "0800 555 111" in html and "http://testserver/report-a-concern/" in html
    pages = HTML(string=html).render().pages
    assert len(pages) == 1
    assert (round(pages[0].width), round(pages[0].height)) == (794, 1123)  # A4 at 96 px/inch


def test_an_anonymous_report_lands_in_the_lead_agencys_triage_queue(client, programme, caseworker):
    response = client.post(reverse("public:report"), REPORT)
    assert response.status_code == 302 and response.url == reverse("public:report-sent")
    referral = Referral.objects.get()
    assert list(triage_queue(caseworker)) == [referral]
    assert referral.anonymous is True and referral.referrer is None
    assert referral.source.name == "Member of the public"
    assert referral.reference.startswith("REF-") and referral.programme == programme
    assert referral.postcode == "SK1 3AB"
    assert sorted(referral.signs.values_list("code", flat=True)) == [
        "comings_and_goings",
        "curtains_closed",
    ]
    assert referral.subject_description == "An older man who lives alone"
    assert referral.contact_details == "Name: Pat\nPhone or email: 07700 900123"


def test_contact_details_are_optional(client, programme):
    data = {k: v for k, v in REPORT.items() if not k.startswith("contact_")}
    assert client.post(reverse("public:report"), data).status_code == 302
    assert Referral.objects.get().contact_details == ""


def test_the_thank_you_page_gives_the_reporter_their_reference_and_nothing_else(client, programme):
    ReferralFactory(
        programme=programme, reference="REF-2020-0999", what_was_seen="Somebody else's report"
    )
    response = client.post(reverse("public:report"), REPORT, follow=True)
    referral = Referral.objects.get(anonymous=True)
    assert response.redirect_chain == [(reverse("public:report-sent"), 302)]
    page = response.content.decode()
    assert "Thank you — your report has been sent" in page
    # The reporter's own reference, to quote if they call: in the page, never in the URL.
    assert referral.reference in page and referral.reference not in response.redirect_chain[0][0]
    for secret in (
        str(referral.pk),
        "REF-2020-0999",
        "chip shop",
        "SK1 3AB",
        "Pat",
        "07700",
        "older man",
        "Somebody else",
    ):
        assert secret not in page
    # Shown once: the same page again, or to anyone else, holds no reference.
    assert "REF-" not in client.get(reverse("public:report-sent")).content.decode()


def test_the_report_form_has_a_privacy_notice_and_no_staff_facing_text(client, programme):
    page = client.get(reverse("public:report")).content.decode()
    assert "How we use the information you give us" in page
    for staff_text in ("Every view of personal data is recorded", "A shared system for"):
        assert staff_text not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**REPORT, "address_line_1": ""}, "Enter the address, or describe where it is happening"),
        ({**REPORT, "signs": [], "what_was_seen": ""}, "Select at least one sign, or describe what you saw"),
        ({**REPORT, "postcode": "NOPE"}, "Enter a real postcode, like SK1 3XE"),
    ],
)  # fmt: skip
def test_a_report_with_a_mistake_says_what_to_fix_and_sends_nothing(
    client, programme, data, message
):
    response = client.post(reverse("public:report"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page and "There is a problem" in page and message in page
    assert not Referral.objects.exists()


def test_a_sign_alone_or_a_description_alone_is_enough(client, programme):
    only_sign = {**REPORT, "what_was_seen": ""}
    only_text = {**REPORT, "signs": []}
    assert client.post(reverse("public:report"), only_sign).status_code == 302
    assert client.post(reverse("public:report"), only_text).status_code == 302
    assert Referral.objects.count() == 2


def test_a_sixth_report_in_an_hour_from_one_address_is_refused_kindly(client, programme):
    for _ in range(5):
        assert client.post(reverse("public:report"), REPORT).status_code == 302
    response = client.post(reverse("public:report"), REPORT)
    assert response.status_code == 429
    page = response.content.decode()
    assert "You have sent several reports recently" in page and "call 999" in page
    assert Referral.objects.count() == 5
    # Another address is not held up; reading the form is never limited.
    assert client.get(reverse("public:report")).status_code == 200
    other = client.post(reverse("public:report"), REPORT, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302 and Referral.objects.count() == 6


def test_with_no_programme_the_report_page_says_it_is_not_available(client, db):
    for response in (
        client.get(reverse("public:report")),
        client.post(reverse("public:report"), REPORT),
    ):
        assert response.status_code == 200
        assert "you cannot report a concern online at the moment" in response.content.decode()
    assert not Referral.objects.exists()


def test_public_pages_never_show_referrals(client, programme):
    referral = ReferralFactory(
        programme=programme, reference="REF-2020-0998", subject_family_name="Quixotic"
    )
    for name in ("public:signs", "public:report", "public:report-sent"):
        page = client.get(reverse(name)).content.decode()
        assert referral.reference not in page and "Quixotic" not in page


def test_a_signed_in_partner_can_use_the_public_pages_too(client, programme, agency):
    client.force_login(UserFactory(agency=agency, role=Role.REFERRER))
    assert client.get(reverse("public:signs")).status_code == 200
    assert client.post(reverse("public:report"), REPORT).status_code == 302
    assert Referral.objects.get().anonymous is True
