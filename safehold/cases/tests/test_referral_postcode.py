"""Item 18 on the referral's address page: "Find the area" says which ward and LSOA the
postcode is in (or that it is outside the partnership's area) from the shipped postcode points,
keeps what was typed, and saves nothing until the referrer continues."""

import html

import pytest

from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.tests import test_referrals as journey
from safehold.geography.services import load_stockport_extract

pytestmark = pytest.mark.django_db

FIND = {"action": "find-postcode"}
ANSWERS, start_draft, step_url = journey.ANSWERS, journey.start_draft, journey.step_url
# The referral journey's fixtures: a programme led by the caseworker's agency, a police referrer.
programme, police_referrer, referrer_client = (
    journey.programme,
    journey.police_referrer,
    journey.referrer_client,
)


@pytest.fixture(autouse=True)
def geography(db):
    load_stockport_extract()


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_find_the_area_names_the_ward_and_lsoa_and_keeps_what_was_typed(referrer_client):
    referral = start_draft(referrer_client)
    collected = AuditEvent.objects.filter(action=Action.COLLECT).count()
    typed = {"address_line_1": "1 Test Street", "postcode": "sk1 1eb", **FIND}
    response = referrer_client.post(step_url("address", referral), typed)
    assert response.status_code == 200
    text = text_of(response)
    # SK1 1EB lies in LSOA Stockport 014E (see people/tests/test_places_by_postcode.py).
    assert "SK1 1EB is in" in text and "Stockport 014E" in text
    assert "in the partnership's area" in text
    assert 'value="1 Test Street"' in text
    assert "govuk-error-summary" not in text
    referral.refresh_from_db()
    assert referral.postcode == "" and referral.address_line_1 == ""  # nothing saved yet
    assert AuditEvent.objects.filter(action=Action.COLLECT).count() == collected

    # Continuing then saves the address as typed, as before.
    answers = {"address_line_1": "1 Test Street", "postcode": "sk1 1eb", "action": "continue"}
    saved = referrer_client.post(step_url("address", referral), answers)
    assert saved.status_code == 302 and saved.url == step_url("signs", referral)
    referral.refresh_from_db()
    assert (referral.address_line_1, referral.postcode) == ("1 Test Street", "SK1 1EB")


def test_a_postcode_outside_the_partnership_says_so(referrer_client):
    referral = start_draft(referrer_client)
    # SK10 1AA (Macclesfield) is a shipped point, but not in Stockport's wards.
    response = referrer_client.post(step_url("address", referral), {"postcode": "SK10 1AA", **FIND})
    text = text_of(response)
    assert "SK10 1AA is outside the partnership's wards" in text
    assert "govuk-error-summary" not in text


def test_an_unknown_postcode_is_an_error_on_the_postcode_alone(referrer_client):
    referral = start_draft(referrer_client)
    # M1 1AE is a Manchester postcode, not among the shipped SK points nor loaded.
    response = referrer_client.post(step_url("address", referral), {"postcode": "M1 1AE", **FIND})
    text = text_of(response)
    assert "We could not find that postcode" in text and "govuk-error-summary" in text
    assert "Enter address line 1" not in text  # only the postcode is checked


def test_find_without_a_postcode_asks_for_one_and_a_bad_one_is_refused(referrer_client):
    referral = start_draft(referrer_client)
    empty = text_of(referrer_client.post(step_url("address", referral), FIND))
    assert "Enter a postcode to find the area it is in" in empty
    bad = text_of(referrer_client.post(step_url("address", referral), {"postcode": "12", **FIND}))
    assert "govuk-error-summary" in bad and "Enter address line 1" not in bad
    referral.refresh_from_db()
    assert referral.postcode == ""


def test_the_address_page_offers_the_look_up(referrer_client):
    referral = start_draft(referrer_client)
    page = text_of(referrer_client.get(step_url("address", referral)))
    assert 'value="find-postcode"' in page and "Find the area" in page
    assert ANSWERS["address"]["postcode"]  # the journey's own answers are unchanged
