"""A linkage run over Safehold's people and the partners' people extracts: every record gets a
row in the resolved-identity table (no merge), known duplicates join across agencies, a parent
and child stay apart, people's decisions override the model in the next run and can be
reversed, and the commands write the clusters and score them (issue 17, items 2 and 3)."""

import csv
import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.linkage import selectors, services
from safehold.linkage.choices import Decision, Outcome
from safehold.linkage.management.commands.linkage import Command as LinkageCommand
from safehold.linkage.models import Pair, PairDecision, Record, Run
from safehold.linkage.tests.partnership import make_partnership
from safehold.people.models import Person


@pytest.fixture
def partnership(db):
    return make_partnership()


def clusters(run) -> dict[str, str]:
    return dict(Record.objects.filter(run=run).values_list("key", "cluster_id"))


def true_pairs(truth: dict) -> set[tuple[str, str]]:
    people = defaultdict(list)
    for key, person in truth.items():
        people[person].append(key)
    return {tuple(sorted((a, b))) for keys in people.values() for a in keys for b in keys if a < b}


def test_a_run_keeps_every_record_and_joins_known_duplicates_across_agencies(partnership):
    run = services.run_linkage(by=partnership.users["council_ig_officer"])
    cluster = clusters(run)
    # Every record is there, under its own key: Safehold's people and both extracts' rows.
    assert set(cluster) == set(partnership.truth)
    assert Person.objects.count() == len(partnership.people)  # nothing merged or removed
    run.refresh_from_db()
    assert run.is_current and run.record_count == len(partnership.truth)
    true = true_pairs(partnership.truth)
    found = {pair for pair in true if cluster[pair[0]] == cluster[pair[1]]}
    together = {
        tuple(sorted((a, b)))
        for a in cluster
        for b in cluster
        if a < b and cluster[a] == cluster[b]
    }
    assert len(true) > 100
    assert len(found) / len(true) > 0.9  # recall
    assert len(together & true) / len(together) > 0.97  # precision
    # Across agencies: some cluster holds a Safehold person and a police record.
    sources = defaultdict(set)
    for key, c in cluster.items():
        sources[c].add(key.split("/")[0])
    assert any("safehold" in s and str(partnership.police.pk) in s for s in sources.values())
    event = AuditEvent.objects.get(action=Action.COMBINE)
    assert str(run.pk) in event.object_ids


def test_a_parent_and_child_of_one_name_stay_two_people(partnership):
    run = services.run_linkage(by=None)
    cluster = clusters(run)
    traps = defaultdict(dict)
    for key, person in partnership.truth.items():
        if person.endswith(("-parent", "-child")):
            traps[person.rsplit("-", 1)[0]][person.rsplit("-", 1)[1]] = key
    assert traps  # the set has household traps
    for pair in traps.values():
        assert cluster[pair["parent"]] != cluster[pair["child"]]


def test_decisions_override_the_model_in_the_next_run_and_can_be_reversed(partnership):
    reviewer = partnership.users["police_ig_officer"]
    first = services.run_linkage(by=reviewer)
    police = str(partnership.police.pk)
    linked = (
        (
            Pair.objects.filter(run=first, outcome=Outcome.LINKED, left__agency=partnership.police)
            | Pair.objects.filter(
                run=first, outcome=Outcome.LINKED, right__agency=partnership.police
            )
        )
        .select_related("left", "right")
        .first()
    )
    assert linked is not None
    services.decide(
        pair=linked, decision=Decision.DIFFERENT, reason="Different NI numbers", by=reviewer
    )
    second = services.run_linkage(by=reviewer)
    cluster = clusters(second)
    assert cluster[linked.left.key] != cluster[linked.right.key]  # never re-linked
    (decision,) = PairDecision.objects.all()
    services.reverse(decision=decision, reason="The NI number was mistyped", by=reviewer)
    third = services.run_linkage(by=reviewer)
    cluster = clusters(third)
    assert cluster[linked.left.key] == cluster[linked.right.key]  # the model decides again
    decision.refresh_from_db()
    assert decision.reversed_at and decision.reversed_by == reviewer  # kept, reversed
    assert police in (linked.left.key.split("/")[0], linked.right.key.split("/")[0])
    assert list(Run.objects.filter(is_current=True)) == [third]


def test_a_pair_decided_the_same_is_joined_even_below_the_threshold(partnership):
    reviewer = partnership.users["landlord_ig_officer"]
    first = services.run_linkage(by=reviewer)
    cluster = clusters(first)
    apart = next(
        pair
        for pair in Pair.objects.filter(run=first).select_related("left", "right")
        if cluster[pair.left.key] != cluster[pair.right.key]
        and partnership.landlord.pk in (pair.left.agency_id, pair.right.agency_id)
    )
    services.decide(pair=apart, decision=Decision.SAME, reason="Same tenancy", by=reviewer)
    cluster = clusters(services.run_linkage(by=reviewer))
    assert cluster[apart.left.key] == cluster[apart.right.key]


def test_a_decision_needs_a_reason_and_a_reviewer_whose_agency_holds_one_record(partnership):
    run = services.run_linkage(by=None)
    pair = (
        Pair.objects.filter(run=run)
        .exclude(left__agency=partnership.landlord)
        .exclude(right__agency=partnership.landlord)
        .select_related("left", "right")
        .first()
    )
    with pytest.raises(services.DecisionRefused, match="Say why"):
        services.decide(
            pair=pair, decision=Decision.SAME, reason=" ", by=partnership.users["police_ig_officer"]
        )
    with pytest.raises(services.DecisionRefused, match="cannot decide"):
        services.decide(
            pair=pair,
            decision=Decision.SAME,
            reason="x",
            by=partnership.users["landlord_ig_officer"],
        )
    # Positive control: the police's own reviewer may (the pair holds a police or council record).
    owner = (
        "police"
        if partnership.police.pk in (pair.left.agency_id, pair.right.agency_id)
        else "council"
    )
    services.decide(
        pair=pair, decision=Decision.SAME, reason="x", by=partnership.users[f"{owner}_ig_officer"]
    )
    assert PairDecision.objects.count() == 1


def test_every_pair_explains_its_match_weight(partnership):
    run = services.run_linkage(by=None)
    labels = {
        c["output_column_name"]: {lv["label_for_charts"] for lv in c["comparison_levels"]}
        for c in run.model["settings"]["comparisons"]
    }
    pairs = list(Pair.objects.filter(run=run)[:200])
    assert len(pairs) > 50
    for pair in pairs:
        total = sum(part["weight"] for part in pair.explanation)
        assert total == pytest.approx(pair.match_weight, abs=0.01)
        assert pair.explanation[0]["comparison"] == "prior"
        parts = {p["comparison"]: p for p in pair.explanation}
        assert set(parts) >= {"first_name", "surname", "date_of_birth", "home"}
        for name, part in parts.items():
            if name in labels:  # each comparison's part is one of its own levels
                assert part["label"] in labels[name], (name, part)
        # Only the names' frequencies are left over, and only when a name agreed exactly.
        if "frequency" in parts:
            assert "Exact" in (parts["first_name"]["label"], parts["surname"]["label"])
    # A pair the model links is explained by agreements: its names or date of birth count for.
    linked = [p for p in pairs if p.outcome == Outcome.LINKED]
    assert linked and all(
        sum(part["weight"] > 0 for part in p.explanation[1:]) >= 2 for p in linked
    )


def test_the_clusters_command_writes_the_resolved_identity_table_and_evaluate_scores_it(
    partnership, tmp_path
):
    call_command("linkage", "run")
    output = tmp_path / "clusters.csv"
    call_command("linkage", "clusters", "--format", "csv", "--output", str(output))
    rows = list(csv.DictReader(output.open()))
    assert list(rows[0]) == ["source", "record_id", "cluster_id", "match_probability"]
    assert len(rows) == len(partnership.truth)
    assert {r["source"] for r in rows} == {
        "safehold",
        "Stockport Homes",
        "Greater Manchester Police",
    }
    # Labels from the truth: every true pair, and as many pairs of strangers.
    names = {
        str(partnership.landlord.pk): "Stockport Homes",
        str(partnership.police.pk): "Greater Manchester Police",
        "safehold": "safehold",
    }
    true = sorted(true_pairs(partnership.truth))
    keys = sorted(partnership.truth)
    strangers = [
        (a, b)
        for a, b in zip(keys, keys[7:], strict=False)
        if partnership.truth[a] != partnership.truth[b]
    ][: len(true)]
    labels = tmp_path / "labels.csv"
    with labels.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["source_l", "record_id_l", "source_r", "record_id_r", "is_match"])
        for pairs, value in ((true, "1"), (strangers, "0")):
            for a, b in pairs:
                (sa, ra), (sb, rb) = a.split("/", 1), b.split("/", 1)
                writer.writerow([names[sa], ra, names[sb], rb, value])
    report = io.StringIO()
    call_command("linkage", "evaluate", "--labels", str(labels), stdout=report)
    text = report.getvalue()
    assert f"Labelled pairs: {len(true) + len(strangers)} (0 name a record" in text
    result = selectors.evaluate(
        selectors.current_run(),
        [(a, b, True) for a, b in true] + [(a, b, False) for a, b in strangers],
    )
    assert result.f1 > 0.9
    assert f"F1 {result.f1:.4f}" in text


def test_a_labels_file_with_a_short_row_or_not_in_utf8_is_refused_with_its_row(db, tmp_path):
    """Found by the importers' fuzzing (ADR 0064): a short row raised IndexError and a file
    not in UTF-8 ended the command with ImportInvalid's traceback."""
    labels = tmp_path / "labels.csv"
    labels.write_text("source_l,record_id_l,source_r,record_id_r,is_match\nStockport Homes,1\n")
    with pytest.raises(CommandError, match="row 2, is_match: '' is not 1/0"):
        LinkageCommand()._labels(labels)
    labels.write_bytes("source_l,record_id_l,source_r,record_id_r,is_match\n".encode("utf-16"))
    with pytest.raises(CommandError, match="not UTF-8 text"):
        LinkageCommand()._labels(labels)
