"""Changing what linkage keeps: a run (train, score, cluster, keep the resolved-identity table
and the pairs), and people's decisions on pairs, which every later run obeys (ADR 0055)."""

import math
from collections.abc import Callable, Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import User
from safehold.analytics.store import data_dir
from safehold.audit.choices import Action
from safehold.linkage import incoming
from safehold.linkage import model as engine
from safehold.linkage.choices import Decision, Outcome, RunStatus
from safehold.linkage.models import SAFEHOLD, Pair, PairDecision, Record, Run
from safehold.linkage.rules import can_decide_pair, can_reverse_decision
from safehold.linkage.sources import Sources, gather

BATCH = 2000


class DecisionRefused(ValueError):
    """The decision cannot be recorded as asked (the message says why, for the page)."""


def records_path(run: Run):
    """The run's records as it compared them (Parquet in the analytics store): what a referral
    at the front door is scored against."""
    return data_dir() / "linkage" / f"{run.pk}.parquet"


def raw_records_path(run: Run):
    """The run's records as they came (names as written, for the front door's hints)."""
    return data_dir() / "linkage" / f"{run.pk}-records.parquet"


def _keep_raw(records: pa.Table, path) -> None:
    keys = pc.binary_join_element_wise(records.column("source"), records.column("record_id"), "/")
    table = pa.table(
        {
            "key": keys,
            "first_name": records.column("first_name"),
            "surname": records.column("surname"),
            "date_of_birth": records.column("date_of_birth"),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary)
    temporary.replace(path)


def ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def decisions_in_force() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The pairs people decided are the same person, and those they decided are not."""
    same, different = set(), set()
    for left, right, decision in PairDecision.objects.filter(reversed_at__isnull=True).values_list(
        "left_key", "right_key", "decision"
    ):
        if decision == Decision.SAME:
            same.add((left, right))
        elif decision == Decision.DIFFERENT:
            different.add((left, right))
    return same, different


def run_linkage(
    *,
    by: User | None,
    engine_name: str = "duckdb",
    progress: Callable[[int, int], None] | None = None,
    then: Callable[[Run], None] | None = None,
) -> Run:
    """Link Safehold's people and every current people extract, keep the resolved-identity table
    and the pairs worth a look, and make this run the current one. People's decisions override
    the model: a pair decided the same is joined, one decided different never is. `then(run)`
    runs in the transaction that keeps the results (an import run recording its figures)."""
    progress = progress or (lambda done, total: None)
    run = Run.objects.create(
        started_by=by,
        engine=engine_name,
        threshold=engine.DEFAULT_THRESHOLD,
        review_floor=engine.PAIR_FLOOR,
    )
    try:
        progress(0, 4)
        sources = gather()
        progress(1, 4)
        trained = engine.train(sources.records, **_engine_options(engine_name))
        progress(2, 4)
        same, different = decisions_in_force()
        result = engine.link(
            sources.records,
            model=trained,
            same=same,
            different=different,
            **_engine_options(engine_name),
        )
        progress(3, 4)
        incoming.keep_standardised(sources.records, records_path(run))
        _keep_raw(sources.records, raw_records_path(run))
        _keep(run, sources, trained, result, then=then)
        progress(4, 4)
    except Exception as exc:
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=str(exc)[:2000]
        )
        raise
    return run


def _engine_options(engine_name: str) -> dict:
    return {} if engine_name == "duckdb" else {"engine": engine_name}


@transaction.atomic
def _keep(
    run: Run,
    sources: Sources,
    trained: engine.TrainedModel,
    result: engine.LinkResult,
    *,
    then: Callable[[Run], None] | None = None,
):
    records = _records(run, sources, result.clusters)
    by_key = {r.key: r for r in Record.objects.filter(run=run)}
    pairs = _pairs(run, trained, result.pairs, by_key)
    clusters = {r.cluster_id for r in records}
    Run.objects.filter(is_current=True).update(is_current=False)
    run.model = trained.as_json()
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.record_count = len(records)
    run.pair_count = len(pairs)
    run.linked_pair_count = sum(p.outcome == Outcome.LINKED for p in pairs)
    run.review_pair_count = sum(p.outcome == Outcome.REVIEW for p in pairs)
    run.cluster_count = len(clusters)
    run.is_current = True
    run.save()
    run.extracts.set(sources.extracts.values())
    run.sources = [
        {
            "extract": str(e.pk),
            "agency": str(e.owning_agency_id),
            "agency_name": e.owning_agency.name,
            "kind": e.kind,
        }
        for e in sources.extracts.values()
    ]
    run.save(update_fields=["sources"])
    audit.record(
        action=Action.COMBINE,
        actor=run.started_by,
        target=run,
        object_ids=[e.pk for e in sources.extracts.values()],
        purpose=(
            f"record linkage of {len(records)} records (Safehold's people and "
            f"{len(sources.extracts)} partner extracts)"
        ),
    )
    if then is not None:
        then(run)


def abandon(runs: Iterable[Run], *, why: str) -> list[Run]:
    """Fail runs whose process died before it kept their results (their transaction died with
    it), removing the records files they had written (names and dates of birth that no run
    points to, ADR 0063)."""
    failed = []
    for run in runs:
        marked = Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=why
        )
        if marked:
            records_path(run).unlink(missing_ok=True)
            raw_records_path(run).unlink(missing_ok=True)
            failed.append(run)
    return failed


def _records(run: Run, sources: Sources, clusters: pa.Table) -> list[Record]:
    records = []
    for source, record_id, cluster_id, probability in zip(
        clusters.column("source").to_pylist(),
        clusters.column("record_id").to_pylist(),
        clusters.column("cluster_id").to_pylist(),
        clusters.column("match_probability").to_pylist(),
        strict=True,
    ):
        if source == SAFEHOLD:
            agency_id, person_id, extract = sources.person_agency[record_id], record_id, None
        else:
            extract = sources.extracts[source]
            agency_id, person_id = extract.owning_agency_id, None
        records.append(
            Record(
                run=run,
                key=f"{source}/{record_id}",
                source=source,
                record_id=record_id,
                agency_id=agency_id,
                person_id=person_id,
                extract=extract,
                cluster_id=cluster_id,
                match_probability=probability,
                extract_kind=extract.kind if extract else "",
                agreement_id=extract.agreement_id if extract else None,
            )
        )
    Record.objects.bulk_create(records, batch_size=BATCH)
    return records


def _pairs(run: Run, trained: engine.TrainedModel, pairs: pa.Table, by_key: dict) -> list[Pair]:
    explain = Explainer(trained)
    pairs = pairs.filter(pc.greater_equal(pairs.column("match_probability"), run.review_floor))
    cluster = {key: r.cluster_id for key, r in by_key.items()}
    out = []
    for row in pairs.to_pylist():
        left, right = row["unique_id_l"], row["unique_id_r"]
        probability = row["match_probability"]
        if probability >= run.threshold:
            outcome = Outcome.LINKED if cluster[left] == cluster[right] else Outcome.APART
        else:
            outcome = Outcome.REVIEW
        out.append(
            Pair(
                run=run,
                left=by_key[left],
                right=by_key[right],
                match_probability=probability,
                match_weight=row["match_weight"] if row["match_weight"] is not None else 0.0,
                outcome=outcome,
                explanation=explain(row),
            )
        )
    Pair.objects.bulk_create(out, batch_size=BATCH)
    return out


class Explainer:
    """Each comparison's part of a pair's match weight, for the waterfall: the prior, then each
    comparison's level and weight (log2 of m/u), then what the names' frequencies added (a
    common name is weaker evidence than a rare one). The parts add up to the match weight."""

    def __init__(self, trained: engine.TrainedModel):
        settings = trained.settings
        prior = settings["probability_two_random_records_match"]
        self.prior = math.log2(prior / (1 - prior))
        self.comparisons = []
        for comparison in settings["comparisons"]:
            levels = {}
            # Splink numbers a comparison's levels as it lists them, highest first down to 0
            # for the last ("all other"), the null level -1 (the saved settings omit the number).
            ranked = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            number = {id(lv): len(ranked) - 1 - i for i, lv in enumerate(ranked)}
            for level in comparison["comparison_levels"]:
                value = -1 if level.get("is_null_level") else number[id(level)]
                m, u = level.get("m_probability"), level.get("u_probability")
                weight = 0.0 if level.get("is_null_level") or not (m and u) else math.log2(m / u)
                levels[value] = (level.get("label_for_charts", ""), weight)
            self.comparisons.append((comparison["output_column_name"], levels))

    def __call__(self, row: dict) -> list[dict]:
        parts = [{"comparison": "prior", "label": "Before any comparison", "weight": self.prior}]
        for name, levels in self.comparisons:
            gamma = row.get(f"gamma_{name}")
            label, weight = levels.get(gamma if gamma is not None else -1, ("Not compared", 0.0))
            parts.append({"comparison": name, "label": label, "weight": round(weight, 3)})
        rest = (row["match_weight"] or 0.0) - sum(p["weight"] for p in parts)
        if abs(rest) > 0.005:
            parts.append(
                {
                    "comparison": "frequency",
                    "label": "How common the names are",
                    "weight": round(rest, 3),
                }
            )
        return parts


# --- Decisions -------------------------------------------------------------------------------


@transaction.atomic
def decide(*, pair: Pair, decision: str, reason: str, by: User) -> PairDecision:
    """Record a person's decision on a pair (with its reason); it replaces an earlier decision
    in force on the same two records (which stays, reversed). It takes effect in the next run."""
    if decision not in Decision.values:
        raise DecisionRefused("Choose whether they are the same person")
    if not reason.strip():
        raise DecisionRefused("Say why you decided this")
    if not can_decide_pair(by, pair):
        raise DecisionRefused("You cannot decide on this pair")
    left, right = ordered(pair.left.key, pair.right.key)
    now = timezone.now()
    earlier = list(
        PairDecision.objects.select_for_update().filter(
            left_key=left, right_key=right, reversed_at__isnull=True
        )
    )
    for old in earlier:
        old.reversed_at, old.reversed_by = now, by
        old.reversal_reason = f"Replaced by a later decision: {reason.strip()}"
        old.save(update_fields=["reversed_at", "reversed_by", "reversal_reason", "modified_at"])
    made = PairDecision.objects.create(
        left_key=left,
        right_key=right,
        decision=decision,
        reason=reason.strip(),
        decided_by=by,
        pair=pair,
        match_probability=pair.match_probability,
    )
    audit.record(
        action=Action.ALTER if earlier else Action.COLLECT,
        actor=by,
        target=made,
        object_ids=[pair.left_id, pair.right_id],
        purpose=f"linkage decision: {made.get_decision_display().lower()}",
    )
    return made


@transaction.atomic
def reverse(*, decision: PairDecision, reason: str, by: User) -> PairDecision:
    """Take a decision back (it stays on record, reversed, with why): the model decides the pair
    again in the next run."""
    if not reason.strip():
        raise DecisionRefused("Say why you are reversing the decision")
    if decision.reversed_at is not None:
        raise DecisionRefused("This decision has already been reversed")
    if not can_reverse_decision(by, decision):
        raise DecisionRefused("You cannot reverse this decision")
    decision.reversed_at, decision.reversed_by = timezone.now(), by
    decision.reversal_reason = reason.strip()
    decision.save(update_fields=["reversed_at", "reversed_by", "reversal_reason", "modified_at"])
    audit.record(
        action=Action.ALTER, actor=by, target=decision, purpose="linkage decision reversed"
    )
    return decision
