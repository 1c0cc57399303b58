import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ReferralStatus
from safehold.cases.models import Referral
from safehold.cases.selectors import triage_queue
from safehold.cases.services import referrals
from safehold.cases.tests.factories import ProgrammeFactory, ReferralFactory
from safehold.people.tests.factories import PersonFactory

GOOD = {
    "subject_known": True,
    "subject_given_name": "Sam",
    "subject_family_name": "Example",
    "subject_date_of_birth": "1961-05-04",
    "address_line_1": "12 Test Street",
    "town": "Stockport",
    "postcode": "sk5 7aa",
    "signs": ["comings_and_goings", "people_staying"],
    "what_was_seen": "Young men at the flat at all hours; the tenant looks frightened.",
    "suspected_types": ["cuckooing", "criminal"],
    "consent": "not_known",
    "urgency": "urgent",
    "risks_to_staff": "Dog at the property",
}


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


def post_referral(client, headers, data):
    return client.post(
        reverse("api:referral-list"), data, content_type="application/json", headers=headers
    )


def test_a_partner_system_sends_a_referral_that_reaches_triage(
    client, programme, other_agency_caseworker, bearer
):
    referrer = UserFactory(agency=other_agency_caseworker.agency, role=Role.REFERRER)
    response = post_referral(client, bearer(referrer), GOOD)
    assert response.status_code == 201
    body = response.json()
    referral = Referral.objects.get()
    assert body == {"id": str(referral.pk), "reference": referral.reference, "status": "submitted"}
    assert referral.reference.startswith("REF-")
    assert response.headers["Location"] == reverse("api:referral-detail", args=[referral.pk])
    assert (referral.status, referral.programme, referral.referrer) == (
        ReferralStatus.SUBMITTED,
        programme,
        referrer,
    )
    assert referral.postcode == "SK5 7AA"
    assert sorted(s.code for s in referral.signs.all()) == ["comings_and_goings", "people_staying"]
    assert referral.suspected_types == ["cuckooing", "criminal"]
    triager = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    assert list(triage_queue(triager)) == [referral]
    events = AuditEvent.objects.filter(action=Action.COLLECT, object_ids=str(referral.pk))
    assert events.count() == 2 and {e.channel for e in events} == {"api"}
    assert len({e.request_id for e in events}) == 1


def test_a_referral_about_an_unknown_person_needs_no_name(client, programme, caseworker, bearer):
    data = {**GOOD, "subject_known": False, "subject_given_name": "", "subject_family_name": ""}
    response = post_referral(client, bearer(caseworker), data)
    assert response.status_code == 201
    assert Referral.objects.get().subject_known is False


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"what_was_seen": ""}, "what_was_seen", "Enter what you saw or were told"),
        ({"what_was_seen": None}, "what_was_seen", "null"),
        ({"subject_given_name": "", "subject_family_name": ""}, "subject_given_name", "name"),
        ({"address_line_1": "", "postcode": ""}, "address_line_1", "Enter the address"),
        ({"postcode": "QQ1 1AA"}, "postcode", "Enter a real postcode, like SK1 3XE"),
        ({"signs": ["comings_and_goings", "aliens"]}, "signs", "Unknown sign: aliens"),
        ({"suspected_types": ["piracy"]}, "suspected_types", '"piracy" is not a valid choice'),
        ({"signs": "weapons"}, "signs", "Expected a list"),
        ({"consent": "maybe"}, "consent", "not a valid choice"),
        ({"urgency": None}, "urgency", "null"),
        ({"subject_date_of_birth": "2999-01-01"}, "subject_date_of_birth", "in the past"),
        ({"subject_date_of_birth": "31/02/1990"}, "subject_date_of_birth", "wrong format"),
    ],
)
def test_bad_referral_input_is_400_with_field_errors_and_saves_nothing(
    client, programme, caseworker, bearer, change, field, message
):
    response = post_referral(client, bearer(caseworker), {**GOOD, **change})
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert any(message in m for m in errors[field]), errors
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(object_type="cases.referral").exists()


def test_missing_required_fields_are_each_named(client, programme, caseworker, bearer):
    response = post_referral(client, bearer(caseworker), {})
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"what_was_seen", "consent", "urgency"}
    assert errors["urgency"] == ["Select how urgent this is"]


def test_a_body_that_is_not_json_is_400(client, programme, caseworker, bearer):
    response = client.post(
        reverse("api:referral-list"),
        "{not json",
        content_type="application/json",
        headers=bearer(caseworker),
    )
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_the_referrer_follows_their_referral_to_its_case(client, programme, caseworker, bearer):
    headers = bearer(caseworker)
    referral_id = post_referral(client, headers, GOOD).json()["id"]
    url = reverse("api:referral-detail", args=[referral_id])
    assert client.get(url, headers=headers).json()["case_reference"] is None
    triager = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    case = referrals.accept(
        referral=Referral.objects.get(),
        by=triager,
        person=PersonFactory(owning_agency=programme.lead_agency),
        location=None,
        exploitation_type="cuckooing",
        risk_level="high",
        risk_rationale="Weapons seen",
    )
    body = client.get(url, headers=headers).json()
    assert (body["status"], body["case_reference"], body["decision_reason"]) == (
        "accepted",
        case.reference,
        None,
    )
    listed = client.get(reverse("api:referral-list"), headers=headers).json()
    assert [r["case_reference"] for r in listed["results"]] == [case.reference]


def test_a_declined_referral_shows_the_reason(client, programme, caseworker, bearer):
    headers = bearer(caseworker)
    referral_id = post_referral(client, headers, GOOD).json()["id"]
    triager = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    referrals.signpost(
        referral=Referral.objects.get(), by=triager, to="Adult social care", reason="Not ours"
    )
    body = client.get(reverse("api:referral-detail", args=[referral_id]), headers=headers).json()
    assert (body["status"], body["decision_reason"], body["signposted_to"]) == (
        "signposted",
        "Not ours",
        "Adult social care",
    )
    assert body["case_reference"] is None


def test_reading_referrals_is_audited_with_channel_api(client, programme, caseworker, bearer):
    headers = bearer(caseworker)
    referral_id = post_referral(client, headers, GOOD).json()["id"]
    client.get(reverse("api:referral-list"), headers=headers)
    client.get(reverse("api:referral-detail", args=[referral_id]), headers=headers)
    consults = AuditEvent.objects.filter(action=Action.CONSULT).order_by("id")
    assert [(e.purpose, e.object_ids, e.channel) for e in consults] == [
        ("referral list", referral_id, "api"),
        ("view referral", referral_id, "api"),
    ]


def test_someone_elses_referral_is_404(client, programme, caseworker, bearer):
    theirs = ReferralFactory()  # sent by another agency to another agency's programme
    response = client.get(
        reverse("api:referral-detail", args=[theirs.pk]), headers=bearer(caseworker)
    )
    assert response.status_code == 404
    assert client.get(reverse("api:referral-list"), headers=bearer(caseworker)).json()["count"] == 0
    denied = AuditEvent.objects.get(action=Action.ACCESS_DENIED)
    assert (denied.object_ids, denied.channel, denied.outcome) == (str(theirs.pk), "api", "denied")


def test_without_a_programme_a_referral_cannot_be_sent(client, caseworker, bearer):
    response = post_referral(client, bearer(caseworker), GOOD)
    assert response.status_code == 503
    assert not Referral.objects.exists()
