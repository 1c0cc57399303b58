"""The linkage pages: the review queue (the agency's undecided pairs, strongest first, in a fixed
number of queries), a pair's page (each record as far as the reviewer may see it, world by
world, each "must not see" with its positive control on the same URL; the waterfall and its
table; the decision form), the decisions page with reversal, and a run started from the
overview on the job queue (which runs at once in tests)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.imports.models import ImportRun
from safehold.linkage import services
from safehold.linkage.choices import Decision, Outcome
from safehold.linkage.models import PairDecision, Run
from safehold.linkage.tests.factories import (
    EXPLANATION,
    WEIGHT,
    current_run,
    extract_record,
    make_decision,
    make_pair,
    pair_of,
    person_record,
)
from safehold.linkage.waterfall import probability, waterfall
from safehold.partners.tests.factories import ExtractFactory
from safehold.people.tests.factories import PersonFactory
from safehold.sharing.models import Disclosure
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


class Two:
    """Agency A (a council) and agency B (a landlord), each with a marked person, reviewers and
    a caseworker; one pair of A's and B's person for review."""

    def __init__(self):
        self.a = AgencyFactory(name="Stockport Council")
        self.b = AgencyFactory(name="Stockport Homes")
        self.a_person = PersonFactory(
            owning_agency=self.a, given_name="Qalpha", family_name="Qcouncil",
            date_of_birth=datetime.date(1981, 4, 3),
        )  # fmt: skip
        self.b_person = PersonFactory(
            owning_agency=self.b, given_name="Qbeta", family_name="Qlandlord",
            date_of_birth=datetime.date(1979, 11, 30),
        )  # fmt: skip
        self.pair = make_pair(self.a_person, self.b_person)
        self.url = reverse("linkage:pair", args=[self.pair.pk])

    def user(self, agency, role=Role.IG_OFFICER):
        return UserFactory(agency=agency, role=role)


@pytest.fixture
def two(db):
    return Two()


A_MARKS, B_MARKS = (
    {"Qalpha", "Qcouncil", "3 April 1981"},
    {"Qbeta", "Qlandlord", "30 November 1979"},
)


def seen(response, marks) -> set[str]:
    text = response.content.decode()
    return {m for m in marks if m in text}


# --- A pair's page, world by world -----------------------------------------------------------


def test_each_reviewer_sees_their_own_agencys_person_and_only_the_holder_of_the_other(client, two):
    client.force_login(two.user(two.a))
    response = client.get(two.url)
    assert response.status_code == 200
    assert seen(response, A_MARKS) == A_MARKS and seen(response, B_MARKS) == set()
    assert "A person held by Stockport Homes" in response.content.decode()
    # The positive control: B's reviewer, on the same URL, sees B's person and not A's.
    client.force_login(two.user(two.b))
    response = client.get(two.url)
    assert seen(response, B_MARKS) == B_MARKS and seen(response, A_MARKS) == set()
    assert "A person held by Stockport Council" in response.content.decode()


def test_a_person_shared_in_full_is_shown_and_one_shared_by_name_only_is_not(client, two):
    agreement = AgreementFactory(parties=[two.a, two.b])
    disclosure = Disclosure.objects.create(
        agreement=agreement, from_agency=two.b, to_agency=two.a, person=two.b_person,
        level="name_only", purpose="joint work",
    )  # fmt: skip
    client.force_login(two.user(two.a))
    response = client.get(two.url)
    assert seen(response, B_MARKS) == set()  # name only: not on the review page either
    assert "A person held by Stockport Homes" in response.content.decode()
    Disclosure.objects.filter(pk=disclosure.pk).update(level="full")
    response = client.get(two.url)
    assert seen(response, B_MARKS) == B_MARKS  # shared in full: the reviewer may see it
    event = AuditEvent.objects.filter(action=Action.CONSULT, object_type="linkage.pair").last()
    assert str(two.a_person.pk) in event.subject_ids and str(two.b_person.pk) in event.subject_ids


def test_an_analyst_reviews_without_seeing_any_persons_details(client, two):
    """Analysts do not browse people: both Safehold people are named by their holder only."""
    client.force_login(two.user(two.a, Role.ANALYST))
    response = client.get(two.url)
    assert response.status_code == 200
    assert seen(response, A_MARKS | B_MARKS) == set()
    assert "Your decision" in response.content.decode()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR, Role.REFERRER])
def test_roles_that_do_not_review_and_other_agencies_get_404(client, two, role):
    client.force_login(two.user(two.a, role))
    assert client.get(two.url).status_code == 404
    client.force_login(two.user(AgencyFactory()))
    assert client.get(two.url).status_code == 404
    assert client.post(two.url, {"decision": "same", "reason": "x"}).status_code == 404
    client.force_login(two.user(two.a))
    assert client.get(two.url).status_code == 200  # the control


def test_an_extracts_row_is_shown_only_to_the_agency_that_owns_the_extract(client, two):
    extract = ExtractFactory(owning_agency=two.b)  # H-1 is Ada Lovelace, 1990-12-10, SK1 3XE
    run = current_run()
    pair = pair_of(person_record(run, two.a_person), extract_record(run, extract, "H-1"))
    url = reverse("linkage:pair", args=[pair.pk])
    client.force_login(two.user(two.a))
    response = client.get(url)
    assert seen(response, {"Lovelace", "1990-12-10", "SK1 3XE"}) == set()
    assert "A record of Stockport Homes (people extract)" in response.content.decode()
    b_reviewer = two.user(two.b, Role.ANALYST)
    client.force_login(b_reviewer)
    response = client.get(url)
    assert seen(response, {"Lovelace", "1990-12-10", "SK1 3XE"}) == {
        "Lovelace", "1990-12-10", "SK1 3XE",
    }  # fmt: skip
    read = AuditEvent.objects.get(
        action=Action.CONSULT, actor=b_reviewer, object_type="partners.extract"
    )
    assert f"{extract.pk}/H-1" in read.object_ids  # the one record read, through the gate


def test_the_waterfall_adds_up_and_its_table_holds_the_same_numbers(client, two):
    chart = waterfall(EXPLANATION, WEIGHT)
    assert chart.steps[-1].total == pytest.approx(WEIGHT)
    assert chart.final.probability == pytest.approx(probability(WEIGHT))
    assert chart.final.x == pytest.approx(chart.zero_x)  # the total is drawn from 0
    assert [s.colour for s in chart.steps][:2] == ["#d4351c", "#00703c"]  # prior against, name for
    client.force_login(two.user(two.a))
    html = client.get(two.url).content.decode()
    assert "<svg" in html and 'id="waterfall-table"' in html
    assert "Day and month swapped" in html and "-2.50" in html
    assert f'id="match-weight">{WEIGHT:.2f}<' in html
    assert 'id="match-probability">0.850<' in html
    assert " style=" not in html.split('id="waterfall-title"')[1].split("</table>")[0]


# --- Deciding -------------------------------------------------------------------------------


def test_a_decision_needs_an_answer_and_a_reason_and_then_leaves_the_queue(client, two):
    reviewer = two.user(two.a)
    client.force_login(reviewer)
    response = client.post(two.url, {"decision": "", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Select whether the records are the same person" in html
    assert "Enter the reason for your decision" in html
    assert PairDecision.objects.count() == 0
    queue = reverse("linkage:queue")
    assert str(two.url) in client.get(queue).content.decode()
    response = client.post(two.url, {"decision": "different", "reason": "Different tenancy"})
    assert response.status_code == 302 and response.url == queue
    made = PairDecision.objects.get()
    assert (made.decision, made.decided_by, made.pair) == (Decision.DIFFERENT, reviewer, two.pair)
    assert str(two.url) not in client.get(queue).content.decode()
    # The other agency's reviewer sees it among the earlier decisions on the same pair.
    client.force_login(two.user(two.b))
    html = client.get(two.url).content.decode()
    assert "Different tenancy" in html and "In force" in html


def test_an_administrator_reads_a_pair_but_may_not_decide(client, two):
    client.force_login(two.user(two.a, Role.ADMINISTRATOR))
    response = client.get(two.url)
    assert response.status_code == 200 and "Your decision" not in response.content.decode()
    assert client.post(two.url, {"decision": "same", "reason": "x"}).status_code == 404
    assert PairDecision.objects.count() == 0


# --- The queue ------------------------------------------------------------------------------


def test_the_queue_holds_the_agencys_undecided_review_and_apart_pairs_strongest_first(client, two):
    run = two.pair.run
    apart = make_pair(PersonFactory(owning_agency=two.a), run=run, probability=0.97,
                      outcome=Outcome.APART)  # fmt: skip
    linked = make_pair(PersonFactory(owning_agency=two.a), run=run, probability=0.99,
                       outcome=Outcome.LINKED)  # fmt: skip
    decided = make_pair(PersonFactory(owning_agency=two.a), run=run, probability=0.7)
    make_decision(decided)
    # Decided the other way round (keys swapped): still a decision in force on the two.
    swapped = make_pair(PersonFactory(owning_agency=two.a), run=run, probability=0.6)
    PairDecision.objects.create(
        left_key=swapped.left.key, right_key=swapped.right.key, decision=Decision.SAME,
        reason="Same tenancy", decided_by=two.user(two.a),
    )  # fmt: skip
    reversed_ = make_pair(PersonFactory(owning_agency=two.a), run=run, probability=0.65)
    PairDecision.objects.filter(pk=make_decision(reversed_).pk).update(reversed_at=timezone.now())
    others = make_pair(agency=AgencyFactory(), run=run, probability=0.9)
    old_run = Run.objects.create(threshold=0.95, review_floor=0.5, status="done")
    old = make_pair(PersonFactory(owning_agency=two.a), run=old_run, probability=0.8)
    client.force_login(two.user(two.a))
    response = client.get(reverse("linkage:queue"))
    shown = [p.pk for p in response.context["pairs"]]
    assert shown == [apart.pk, two.pair.pk, reversed_.pk]
    assert not {linked.pk, decided.pk, swapped.pk, others.pk, old.pk} & set(shown)
    event = AuditEvent.objects.filter(action=Action.CONSULT, object_type="linkage.pair").last()
    assert all(str(pk) in event.object_ids for pk in shown)
    assert seen(response, A_MARKS | B_MARKS) == set()  # the queue names no one


def _fill(agency, run, n) -> list:
    return [
        make_pair(PersonFactory(owning_agency=agency), run=run, probability=0.5 + i / 1000)
        for i in range(n)
    ]


@pytest.mark.parametrize("name", ["linkage:queue", "linkage:decisions"])
def test_the_queue_and_the_decisions_take_the_same_queries_for_3_or_40_pairs(
    client, two, django_assert_num_queries, name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reviewer = two.user(two.a)
    client.force_login(reviewer)
    run = two.pair.run
    for pair in _fill(two.a, run, 2):
        make_decision(pair, by=reviewer)
    client.get(reverse(name))  # sessions, caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name)).status_code == 200
    more = _fill(two.a, run, 38)
    for pair in more[:28]:
        make_decision(pair, by=reviewer)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name))
    assert response.status_code == 200
    shown = response.context["pairs" if name == "linkage:queue" else "rows"]
    assert len(shown) == (11 if name == "linkage:queue" else 30)


# --- Decisions and reversal ------------------------------------------------------------------


def test_the_decisions_page_lists_decisions_and_reverses_one_with_a_reason(client, two):
    reviewer = two.user(two.b)
    decision = make_decision(two.pair, by=two.user(two.a), decision=Decision.SAME)
    elsewhere = make_decision(make_pair(agency=AgencyFactory()))
    client.force_login(reviewer)
    page = client.get(reverse("linkage:decisions"))
    html = page.content.decode()
    assert decision.reason in html and "Reverse" in html
    assert [r["decision"] for r in page.context["rows"]] == [decision]  # not elsewhere's
    url = reverse("linkage:reverse", args=[decision.pk])
    response = client.post(url, {"reason": " "})
    assert response.status_code == 400
    assert "Enter the reason for reversing the decision" in response.content.decode()
    decision.refresh_from_db()
    assert decision.in_force
    response = client.post(url, {"reason": "The NI number was mistyped"})
    assert response.status_code == 302 and response.url == reverse("linkage:decisions")
    decision.refresh_from_db()
    assert (decision.reversed_by, decision.reversal_reason) == (
        reviewer, "The NI number was mistyped",
    )  # fmt: skip
    html = client.get(reverse("linkage:decisions")).content.decode()
    assert "Reversed" in html and "The NI number was mistyped" in html
    assert client.get(reverse("linkage:reverse", args=[elsewhere.pk])).status_code == 404


def test_a_decision_is_reversed_only_by_a_reviewer_of_its_agencies(client, two):
    decision = make_decision(two.pair)
    url = reverse("linkage:reverse", args=[decision.pk])
    client.force_login(two.user(two.a, Role.ADMINISTRATOR))
    assert client.get(url).status_code == 200  # may read it
    assert client.post(url, {"reason": "No"}).status_code == 404
    client.force_login(two.user(AgencyFactory()))
    assert client.post(url, {"reason": "No"}).status_code == 404
    decision.refresh_from_db()
    assert decision.in_force


def test_the_reverse_service_refuses_an_actor_who_may_not_and_accepts_one_who_may(two):
    decision = make_decision(two.pair)
    for outsider in (two.user(AgencyFactory()), two.user(two.a, Role.ADMINISTRATOR)):
        with pytest.raises(services.DecisionRefused, match="cannot reverse"):
            services.reverse(decision=decision, reason="No", by=outsider)
    services.reverse(decision=decision, reason="Wrong tenancy", by=two.user(two.b))
    decision.refresh_from_db()
    assert not decision.in_force


# --- A run from the overview -----------------------------------------------------------------


def test_a_run_started_from_the_overview_shows_its_figures(client, db):
    from safehold.linkage.tests.partnership import make_partnership

    partnership = make_partnership(people=40, household_traps=2)
    client.force_login(partnership.users["council_caseworker"])
    assert client.get(reverse("linkage:overview")).status_code == 403
    assert client.post(reverse("linkage:start")).status_code == 403
    analyst = partnership.users["landlord_analyst"]
    client.force_login(analyst)
    html = client.get(reverse("linkage:overview")).content.decode()
    assert "Linkage has not been run yet" in html and "Run linkage" in html
    response = client.post(reverse("linkage:start"))
    run = ImportRun.objects.get(kind="linkage_run")
    assert response.status_code == 302 and response.url == reverse("linkage:run", args=[run.pk])
    assert run.status == ImportRun.Status.DONE
    made = Run.objects.get(is_current=True)
    assert run.result["linkage_run_id"] == str(made.pk)
    assert run.result["records"] == made.record_count == len(partnership.truth)
    page = client.get(response.url).content.decode()
    assert "Linkage complete" in page and f'id="records">{made.record_count}<' in page
    overview = client.get(reverse("linkage:overview")).content.decode()
    assert f'id="people">{made.cluster_count}<' in overview
    assert f'id="for-review">{made.review_pair_count}<' in overview
    # Another agency's users do not see this agency's run page.
    client.force_login(partnership.users["police_analyst"])
    assert client.get(response.url).status_code == 404
