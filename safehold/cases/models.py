"""Exploitation casework: referrals, triage, cases and everything recorded on them.

One module over ~400 lines on purpose: these models are one schema read together (a case and
what is recorded on it, each model short), and Django finds an app's models here.
"""

import datetime

from django.conf import settings
from django.db import models

from safehold.cases.choices import (
    CaseStatus,
    ClosureReason,
    Consent,
    EnforcementKind,
    EnforcementStatus,
    EntryKind,
    ExploitationType,
    LinkRole,
    ReferralStatus,
    RiskLevel,
    TaskStatus,
    Urgency,
)
from safehold.core import dates
from safehold.core.locking import Versioned
from safehold.core.models import BaseModel


class Programme(BaseModel):
    """A casework programme, such as the exploitation project: who runs it and triages for it.

    The lead agency owns its cases; the triage team works its referral queue; cases closed as
    "refused to engage" go to the ASB team (a team of the lead agency).
    """

    name = models.CharField(max_length=200, unique=True)
    lead_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    triage_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    asb_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference_prefix = models.CharField(max_length=8, default="EXP")

    def __str__(self) -> str:
        return self.name


class Sign(models.Model):
    """One of the "signs to look for" on the referral form's checklist."""

    code = models.SlugField(max_length=50, primary_key=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(models.Model):
    """The last number a programme handed out for a prefix and year (EXP-2023-0042), locked
    when used. Each programme numbers on its own, so a reference says nothing about another
    agency's programme (how many referrals it has, which references it holds)."""

    programme = models.ForeignKey("cases.Programme", on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "prefix", "year"], name="one_counter_per_programme_prefix_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class ReferralSource(models.Model):
    """Where referrals come from (an agency or team), as the evaluation report counts them."""

    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Referral(BaseModel, Versioned):
    """A referral into a programme, from a partner user or anonymously from the public.

    Drafts belong to their author until sent. Holds what the referrer told us, as they told it;
    triage links it to a Person, a Location and a Case.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    # Unique within the programme (each programme numbers its own).
    # A draft has none yet, and many drafts must not collide: NULL, not "".
    reference = models.CharField(max_length=20, null=True, blank=True)  # noqa: DJ001
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    # Who referred: a signed-in partner user, or a member of the public (anonymous).
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    referrer_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    anonymous = models.BooleanField(default=False)
    contact_details = models.TextField(blank=True)
    source = models.ForeignKey(
        ReferralSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The person and place, as the referrer knows them.
    subject_known = models.BooleanField(null=True)
    subject_given_name = models.CharField(max_length=100, blank=True)
    subject_family_name = models.CharField(max_length=100, blank=True)
    subject_date_of_birth = models.DateField(null=True, blank=True)
    subject_description = models.TextField(blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    # What was seen.
    signs = models.ManyToManyField(Sign, blank=True, related_name="+")
    what_was_seen = models.TextField(blank=True)
    suspected_types = models.JSONField(default=list, blank=True)
    consent = models.CharField(max_length=20, choices=Consent.choices, blank=True)
    urgency = models.CharField(max_length=20, choices=Urgency.choices, blank=True)
    risks_to_staff = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Triage.
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    signposted_to = models.CharField(max_length=200, blank=True)
    repeat_referral = models.BooleanField(default=False)
    # A repeat referral accepted into the person's case already open (not a new case).
    added_to_case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_referrals",
    )

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [models.Index(fields=["programme", "status", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference"], name="referral_reference_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"draft {self.pk}"

    @property
    def subject_name(self) -> str:
        return f"{self.subject_given_name} {self.subject_family_name}".strip()

    @property
    def suspected_type_labels(self) -> list[str]:
        """The suspected types of exploitation by their labels, never their codes."""
        labels = dict(ExploitationType.choices)
        return [labels.get(code, code) for code in self.suspected_types]

    @property
    def days_waiting(self) -> int | None:
        if self.submitted_at is None:
            return None
        end = self.triaged_at or datetime.datetime.now(datetime.UTC)
        return (end.date() - self.submitted_at.date()).days


class Case(BaseModel, Versioned):
    """An exploitation case: one subject, one address, a lead officer, owned by one agency."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=20)  # unique within the programme
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="case"
    )
    referral_date = models.DateField(db_index=True)
    referral_source = models.ForeignKey(
        ReferralSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    location = models.ForeignKey(
        "people.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    area = models.ForeignKey(
        "geography.NeighbourhoodArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    exploitation_type = models.CharField(max_length=20, choices=ExploitationType.choices)
    other_types = models.JSONField(default=list, blank=True)
    risk_level = models.CharField(
        max_length=10, choices=RiskLevel.choices, default=RiskLevel.STANDARD
    )
    risk_rationale = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True
    )
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_notes = models.TextField(blank=True)
    tenancy_sustained = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-referral_date", "-reference"]
        indexes = [
            models.Index(fields=["owning_agency", "status", "referral_date"]),
            # Covers every column the evaluation report counts by, so its queries read this
            # index instead of the table (ADR 0012): about 6x faster on 100,000 cases.
            models.Index(
                fields=[
                    "referral_date", "programme", "owning_agency", "id", "subject",
                    "exploitation_type", "referral_source", "area", "location", "closed_on",
                    "closure_reason", "tenancy_sustained",
                ],
                name="case_report_covering_idx",
            ),
        ]  # fmt: skip
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference"], name="case_reference_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class RiskAssessment(BaseModel):
    """One entry in a case's risk history: the level, why, who decided and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_history")
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    rationale = models.TextField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case} {self.level}"


class ChronologyEntry(BaseModel):
    """Something that happened on a case: a note, visit, contact, item given, or a case event."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="chronology")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    occurred_at = models.DateTimeField()
    summary = models.TextField()
    item = models.CharField(max_length=200, blank=True, help_text="For an item given, what it was")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-created_at"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["case", "kind", "occurred_at"], name="entry_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.occurred_at:%Y-%m-%d}"


class CaseLink(BaseModel):
    """Another person linked to a case, with their role (perpetrator, associate, …)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(max_length=20, choices=LinkRole.choices)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="one_link_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.person} ({self.role})"


class InterventionType(models.Model):
    """An entry in the intervention catalogue (wrap-around support, target hardening, …)."""

    code = models.SlugField(max_length=50, primary_key=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Intervention(BaseModel):
    """Support given on a case, with its dates and the agency delivering it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    type = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["case", "type"], name="intervention_case_type_idx")]

    def __str__(self) -> str:
        return f"{self.case}: {self.type}"


class EnforcementAction(BaseModel):
    """Enforcement on a case: warnings, notices, closure orders, injunctions, arrests.

    A closure notice must reach court within 48 hours of being served; a closure order lasts up
    to 3 months from when it was made and can be extended to 6 months in all.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enforcement")
    kind = models.CharField(max_length=30, choices=EnforcementKind.choices)
    status = models.CharField(
        max_length=20, choices=EnforcementStatus.choices, default=EnforcementStatus.PLANNED
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    against = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(help_text="Issued, served, made or arrested on")
    served_at = models.DateTimeField(
        null=True, blank=True, help_text="For a closure notice: when it was served"
    )
    ends_on = models.DateField(
        null=True, blank=True, help_text="For an order or injunction: when it ends"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["case", "kind"], name="enforcement_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()}"


class EnforcementDocument(BaseModel):
    """A document held against an enforcement action (a notice, an order, a court bundle)."""

    action = models.ForeignKey(
        EnforcementAction, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(upload_to="enforcement/%Y/%m/")
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class Task(BaseModel):
    """Something to do on a case, owned by a user or by an agency, with a due date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Still to do: open, on a case that is open (a closed case's tasks are never open work)."""
        return self.status == TaskStatus.OPEN and not self.case.is_closed

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < dates.today()


class AsbHandover(BaseModel):
    """A case closed as "refused to engage", passed to the ASB team with its history."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="asb_handover")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.case} to {self.team}"
