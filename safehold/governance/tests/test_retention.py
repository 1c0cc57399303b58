import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.choices import CaseStatus, ReferralStatus
from safehold.cases.deadlines import add_months
from safehold.cases.models import Case, CaseLink, Referral
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.governance import services
from safehold.governance.choices import Decision, RecordType
from safehold.governance.models import RetentionDecision, RetentionPolicy
from safehold.governance.selectors import due_cutoff, review_queue
from safehold.governance.services import GovernanceError
from safehold.people.models import Person, PersonAlias
from safehold.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def ig(agency):
    return UserFactory(agency=agency, role=Role.IG_OFFICER)


def closed_case(agency, closed_on, **fields) -> Case:
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=agency), **fields)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED,
        closed_on=closed_on,
        referral_date=closed_on - datetime.timedelta(days=60),
    )
    case.refresh_from_db()
    return case


def decided_referral(agency, status, decided_on) -> Referral:
    decided_at = timezone.make_aware(datetime.datetime.combine(decided_on, datetime.time(12)))
    return ReferralFactory(
        programme=ProgrammeFactory(lead_agency=agency), status=status, triaged_at=decided_at
    )


def person_last_changed(agency, changed_on, **fields) -> Person:
    person = PersonFactory(owning_agency=agency, **fields)
    changed_at = timezone.make_aware(datetime.datetime.combine(changed_on, datetime.time(12)))
    Person.objects.filter(pk=person.pk).update(modified_at=changed_at)
    person.refresh_from_db()
    return person


def queued(user, record_type, today=TODAY, *, held=False):
    (section,) = [s for s in review_queue(user, today=today) if s.record_type == record_type]
    return {item.record.pk for item in (section.held if held else section.due)}


@pytest.mark.parametrize("months", [1, 12, 24, 72])
def test_the_cutoff_is_exactly_the_last_start_date_whose_period_has_ended(months):
    for today in (
        datetime.date(2024, 2, 29),
        datetime.date(2024, 3, 31),
        datetime.date(2025, 1, 1),
    ):
        cutoff = due_cutoff(today, months)
        for offset in range(-70, 70):
            start = cutoff + datetime.timedelta(days=offset)
            assert (start <= cutoff) == (add_months(start, months) <= today), (today, start)


def test_the_default_policies_are_seeded_by_the_migration():
    periods = dict(RetentionPolicy.objects.values_list("record_type", "period_months"))
    assert periods == {RecordType.CASE: 72, RecordType.REFERRAL: 12, RecordType.PERSON: 24}


def test_closed_cases_are_due_six_years_after_closure(agency, ig):
    due = closed_case(agency, add_months(TODAY, -72))
    not_yet = closed_case(agency, add_months(TODAY, -72) + datetime.timedelta(days=1))
    still_open = CaseFactory(programme=ProgrammeFactory(lead_agency=agency))
    elsewhere = closed_case(AgencyFactory(), datetime.date(2001, 1, 1))
    found = queued(ig, RecordType.CASE)
    assert due.pk in found
    assert not {not_yet.pk, still_open.pk, elsewhere.pk} & found


def test_declined_and_signposted_referrals_are_due_a_year_after_the_decision(agency, ig):
    declined = decided_referral(agency, ReferralStatus.DECLINED, add_months(TODAY, -12))
    signposted = decided_referral(agency, ReferralStatus.SIGNPOSTED, add_months(TODAY, -13))
    recent = decided_referral(agency, ReferralStatus.DECLINED, add_months(TODAY, -11))
    accepted = decided_referral(agency, ReferralStatus.ACCEPTED, add_months(TODAY, -40))
    waiting = ReferralFactory(programme=ProgrammeFactory(lead_agency=agency))
    found = queued(ig, RecordType.REFERRAL)
    assert {declined.pk, signposted.pk} <= found
    assert not {recent.pk, accepted.pk, waiting.pk} & found


def test_people_on_no_case_are_due_two_years_after_their_last_change(agency, ig):
    due = person_last_changed(agency, add_months(TODAY, -24))
    recent = person_last_changed(agency, add_months(TODAY, -23))
    subject = closed_case(agency, TODAY).subject
    Person.objects.filter(pk=subject.pk).update(
        modified_at=timezone.now() - datetime.timedelta(days=2000)
    )
    linked = person_last_changed(agency, add_months(TODAY, -60))
    CaseLink.objects.create(case=closed_case(agency, TODAY), person=linked, role="associate")
    renamed = person_last_changed(agency, add_months(TODAY, -60))
    PersonAlias.objects.create(person=renamed, name="New nickname")  # a change made today
    found = queued(ig, RecordType.PERSON, today=timezone.localdate())
    assert due.pk in queued(ig, RecordType.PERSON)
    assert not {recent.pk} & queued(ig, RecordType.PERSON)
    assert not {subject.pk, linked.pk, renamed.pk} & found


def test_a_longer_retention_period_takes_records_off_the_queue(agency, ig):
    case = closed_case(agency, add_months(TODAY, -80))
    assert case.pk in queued(ig, RecordType.CASE)
    policy = RetentionPolicy.objects.get(record_type=RecordType.CASE)
    services.change_policy(policy=policy, period_months=120, by=ig)
    assert case.pk not in queued(ig, RecordType.CASE)


def test_the_queue_takes_a_fixed_number_of_queries(agency, ig):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            review_queue(ig, today=TODAY)
        return len(queries)

    closed_case(agency, datetime.date(2015, 1, 1))
    decided_referral(agency, ReferralStatus.DECLINED, datetime.date(2020, 1, 1))
    person_last_changed(agency, datetime.date(2020, 1, 1))
    once = count()
    for year in range(2005, 2015):
        closed_case(agency, datetime.date(year, 3, 1))
        decided_referral(agency, ReferralStatus.SIGNPOSTED, datetime.date(year, 3, 1))
        person_last_changed(agency, datetime.date(year, 3, 1))
        services.place_hold(
            by=ig, reason="Claim", case=closed_case(agency, datetime.date(year, 4, 1))
        )
    assert count() == once


def test_held_records_are_listed_apart_and_not_offered_for_review(agency, ig):
    case = closed_case(agency, datetime.date(2010, 1, 1))
    person = person_last_changed(agency, datetime.date(2010, 1, 1))
    services.place_hold(by=ig, reason="Claim CL-7", person=case.subject)
    hold = services.place_hold(by=ig, reason="ICO complaint", person=person)
    assert case.pk not in queued(ig, RecordType.CASE)
    assert case.pk in queued(ig, RecordType.CASE, held=True)
    assert person.pk in queued(ig, RecordType.PERSON, held=True)
    services.lift_hold(hold=hold, by=ig, reason="Complaint closed")
    assert person.pk in queued(ig, RecordType.PERSON)


def test_a_retain_decision_hides_the_record_until_its_next_review_date(agency, ig):
    case = closed_case(agency, datetime.date(2010, 1, 1))
    review_on = TODAY + datetime.timedelta(days=365)
    decision = services.retain(
        record_type=RecordType.CASE,
        record=case,
        by=ig,
        reason="Pattern of repeat victimisation",
        next_review_on=review_on,
    )
    assert (decision.decision, decision.record_id) == (Decision.RETAIN, case.pk)
    assert case.pk not in queued(ig, RecordType.CASE, today=timezone.localdate())
    assert case.pk not in queued(ig, RecordType.CASE, today=review_on - datetime.timedelta(days=1))
    assert case.pk in queued(ig, RecordType.CASE, today=review_on)


def test_retaining_from_the_queue_page(client, agency, ig):
    referral = decided_referral(agency, ReferralStatus.DECLINED, datetime.date(2020, 1, 1))
    client.force_login(ig)
    page = client.get(reverse("governance:retention")).content.decode()
    assert reverse("governance:retain-referral", args=[referral.pk]) in page
    review_on = timezone.localdate() + datetime.timedelta(days=90)
    response = client.post(
        reverse("governance:retain-referral", args=[referral.pk]),
        {
            "reason": "Complaint about the decision is open",
            "next_review_on_day": review_on.day,
            "next_review_on_month": review_on.month,
            "next_review_on_year": review_on.year,
        },
    )
    assert response.status_code == 302
    assert RetentionDecision.objects.filter(
        record_id=referral.pk, decision=Decision.RETAIN
    ).exists()
    page = client.get(reverse("governance:retention")).content.decode()
    assert reverse("governance:retain-referral", args=[referral.pk]) not in page


def test_a_next_review_date_in_the_past_is_refused(client, agency, ig):
    case = closed_case(agency, datetime.date(2010, 1, 1))
    client.force_login(ig)
    response = client.post(
        reverse("governance:retain-case", args=[case.pk]),
        {
            "reason": "Keep",
            "next_review_on_day": 1,
            "next_review_on_month": 1,
            "next_review_on_year": 2020,
        },
    )
    assert response.status_code == 400
    assert "The date of the next review must be in the future" in response.content.decode()
    with pytest.raises(GovernanceError):
        services.retain(
            record_type=RecordType.CASE, record=case, by=ig, reason="x",
            next_review_on=timezone.localdate(),
        )  # fmt: skip
    assert not RetentionDecision.objects.exists()


def test_the_queue_is_for_governance_roles_of_the_agency_only(client, agency, ig):
    case = closed_case(agency, datetime.date(2010, 1, 1))
    client.force_login(UserFactory(agency=agency, role=Role.CASEWORKER))
    assert client.get(reverse("governance:retention")).status_code == 403
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert case.reference not in client.get(reverse("governance:retention")).content.decode()
    client.force_login(ig)
    assert case.reference in client.get(reverse("governance:retention")).content.decode()


def test_changing_a_retention_period_on_the_policies_page(client, ig):
    client.force_login(ig)
    response = client.post(
        reverse("governance:policies"),
        {RecordType.CASE: "84", RecordType.REFERRAL: "12", RecordType.PERSON: "0"},
    )
    assert response.status_code == 400
    assert "The number of months must be 1 or more" in response.content.decode()
    response = client.post(
        reverse("governance:policies"),
        {RecordType.CASE: "84", RecordType.REFERRAL: "12", RecordType.PERSON: "24"},
    )
    assert response.status_code == 302
    assert RetentionPolicy.objects.get(record_type=RecordType.CASE).period_months == 84


def test_placing_and_lifting_a_hold_from_the_pages(client, agency, ig):
    case = closed_case(agency, datetime.date(2010, 1, 1))
    client.force_login(ig)
    response = client.post(reverse("governance:hold-case", args=[case.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Enter why the record is being held" in response.content.decode()
    client.post(reverse("governance:hold-case", args=[case.pk]), {"reason": "Claim CL-9"})
    assert case.pk in queued(ig, RecordType.CASE, held=True)
    holds_page = client.get(reverse("governance:holds")).content.decode()
    assert "Claim CL-9" in holds_page
    (hold,) = services.LegalHold.objects.filter(case=case)
    client.post(reverse("governance:hold-lift", args=[hold.pk]), {"reason": "Claim settled"})
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lifted_by == ig
    assert case.pk in queued(ig, RecordType.CASE)
