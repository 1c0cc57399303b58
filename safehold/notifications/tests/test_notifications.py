"""Notices in the service and by e-mail for what needs a user (issue 14, item 15): made in the
event's transaction, e-mailed after it commits to those who chose it, and never carrying
personal data (a reference and a link only)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.models import Task
from safehold.cases.services import referrals, tasks
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.core import dates
from safehold.monitoring import services as monitoring
from safehold.notifications import services
from safehold.notifications.choices import NotificationKind
from safehold.notifications.models import Notification
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing import services as sharing
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

GIVEN, FAMILY, BORN = "Zebedee", "Quartermaine", datetime.date(1961, 3, 14)
STREET, POSTCODE = "17 Larkspur Close", "SK4 9ZZ"


def personal_values() -> list[str]:
    """Everything about the subject an e-mail must never hold, in the ways it could be written."""
    return [GIVEN, FAMILY, STREET, POSTCODE, "1961", "14/03", "14 March", "Larkspur"]


def assert_no_personal_data(message) -> None:
    text = f"{message.subject}\n{message.body}"
    for value in personal_values():
        assert value not in text, f"{value!r} in the e-mail"


@pytest.fixture
def housing():
    return AgencyFactory(name="Stockport Homes")


@pytest.fixture
def police():
    return AgencyFactory(name="Greater Manchester Police")


@pytest.fixture
def case(housing):
    person = PersonFactory(
        owning_agency=housing, given_name=GIVEN, family_name=FAMILY, date_of_birth=BORN
    )
    place = LocationFactory(owning_agency=housing, address_line_1=STREET, postcode=POSTCODE)
    return CaseFactory(
        programme=ProgrammeFactory(lead_agency=housing), subject=person, location=place
    )


def notices(user, kind=None):
    found = Notification.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


def test_a_notice_is_made_in_the_events_transaction_and_e_mailed_only_after_it_commits(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.notify(
                recipients=[user], kind=NotificationKind.TASK_ASSIGNED, reference="Case X-1",
                link="/cases/",
            )  # fmt: skip
            assert len(notices(user)) == 1
            assert mail.outbox == []  # not before the commit
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "Case X-1" in mail.outbox[0].body and "/cases/" in mail.outbox[0].body


def test_an_event_rolled_back_leaves_no_notice_and_sends_no_e_mail(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(
                recipients=[user], kind=NotificationKind.TASK_ASSIGNED, reference="Case X-1"
            )
            raise RuntimeError("the event failed")
    assert notices(user) == [] and callbacks == [] and mail.outbox == []


def test_a_user_who_did_not_choose_a_kind_by_e_mail_still_gets_the_notice(
    django_capture_on_commit_callbacks,
):
    quiet, keen = UserFactory(), UserFactory()
    services.choose_email_kinds(user=quiet, kinds=[NotificationKind.CASE_SHARED])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[quiet, keen, keen], kind=NotificationKind.TASK_ASSIGNED, reference="R"
        )
    assert len(notices(quiet)) == 1 and len(notices(keen)) == 1
    assert [m.to for m in mail.outbox] == [[keen.email]]


def test_a_disabled_user_gets_no_notice():
    gone = UserFactory(is_active=False)
    services.notify(recipients=[gone], kind=NotificationKind.TASK_ASSIGNED, reference="R")
    assert notices(gone) == []


def test_a_referral_accepted_or_declined_tells_its_referrer_without_personal_data(
    django_capture_on_commit_callbacks, housing, police
):
    programme = ProgrammeFactory(lead_agency=housing)
    referrer = UserFactory(agency=police, role=Role.REFERRER)
    worker = UserFactory(agency=housing, role=Role.CASEWORKER)
    accepted, declined = (
        ReferralFactory(
            programme=programme,
            referrer=referrer,
            subject_given_name=GIVEN,
            subject_family_name=FAMILY,
            subject_date_of_birth=BORN,
            address_line_1=STREET,
            postcode=POSTCODE,
        )
        for _ in range(2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        referrals.accept(
            referral=accepted, by=worker, person=referrals.FROM_REFERRAL,
            location=referrals.FROM_REFERRAL, exploitation_type="cuckooing",
            risk_level="high", risk_rationale="Daily visitors",
        )  # fmt: skip
        referrals.decline(referral=declined, by=worker, reason=f"{GIVEN} has moved away")
    found = sorted(notices(referrer, NotificationKind.REFERRAL_DECIDED), key=lambda n: n.reference)
    assert [n.reference for n in found] == sorted(
        [f"Referral {accepted.reference}: accepted", f"Referral {declined.reference}: declined"]
    )
    assert {n.link for n in found} == {
        reverse("cases:referral-detail", args=[r.pk]) for r in (accepted, declined)
    }
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.to == [referrer.email]
        assert_no_personal_data(message)
    assert notices(worker) == []


def test_a_repeat_referral_added_to_the_open_case_tells_its_referrer(housing, police):
    programme = ProgrammeFactory(lead_agency=housing)
    referrer = UserFactory(agency=police, role=Role.REFERRER)
    worker = UserFactory(agency=housing, role=Role.CASEWORKER)
    case = CaseFactory(programme=programme, owning_agency=housing)
    repeat = ReferralFactory(programme=programme, referrer=referrer)
    referrals.add_to_case(referral=repeat, by=worker, case=case)
    found = notices(referrer, NotificationKind.REFERRAL_DECIDED)
    assert [n.reference for n in found] == [f"Referral {repeat.reference}: accepted"]


def test_an_anonymous_referral_decided_tells_nobody(housing):
    worker = UserFactory(agency=housing, role=Role.CASEWORKER)
    referral = ReferralFactory(programme=ProgrammeFactory(lead_agency=housing), referrer=None)
    referrals.decline(referral=referral, by=worker, reason="Not for us")
    assert Notification.objects.count() == 0


def test_a_case_shared_tells_the_receiving_agencys_casework_users_only(
    django_capture_on_commit_callbacks, housing, police, case
):
    sharer = UserFactory(agency=housing, role=Role.CASEWORKER)
    receiver = UserFactory(agency=police, role=Role.CASEWORKER)
    referrer = UserFactory(agency=police, role=Role.REFERRER)
    analyst = UserFactory(agency=police, role=Role.ANALYST)
    agreement = AgreementFactory(parties=[housing, police])
    with django_capture_on_commit_callbacks(execute=True):
        sharing.disclose(
            agreement=agreement, to_agency=police, level="full", purpose="Joint visit",
            by=sharer, case=case,
        )  # fmt: skip
    (notice,) = notices(receiver, NotificationKind.CASE_SHARED)
    assert notice.reference.startswith(f"Case {case.reference}, shared by Stockport Homes")
    assert notice.link == reverse("cases:detail", args=[case.pk])
    assert notices(referrer) == notices(analyst) == notices(sharer) == []
    (message,) = mail.outbox
    assert message.to == [receiver.email]
    assert_no_personal_data(message)


def test_a_case_shared_by_name_only_is_not_even_named_by_its_reference(
    django_capture_on_commit_callbacks, housing, police, case
):
    receiver = UserFactory(agency=police, role=Role.CASEWORKER)
    with django_capture_on_commit_callbacks(execute=True):
        sharing.disclose(
            agreement=AgreementFactory(parties=[housing, police]), to_agency=police,
            level="name_only", purpose="Awareness", case=case,
            by=UserFactory(agency=housing, role=Role.CASEWORKER),
        )  # fmt: skip
    (notice,) = notices(receiver)
    assert case.reference not in notice.reference
    assert notice.link == reverse("sharing:who-else")
    assert case.reference not in mail.outbox[0].body
    assert_no_personal_data(mail.outbox[0])


def test_an_access_request_tells_the_deciders_and_its_answer_tells_the_requester(
    django_capture_on_commit_callbacks, housing, police, case
):
    requester = UserFactory(agency=police, role=Role.CASEWORKER)
    decider = UserFactory(agency=housing, role=Role.SUPERVISOR)
    ig = UserFactory(agency=housing, role=Role.IG_OFFICER)  # does not decide on requests
    AgreementFactory(parties=[housing, police])
    with django_capture_on_commit_callbacks(execute=True):
        request = sharing.request_access(by=requester, reason=f"Visiting {GIVEN}", case=case)
    (asked,) = notices(decider, NotificationKind.ACCESS_REQUESTED)
    assert asked.link == reverse("sharing:requests") and notices(ig) == []
    with django_capture_on_commit_callbacks(execute=True):
        sharing.decline_request(request=request, by=decider, reason=f"{FAMILY} objects")
    (answer,) = notices(requester, NotificationKind.ACCESS_ANSWERED)
    assert answer.reference == "Your request to Stockport Homes: declined"
    assert answer.link == reverse("sharing:requests-sent")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_no_personal_data(message)


def test_an_approved_access_request_tells_the_requester(housing, police, case):
    requester = UserFactory(agency=police, role=Role.CASEWORKER)
    decider = UserFactory(agency=housing, role=Role.CASEWORKER)
    agreement = AgreementFactory(parties=[housing, police])
    request = sharing.request_access(by=requester, reason="Joint visit", case=case)
    sharing.approve_request(request=request, by=decider, agreement=agreement)
    (answer,) = notices(requester, NotificationKind.ACCESS_ANSWERED)
    assert answer.reference == "Your request to Stockport Homes: approved"
    # The share itself is news to the requester's agency too.
    assert len(notices(requester, NotificationKind.CASE_SHARED)) == 1


def test_a_task_given_to_someone_tells_them_and_one_taken_by_oneself_does_not(
    django_capture_on_commit_callbacks, housing, case
):
    lead = UserFactory(agency=housing, role=Role.SUPERVISOR)
    worker = UserFactory(agency=housing, role=Role.CASEWORKER)
    due = dates.today() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.add_task(case=case, by=lead, title=f"Visit {GIVEN}", due_on=due, owner=worker)
        tasks.add_task(case=case, by=lead, title="Write up", due_on=due, owner=lead)
    (notice,) = notices(worker, NotificationKind.TASK_ASSIGNED)
    assert notice.reference.startswith(f"Case {case.reference}: a task due")
    assert notices(lead) == []
    (message,) = mail.outbox
    assert_no_personal_data(message)


def test_a_monitoring_alert_is_a_notice_for_the_ig_officers_and_one_e_mail_each(
    django_capture_on_commit_callbacks, housing
):
    from safehold.monitoring.tests.test_alerts import view_records

    viewer = UserFactory(agency=housing, role=Role.CASEWORKER)
    ig = UserFactory(agency=housing, role=Role.IG_OFFICER)
    view_records(viewer, 5)
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = monitoring.scan(threshold=2).raised
    (notice,) = notices(ig, NotificationKind.MONITORING_ALERT)
    assert notice.link == reverse("monitoring:alert-detail", args=[alert.pk])
    assert notices(viewer) == []
    assert [m.to for m in mail.outbox] == [[ig.email]]  # the scan's own e-mail, not two


def test_tomorrows_deadlines_are_told_once_however_often_the_command_runs(
    django_capture_on_commit_callbacks, housing, case
):
    today = dates.today()
    tomorrow = today + datetime.timedelta(days=1)
    worker = UserFactory(agency=housing, role=Role.CASEWORKER)
    colleague = UserFactory(agency=housing, role=Role.CASEWORKER)
    Task.objects.create(
        case=case, title=f"Call {GIVEN}", owner=worker, owner_agency=housing, due_on=tomorrow
    )
    Task.objects.create(
        case=case, title="Later", owner=worker, owner_agency=housing,
        due_on=tomorrow + datetime.timedelta(days=1),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications", "deadlines", "--today", today.isoformat())
        call_command("notifications", "deadlines", "--today", today.isoformat())
    (notice,) = notices(worker, NotificationKind.DEADLINE_TOMORROW)
    assert notice.reference == f"Task due: Case {case.reference}"
    # The colleague may see the task, but it is not theirs.
    assert notices(colleague) == []
    (message,) = mail.outbox
    assert_no_personal_data(message)
