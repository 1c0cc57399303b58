"""Reading what linkage keeps: the current run, its resolved-identity table (as the CSV of
`safehold linkage clusters` gives it), and its figures against labelled pairs."""

from dataclasses import dataclass

from django.db.models import Count

from safehold.accounts.models import Agency
from safehold.linkage.choices import Decision
from safehold.linkage.models import SAFEHOLD, PairDecision, Record, Run


def current_run() -> Run | None:
    return Run.objects.filter(is_current=True).first()


def source_names() -> dict[str, str]:
    """The engine's source (an agency's id) to the name people read: the agency's name."""
    return {SAFEHOLD: SAFEHOLD} | {
        str(pk): name for pk, name in Agency.objects.values_list("pk", "name")
    }


def cluster_rows(run: Run):
    """(source, record_id, cluster_id, match_probability) of every record of the run, the
    source as its agency's name ("safehold" for Safehold's people). The cluster id is the
    smallest key of the cluster, as the engine makes it, with its source named too."""
    names = source_names()
    for source, record_id, cluster_id, probability in (
        Record.objects.filter(run=run)
        .order_by("cluster_id", "key")
        .values_list("source", "record_id", "cluster_id", "match_probability")
        .iterator(chunk_size=5000)
    ):
        cluster_source, _, cluster_record = cluster_id.partition("/")
        yield (
            names.get(source, source),
            record_id,
            f"{names.get(cluster_source, cluster_source)}/{cluster_record}",
            probability,
        )


@dataclass
class Evaluation:
    labelled_pairs: int
    true_positives: int
    false_positives: int
    false_negatives: int
    unknown_records: int  # labelled pairs naming a record the run does not have

    @property
    def precision(self) -> float | None:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        true = self.true_positives + self.false_negatives
        return self.true_positives / true if true else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else None


def evaluate(run: Run, labels: list[tuple[str, str, bool]]) -> Evaluation:
    """Pairwise precision, recall and F1 of the run's clusters against labelled pairs of keys
    ("<source>/<record_id>", source "safehold" or an agency's id): a pair in one cluster is a
    link found; a labelled pair is a true link or not."""
    cluster = dict(Record.objects.filter(run=run).values_list("key", "cluster_id"))
    tp = fp = fn = unknown = 0
    for left, right, is_match in labels:
        if left not in cluster or right not in cluster:
            unknown += 1
            continue
        together = cluster[left] == cluster[right]
        if together and is_match:
            tp += 1
        elif together:
            fp += 1
        elif is_match:
            fn += 1
    return Evaluation(len(labels), tp, fp, fn, unknown)


def decisions_as_labels() -> list[tuple[str, str, bool]]:
    """The reviewers' decisions in force, as labels ("not sure" is no label)."""
    return [
        (left, right, decision == Decision.SAME)
        for left, right, decision in PairDecision.objects.filter(
            reversed_at__isnull=True, decision__in=(Decision.SAME, Decision.DIFFERENT)
        ).values_list("left_key", "right_key", "decision")
    ]


def key_for(source_name: str, record_id: str) -> str:
    """The key of a record named as the clusters CSV names it (source by agency name)."""
    if source_name == SAFEHOLD:
        return f"{SAFEHOLD}/{record_id}"
    agency = Agency.objects.filter(name=source_name).values_list("pk", flat=True).first()
    if agency is None:
        raise LookupError(f"There is no agency called {source_name}")
    return f"{agency}/{record_id}"


def joined_people() -> dict:
    """Safehold person id -> identity (the cluster id of the current run), for the people the
    current run holds to be one person with another Safehold person: core's identity resolver,
    which the repeat-referral figures read. One query."""
    rows = Record.objects.filter(
        run__is_current=True,
        person__isnull=False,
        cluster_id__in=Record.objects.filter(run__is_current=True, person__isnull=False)
        .values("cluster_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("cluster_id"),
    ).values_list("person_id", "cluster_id")
    return {person: f"linkage:{cluster}" for person, cluster in rows}
