"""Linkage rows for page tests, made directly (a real run takes seconds; these are the rows a
run keeps): the current run, a scored pair of two Safehold people with its waterfall, and a
decision on it. test_runs.py and the browser test use real runs."""

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.linkage.choices import Decision, Outcome
from safehold.linkage.models import SAFEHOLD, Pair, PairDecision, Record, Run
from safehold.linkage.services import ordered
from safehold.people.tests.factories import PersonFactory

EXPLANATION = [
    {"comparison": "prior", "label": "Before any comparison", "weight": -9.0},
    {"comparison": "first_name", "label": "Exact match", "weight": 6.5},
    {"comparison": "surname", "label": "One typing slip", "weight": 4.0},
    {"comparison": "date_of_birth", "label": "Day and month swapped", "weight": 3.0},
    {"comparison": "home", "label": "Different postcode", "weight": -2.5},
    {"comparison": "sex", "label": "Exact match", "weight": 0.5},
]
WEIGHT = sum(p["weight"] for p in EXPLANATION)  # 2.5: probability 0.85


def current_run() -> Run:
    run = Run.objects.filter(is_current=True).first()
    return run or Run.objects.create(
        threshold=0.95, review_floor=0.5, status="done", is_current=True, record_count=2
    )


def person_record(run: Run, person) -> Record:
    record, _ = Record.objects.get_or_create(
        run=run,
        key=f"{SAFEHOLD}/{person.pk}",
        defaults={
            "source": SAFEHOLD,
            "record_id": str(person.pk),
            "agency_id": person.owning_agency_id,
            "person": person,
            "cluster_id": f"{SAFEHOLD}/{person.pk}",
        },
    )
    return record


def make_pair(
    left_person=None,
    right_person=None,
    *,
    agency=None,
    run: Run | None = None,
    probability: float = 0.85,
    outcome: str = Outcome.REVIEW,
) -> Pair:
    """A scored pair of two Safehold people (by default one of `agency`, one of another)."""
    run = run or current_run()
    left_person = left_person or PersonFactory(owning_agency=agency or AgencyFactory())
    right_person = right_person or PersonFactory(owning_agency=AgencyFactory())
    left, right = person_record(run, left_person), person_record(run, right_person)
    if left.key > right.key:
        left, right = right, left
    return Pair.objects.create(
        run=run,
        left=left,
        right=right,
        match_probability=probability,
        match_weight=WEIGHT,
        outcome=outcome,
        explanation=EXPLANATION,
    )


def make_decision(pair: Pair, *, by=None, decision: str = Decision.DIFFERENT) -> PairDecision:
    by = by or UserFactory(agency=pair.left.agency, role=Role.IG_OFFICER)
    left, right = ordered(pair.left.key, pair.right.key)
    return PairDecision.objects.create(
        left_key=left,
        right_key=right,
        decision=decision,
        reason="Different dates of birth on the tenancy",
        decided_by=by,
        pair=pair,
        match_probability=pair.match_probability,
    )


def extract_record(run: Run, extract, record_id: str) -> Record:
    source = str(extract.owning_agency_id)
    record, _ = Record.objects.get_or_create(
        run=run,
        key=f"{source}/{record_id}",
        defaults={
            "source": source,
            "record_id": record_id,
            "agency_id": extract.owning_agency_id,
            "extract": extract,
            "cluster_id": f"{source}/{record_id}",
        },
    )
    return record


def pair_of(left: Record, right: Record, **fields) -> Pair:
    if left.key > right.key:
        left, right = right, left
    return Pair.objects.create(
        run=left.run,
        left=left,
        right=right,
        match_probability=fields.pop("probability", 0.85),
        match_weight=WEIGHT,
        outcome=fields.pop("outcome", Outcome.REVIEW),
        explanation=EXPLANATION,
        **fields,
    )
