"""What a referral says reaches its case (issue 14, defects 1 and 8): the risks to staff
visiting as a banner, the signs, what was seen and consent linked from the referral (not
retyped), the referral reachable from its case; an accepted referral does not warn about the
case it created, and a repeat can be added to the person's case already open."""

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ReferralStatus
from safehold.cases.models import Case, Sign
from safehold.cases.services import referrals as referral_services
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.models import Disclosure
from safehold.sharing.tests.factories import AgreementFactory

DOG = "Large dog (XL bully type) loose in the hallway: visit in pairs."


@pytest.fixture
def programme(agency):
    return ProgrammeFactory(lead_agency=agency, triage_team=TeamFactory(agency=agency))


@pytest.fixture
def officer(client, programme):
    user = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    client.force_login(user)
    return user


@pytest.fixture
def police_referral(programme):
    police = AgencyFactory(name="Testshire Police")
    referral = ReferralFactory(
        programme=programme, referrer=UserFactory(agency=police, role=Role.REFERRER),
        risks_to_staff=DOG, what_was_seen="Young men arriving by bike every hour.",
        consent="no",
    )  # fmt: skip
    referral.signs.set(Sign.objects.filter(code__in=["comings_and_goings", "weapons"]))
    return referral


def accept(referral, officer, **extra):
    return referral_services.accept(
        referral=referral, by=officer, person=extra.get("person", referral_services.FROM_REFERRAL),
        location=referral_services.FROM_REFERRAL, exploitation_type="cuckooing",
        risk_level="high", risk_rationale="Dealers",
    )  # fmt: skip


def test_the_case_shows_the_risks_to_staff_as_a_banner_and_links_its_referral(
    client, officer, police_referral
):
    case = accept(police_referral, officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    banner = page[
        page.index('id="staff-safety"') : page.index(
            "</div>\n</div>", page.index('id="staff-safety"')
        )
    ]
    assert "Risks to staff visiting" in banner and DOG in banner and "Testshire Police" in banner
    referral_url = reverse("cases:referral-detail", args=[police_referral.pk])
    assert f'href="{referral_url}">referral {police_referral.reference}</a>' in page
    for detail in (
        "Unfamiliar people coming and going at all hours",
        "Weapons seen or mentioned",
        "Young men arriving by bike every hour.",
        "No, they do not know",  # consent, by its label
    ):
        assert detail in page
    # The referral is reachable from its case, and links back to it.
    referral_page = client.get(referral_url).content.decode()
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in referral_page


def test_a_case_whose_referral_gave_no_risk_has_no_banner(client, officer, programme):
    case = accept(ReferralFactory(programme=programme, risks_to_staff=""), officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="staff-safety"' not in page and "Risks to staff visiting" in page  # the row


def test_a_partner_given_the_case_sees_the_banner_but_no_link_to_a_referral_it_cannot_open(
    client, officer, police_referral
):
    case = accept(police_referral, officer)
    partner = AgencyFactory()
    Disclosure.objects.create(
        agreement=AgreementFactory(parties=[case.owning_agency, partner]), level="full",
        from_agency=case.owning_agency, to_agency=partner, case=case, purpose="joint visits",
    )  # fmt: skip
    client.force_login(UserFactory(agency=partner, role=Role.CASEWORKER))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert DOG in page
    referral_url = reverse("cases:referral-detail", args=[police_referral.pk])
    assert referral_url not in page and f"referral {police_referral.reference}" in page
    assert client.get(referral_url).status_code == 404


def test_the_case_page_still_issues_a_fixed_number_of_queries(client, officer, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(case):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
        return len(ctx.captured_queries)

    cases = []
    for n in (1, 3):
        case = accept(ReferralFactory(programme=programme, risks_to_staff=DOG), officer)
        for _ in range(n):
            repeat = ReferralFactory(programme=programme, risks_to_staff="Another dog")
            repeat.signs.set(Sign.objects.all()[: 2 * n])
            referral_services.add_to_case(referral=repeat, by=officer, case=case)
        cases.append(case)
    one, two = cases
    assert queries(one) == queries(two)


def test_an_accepted_referral_does_not_warn_about_the_case_it_created(client, officer, programme):
    referral = ReferralFactory(
        programme=programme, subject_given_name="Dana", subject_family_name="Cole",
        postcode="SK5 7AA", address_line_1="4 Mill Lane",
    )  # fmt: skip
    case = accept(referral, officer)
    page = client.get(reverse("cases:triage-referral", args=[referral.pk]))
    assert "Repeat referral" not in page.content.decode()
    assert all(case.reference not in c.case_references for c in page.context["people"])
    # The positive control: another referral about the same person does warn, naming the case.
    again = ReferralFactory(
        programme=programme, subject_given_name="Dana", subject_family_name="Cole",
        postcode="SK5 7AA", address_line_1="4 Mill Lane",
    )  # fmt: skip
    page = client.get(reverse("cases:triage-referral", args=[again.pk])).content.decode()
    assert "Repeat referral" in page and case.reference in page


def test_triage_offers_to_add_a_repeat_to_the_existing_open_case(client, officer, programme):
    known = PersonFactory(
        owning_agency=programme.lead_agency, given_name="Dana", family_name="Cole"
    )
    place = LocationFactory(owning_agency=programme.lead_agency, postcode="SK5 7AA")
    case = CaseFactory(programme=programme, subject=known, location=place)
    closed = CaseFactory(programme=programme, subject=known, status="closed")
    repeat = ReferralFactory(
        programme=programme, subject_given_name="Dana", subject_family_name="Cole",
        postcode="SK5 7AA", risks_to_staff=DOG,
    )  # fmt: skip
    page = client.get(reverse("cases:triage-referral", args=[repeat.pk]))
    assert [c.pk for c in page.context["open_cases"]] == [case.pk]  # not the closed one
    assert f"Add to case {case.reference}" in page.content.decode()
    assert f"Add to case {closed.reference}" not in page.content.decode()
    response = client.post(
        reverse("cases:triage-add-to-case", args=[repeat.pk]),
        {"case": str(case.pk), "version": repeat.version},
    )
    assert response.url == reverse("cases:detail", args=[case.pk])
    repeat.refresh_from_db()
    assert repeat.status == ReferralStatus.ACCEPTED and repeat.added_to_case == case
    assert repeat.repeat_referral and Case.objects.count() == 2  # no new case
    assert AuditEvent.objects.filter(
        purpose=f"referral added to the open case {case.reference}"
    ).exists()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert DOG in page and f"Repeat referral {repeat.reference} added to this case" in page
    # The repeat's own page leads to the case it joined, and no longer warns about it.
    triage = client.get(reverse("cases:triage-referral", args=[repeat.pk]))
    assert all(case.reference not in c.case_references for c in triage.context["people"])
    assert reverse("cases:detail", args=[case.pk]) in triage.content.decode()


def test_a_referral_cannot_be_added_to_a_case_not_offered(client, officer, programme):
    elsewhere = CaseFactory(programme=ProgrammeFactory())  # another agency's case
    repeat = ReferralFactory(programme=programme)
    response = client.post(
        reverse("cases:triage-add-to-case", args=[repeat.pk]),
        {"case": str(elsewhere.pk), "version": repeat.version},
    )
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.status == ReferralStatus.SUBMITTED and repeat.added_to_case is None
