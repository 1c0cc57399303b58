"""The network's records (ADR 0050): POLE objects and events, typed and sourced links between
any two entities, and organised crime group profiles with their members, premises, threat
assessments, 4P plan and history. People and places are the existing `people.Person` and
`people.Location`; a link names each end by its kind and id, as `graph` does."""

from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel
from safehold.networks.choices import (
    ActionStatus,
    Activity,
    EndKind,
    EventKind,
    FourP,
    Level,
    LinkType,
    MemberRole,
    ObjectKind,
    OcgStatus,
    ThreatBand,
)


class NetworkObject(BaseModel):
    """A phone, vehicle, bank account, social-media handle or weapon: one row per real object
    across the partnership (entity resolution by `normalised`), so two agencies recording the
    same phone hold one phone. Which agencies know it is `ObjectHolder`; the first is its
    `owning_agency`."""

    kind = models.CharField(max_length=20, choices=ObjectKind.choices)
    value = models.CharField(max_length=200, help_text="As first recorded")
    normalised = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=300, blank=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "normalised", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "normalised"],
                condition=~models.Q(normalised=""),
                name="network_object_resolved_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    @property
    def entity_id(self) -> str:
        return f"object:{self.pk}"


class ObjectHolder(BaseModel):
    """An agency that has recorded an object (the read gate shows an object to the agencies that
    know it, and to their intelligence-sharing partners)."""

    object = models.ForeignKey(NetworkObject, on_delete=models.CASCADE, related_name="holders")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object", "agency"], name="object_holder_once")
        ]

    def __str__(self) -> str:
        return "Agency holding an object"


class NetworkEvent(BaseModel):
    """An incident, operation, seizure or intelligence report, as a node of the network."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    date = models.DateField()
    summary = models.CharField(max_length=300)
    location = models.ForeignKey(
        "people.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=60, blank=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "summary"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%d %B %Y}"


_END_KINDS = [k for k, _ in EndKind.choices]


class NetworkLink(BaseModel):
    """A typed, dated link between any two entities, with where it came from: the case, or the
    intelligence or case reference (`source_reference`), and its grading (e.g. "B2P")."""

    end_a_kind = models.CharField(max_length=10, choices=EndKind.choices)
    end_a_id = models.UUIDField()
    end_b_kind = models.CharField(max_length=10, choices=EndKind.choices)
    end_b_id = models.UUIDField()
    type = models.CharField(max_length=20, choices=LinkType.choices)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The graded intelligence the link came from (its reference is `source_reference` too, which
    # stays when the intelligence is deleted at its review).
    intelligence = models.ForeignKey(
        "intelligence.Intelligence", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    source_reference = models.CharField(max_length=60, blank=True)
    grading = models.CharField(max_length=10, blank=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date_from", "created_at"]
        indexes = [
            models.Index(fields=["end_a_kind", "end_a_id"], name="network_link_end_a"),
            models.Index(fields=["end_b_kind", "end_b_id"], name="network_link_end_b"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_a_kind__in=_END_KINDS)
                & models.Q(end_b_kind__in=_END_KINDS)
                & ~models.Q(end_a_kind=models.F("end_b_kind"), end_a_id=models.F("end_b_id")),
                name="network_link_ends_are_two_entities",
            ),
            models.CheckConstraint(
                condition=models.Q(date_to__isnull=True)
                | models.Q(date_from__isnull=True)
                | models.Q(date_to__gte=models.F("date_from")),
                name="network_link_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.get_type_display()

    @property
    def end_a(self) -> str:
        return f"{self.end_a_kind}:{self.end_a_id}"

    @property
    def end_b(self) -> str:
        return f"{self.end_b_kind}:{self.end_b_id}"


class OrganisedCrimeGroup(BaseModel):
    """An organised crime group's profile: what it does and where; its members, premises,
    threat assessments, 4P plan and history are rows of their own."""

    name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=OcgStatus.choices, default=OcgStatus.ACTIVE)
    activities = models.JSONField(default=list, help_text="Values of choices.Activity")
    areas = models.JSONField(default=list, help_text="ONS ward or LSOA codes")
    description = models.TextField(blank=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = "organised crime group"
        constraints = [
            models.UniqueConstraint(fields=["owning_agency", "name"], name="ocg_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def activity_labels(self) -> list[str]:
        labels = dict(Activity.choices)
        return [labels.get(a, a) for a in self.activities]


class OCGMember(BaseModel):
    """A person's membership of a group, in a role, from and (when it ended) to a date."""

    ocg = models.ForeignKey(OrganisedCrimeGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=MemberRole.choices)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)

    class Meta:
        # Current members first (no end date), then by when they left.
        ordering = [models.F("date_to").desc(nulls_first=True), "role", "created_at"]
        verbose_name = "OCG member"

    def __str__(self) -> str:
        return f"Member ({self.get_role_display()})"

    @property
    def current(self) -> bool:
        return self.date_to is None


class OCGPremises(BaseModel):
    """A place linked to a group (a cuckooed address, a cultivation site), and why."""

    ocg = models.ForeignKey(OrganisedCrimeGroup, on_delete=models.CASCADE, related_name="premises")
    location = models.ForeignKey("people.Location", on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=300)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "OCG premises"
        verbose_name_plural = "OCG premises"
        constraints = [
            models.UniqueConstraint(fields=["ocg", "location"], name="ocg_premises_once")
        ]

    def __str__(self) -> str:
        return "Premises of a group"


class ThreatAssessment(BaseModel):
    """One assessment of a group's threat: harm, capability and intent, each low, medium or high
    with its reason, and the band the documented rule gives (`threat.band`); a new row each time,
    the latest shown."""

    ocg = models.ForeignKey(
        OrganisedCrimeGroup, on_delete=models.CASCADE, related_name="assessments"
    )
    harm = models.PositiveSmallIntegerField(choices=Level.choices)
    harm_reason = models.TextField()
    capability = models.PositiveSmallIntegerField(choices=Level.choices)
    capability_reason = models.TextField()
    intent = models.PositiveSmallIntegerField(choices=Level.choices)
    intent_reason = models.TextField()
    band = models.CharField(max_length=10, choices=ThreatBand.choices)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"Threat assessment ({self.get_band_display()})"


class FourPAction(BaseModel):
    """An action of the group's 4P plan (pursue, prevent, protect, prepare), owned by a user or
    an agency, with a due date."""

    ocg = models.ForeignKey(OrganisedCrimeGroup, on_delete=models.CASCADE, related_name="actions")
    strand = models.CharField(max_length=10, choices=FourP.choices)
    description = models.CharField(max_length=500)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "created_at"]
        verbose_name = "4P action"

    def __str__(self) -> str:
        return f"{self.get_strand_display()} action"


class OCGChange(BaseModel):
    """One change to a group's profile, written by the service that made it: who, when, what (in
    words naming the fields and rows changed, never a person's details)."""

    ocg = models.ForeignKey(OrganisedCrimeGroup, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()
    what = models.CharField(max_length=300)

    class Meta:
        ordering = ["-changed_at", "-created_at"]
        verbose_name = "OCG change"

    def __str__(self) -> str:
        return self.what
