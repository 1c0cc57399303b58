"""Reading what linkage keeps: the current run, its resolved-identity table (as the CSV of
`safehold linkage clusters` gives it), and its figures against labelled pairs."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from safehold.accounts.models import Agency, User
from safehold.linkage.choices import Decision, Outcome
from safehold.linkage.models import SAFEHOLD, Pair, PairDecision, Record, Run
from safehold.linkage.rules import can_see_linkage
from safehold.partners.selectors import extract_record, extracts_visible_to
from safehold.people.models import Person
from safehold.people.selectors import people_visible_to


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


# --- The review pages' gates (issue 17, item 3) ----------------------------------------------


def _involving(agency_id) -> Q:
    return Q(left__agency=agency_id) | Q(right__agency=agency_id)


def pairs_visible_to(user: User) -> QuerySet[Pair]:
    """Pairs (of any run) one of whose records is the user's agency's, for the roles that see
    linkage; none otherwise. What a page then shows of each record goes through its own gate
    (`sides`)."""
    if not can_see_linkage(user) or user.agency_id is None:
        return Pair.objects.none()
    return Pair.objects.filter(_involving(user.agency_id))


def decided(left_key, right_key) -> Exists:
    """Whether a decision is in force on the two records (by key, either way round)."""
    return Exists(
        PairDecision.objects.filter(reversed_at__isnull=True).filter(
            Q(left_key=left_key, right_key=right_key) | Q(left_key=right_key, right_key=left_key)
        )
    )


def review_queue(user: User, run: Run | None) -> QuerySet[Pair]:
    """The run's pairs people must look at (for review, or above the threshold but kept apart)
    that involve the user's agency and have no decision in force, strongest first: one query,
    whatever the number of pairs."""
    if run is None:
        return Pair.objects.none()
    return (
        pairs_visible_to(user)
        .filter(run=run, outcome__in=(Outcome.REVIEW, Outcome.APART))
        .exclude(decided(OuterRef("left__key"), OuterRef("right__key")))
        .select_related(*SIDES)
        .order_by("-match_probability", "pk")
    )


SIDES = ("left__agency", "right__agency")


def decisions_visible_to(user: User) -> QuerySet[PairDecision]:
    """Decisions (in force and reversed) on pairs one of whose records is the user's agency's,
    for the roles that see linkage."""
    if not can_see_linkage(user) or user.agency_id is None:
        return PairDecision.objects.none()
    return PairDecision.objects.filter(
        Q(pair__left__agency=user.agency_id) | Q(pair__right__agency=user.agency_id)
    )


def decisions_on(pair: Pair) -> QuerySet[PairDecision]:
    """Every decision on the pair's two records (from any run), newest first."""
    left, right = sorted((pair.left.key, pair.right.key))
    return (
        PairDecision.objects.filter(left_key=left, right_key=right)
        .select_related("decided_by", "decided_by__agency", "reversed_by")
        .order_by("-created_at")
    )


@dataclass
class Side:
    """One record of a pair as the user may see it: `values` (label, value) rows when they
    may, else only whose it is (`holder`, `kind`)."""

    record: Record
    holder: str
    kind: str  # "Safehold person" or "<kind> extract"
    values: list[tuple[str, str]] | None = None
    person: Person | None = None

    @property
    def shown(self) -> bool:
        return self.values is not None


PERSON_FIELDS = (
    ("First name", "first_name"),
    ("Surname", "surname"),
    ("Other names", "other_names"),
    ("Date of birth", "date_of_birth"),
    ("Sex", "sex"),
    ("Postcode", "postcode"),
    ("Address", "address"),
    ("UPRN", "uprn"),
)


def sides(user: User, pair: Pair, *, purpose: str) -> list[Side]:
    """The pair's two records as far as the user may see them: a Safehold person in full only
    where people_visible_to(user) holds it (the page's consult event names it); an extract's
    row only where the user's agency owns the extract, read through partners' gate (which
    records its own consult event); otherwise who holds it and what kind of record it is."""
    person_ids = [r.person_id for r in (pair.left, pair.right) if r.person_id]
    visible = {
        p.pk: p
        for p in people_visible_to(user).filter(pk__in=person_ids).prefetch_related("aliases")
    }
    out = []
    for record in (pair.left, pair.right):
        if record.person_id:
            side = Side(record, record.agency.name, "Safehold person")
            person = visible.get(record.person_id)
            if person is not None:
                side.person = person
                side.values = _person_values(person)
        else:
            # Linkage reads people extracts only. The extract's own row may be hidden from this
            # user by row-level security (PostgreSQL): the gate below decides, by its id.
            side = Side(record, record.agency.name, "People extract")
            extract = extracts_visible_to(user).filter(pk=record.extract_id).first()
            if extract is not None:
                row = extract_record(
                    extract=extract, user=user, record_id=record.record_id, purpose=purpose
                )
                side.values = [("Record ID", record.record_id)] + [
                    (label, "" if (row or {}).get(column) is None else str(row[column]))
                    for label, column in PERSON_FIELDS
                ]
        out.append(side)
    return out


def _person_values(person: Person) -> list[tuple[str, str]]:
    aliases = ", ".join(a.name for a in person.aliases.all())
    born = person.date_of_birth
    return [
        ("First name", person.given_name),
        ("Surname", person.family_name),
        ("Other names", aliases),
        ("Date of birth", f"{born.day} {born:%B %Y}" if born else ""),
        ("Sex", person.get_gender_display()),
    ]
