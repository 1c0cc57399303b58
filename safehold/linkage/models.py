"""What linkage keeps (issue 17, ADR 0055): each run, the resolved-identity table it made over
the records (never a merge: a record keeps its own row, its agency and its id, and gains a
cluster), the scored pairs with their explanation, and people's decisions, which outlive runs
and override the model in every later one.

No name, date of birth or address is stored here: a record is named by where it lives (a
Safehold person, or a row of a partner extract) and read through that record's own gate."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core.models import BaseModel
from safehold.linkage.choices import Decision, Outcome, RunStatus

SAFEHOLD = "safehold"  # the source of Safehold's own people (an extract's is its agency's name)


class Run(BaseModel):
    """One linkage run over Safehold's people and every live people extract."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    engine = models.CharField(max_length=10, default="duckdb")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    threshold = models.FloatField()
    review_floor = models.FloatField()
    # The trained model (Splink's settings with m and u, its version and training date).
    model = models.JSONField(default=dict)
    extracts = models.ManyToManyField("partners.Extract", blank=True, related_name="+")
    # The extracts read, as every reader of the run may know them (the Extract rows are their
    # agencies' own under row-level security): [{"extract", "agency", "agency_name", "kind"}].
    sources = models.JSONField(default=list)
    record_count = models.PositiveIntegerField(default=0)
    pair_count = models.PositiveIntegerField(default=0)
    linked_pair_count = models.PositiveIntegerField(default=0)
    review_pair_count = models.PositiveIntegerField(default=0)
    cluster_count = models.PositiveIntegerField(default=0)
    # The latest finished run: the one pages and the front door read.
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="linkage_one_current_run"
            )
        ]

    def __str__(self) -> str:
        return f"Linkage run of {self.created_at:%d %B %Y %H:%M}"


class Record(models.Model):
    """One record in one run's resolved-identity table: which person it is (`cluster_id`: the
    smallest key in its cluster) and how sure the model was of its strongest accepted link."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="records")
    key = models.CharField(max_length=300)  # "<source>:<record_id>", stable across runs
    source = models.CharField(max_length=200)  # "safehold" or the extract's agency's name
    record_id = models.CharField(max_length=200)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    extract = models.ForeignKey(
        "partners.Extract", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cluster_id = models.CharField(max_length=300)
    match_probability = models.FloatField(null=True, blank=True)
    # For an extract's row, what the front door needs without reading the extract (which
    # row-level security hides from other agencies): its kind and the agreement it was shared
    # under.
    extract_kind = models.CharField(max_length=20, blank=True)
    agreement = models.ForeignKey(
        "sharing.InformationSharingAgreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["run", "key"]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="linkage_record_once_a_run"),
            models.CheckConstraint(
                condition=Q(person__isnull=False, extract__isnull=True)
                | Q(person__isnull=True, extract__isnull=False),
                name="linkage_record_person_or_extract",
            ),
        ]
        indexes = [
            models.Index(fields=["run", "cluster_id"]),
            models.Index(fields=["run", "person"]),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def is_safehold(self) -> bool:
        return self.person_id is not None


class Pair(models.Model):
    """A scored pair of one run, above the review floor: the model's outcome and, for people
    to read, each comparison's level and match weight (the waterfall)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="pairs")
    left = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # [{"comparison": "first_name", "label": "Exact match", "weight": 7.3}, …] in model order,
    # and the prior as the first entry ({"comparison": "prior", …}).
    explanation = models.JSONField(default=list)

    class Meta:
        ordering = ["run", "-match_probability"]
        constraints = [
            models.UniqueConstraint(fields=["run", "left", "right"], name="linkage_pair_once")
        ]
        indexes = [models.Index(fields=["run", "outcome"])]

    def __str__(self) -> str:
        return f"{self.left_id} and {self.right_id}: {self.match_probability:.3f}"


class PairDecision(BaseModel):
    """A person's decision on two records, by their keys (so it outlives the run that offered
    it), with a reason. Reversible: a reversed decision stays, with who reversed it and why; at
    most one decision on a pair is in force."""

    left_key = models.CharField(max_length=300)  # the smaller key
    right_key = models.CharField(max_length=300)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The pair as the reviewer saw it (its run's probability), for the record.
    pair = models.ForeignKey(
        Pair, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    match_probability = models.FloatField(null=True, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reversal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_key__lt=models.F("right_key")),
                name="linkage_decision_keys_ordered",
            ),
            models.UniqueConstraint(
                fields=["left_key", "right_key"],
                condition=Q(reversed_at__isnull=True),
                name="linkage_one_decision_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_key} and {self.right_key}: {self.get_decision_display()}"

    @property
    def in_force(self) -> bool:
        return self.reversed_at is None
