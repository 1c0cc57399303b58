"""An operation, its targets (premises and people of interest) and its results.

Results are rows: an `OperationResult` is one recording of what happened, at one premises or
for the operation as a whole, with its counts; its arrests and drug seizures are rows of their
own (an arrest has its offence, a seizure its drug, quantity and unit). A safeguarding referral
or a closure notice made through Safehold is a link to the casework record it created
(`OperationReferral`, `OperationClosureNotice`); a historic result imported from a file carries
them as counts. The totals are sums over these rows (`summary.py`, ADR 0041).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel
from safehold.operations.choices import DrugUnit, OperationKind, Phase


class Operation(BaseModel):
    """A planned multi-agency operation, led by one agency with partners taking part; visible
    (briefing included) only to users of those agencies."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OperationKind.choices)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    briefing = models.TextField(blank=True)
    ward = models.ForeignKey(
        "geography.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lsoa = models.ForeignKey(
        "geography.Lsoa", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area_description = models.CharField(max_length=200, blank=True)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.CLEAR)
    # An imported operation's key in its file: importing the same file again changes nothing.
    import_key = models.CharField(max_length=60, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owning_agency", "import_key"],
                condition=~models.Q(import_key=""),
                name="operation_import_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area(self) -> str:
        """The area in words: the description, else the LSOA's or ward's name."""
        if self.area_description:
            return self.area_description
        if self.lsoa_id:
            return f"{self.lsoa.name} ({self.lsoa_id})"
        if self.ward_id:
            return f"{self.ward.name} ({self.ward_id})"
        return ""


class OperationPartner(BaseModel):
    """An agency taking part in an operation it does not lead (so its users see the operation)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="partners")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "agency"], name="operation_partner_once")
        ]

    def __str__(self) -> str:
        return str(self.agency)


class OperationPremises(BaseModel):
    """A target premises of an operation (a Location of Safehold)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="premises")
    location = models.ForeignKey("people.Location", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "operation premises"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "location"], name="premises_once")
        ]

    def __str__(self) -> str:
        return "Premises of an operation"


class PersonOfInterest(BaseModel):
    """A person of interest to an operation; shown only to those the person's read gate allows."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="people_of_interest"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "people of interest"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "person"], name="person_of_interest_once")
        ]

    def __str__(self) -> str:
        return "Person of interest"


class OperationResult(BaseModel):
    """One recording of results, at one premises or (premises empty) for the whole operation.

    `safeguarding_referrals` and `closure_notices_served` count those made outside Safehold
    (historic files); those made through Safehold are `OperationReferral` and
    `OperationClosureNotice` rows, counted on top."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="results")
    premises = models.ForeignKey(
        OperationPremises, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    warrants_executed = models.PositiveIntegerField(default=0)
    cash_seized = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    phones_seized = models.PositiveIntegerField(default=0)
    weapons_seized = models.PositiveIntegerField(default=0)
    other_items_seized = models.PositiveIntegerField(default=0)
    other_items_description = models.CharField(max_length=500, blank=True)
    safeguarding_referrals = models.PositiveIntegerField(default=0)
    vulnerable_residents_found = models.PositiveIntegerField(default=0)
    closure_notices_served = models.PositiveIntegerField(default=0)
    closure_orders_made = models.PositiveIntegerField(default=0)
    letters_delivered = models.PositiveIntegerField(default=0)
    doors_knocked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return "Results of an operation"


class Arrest(BaseModel):
    """One arrest made during an operation, with the offence suspected."""

    result = models.ForeignKey(OperationResult, on_delete=models.CASCADE, related_name="arrests")
    offence = models.CharField(max_length=200)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.offence


class DrugSeizure(BaseModel):
    """Drugs of one type seized during an operation, with their quantity."""

    result = models.ForeignKey(
        OperationResult, on_delete=models.CASCADE, related_name="drug_seizures"
    )
    drug = models.CharField(max_length=100)
    quantity = models.DecimalField(max_digits=10, decimal_places=2)
    unit = models.CharField(max_length=10, choices=DrugUnit.choices, default=DrugUnit.GRAMS)

    class Meta:
        ordering = ["drug"]

    def __str__(self) -> str:
        return f"{self.drug}: {self.quantity} {self.get_unit_display()}"


class OperationReferral(BaseModel):
    """A safeguarding referral raised during an operation: the casework referral it created."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="referrals")
    premises = models.ForeignKey(
        OperationPremises, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.OneToOneField(
        "cases.Referral", on_delete=models.PROTECT, related_name="raised_during"
    )

    def __str__(self) -> str:
        return "Referral raised during an operation"


class OperationClosureNotice(BaseModel):
    """A closure notice served during an operation: the enforcement action it created on a case."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="closure_notices"
    )
    premises = models.ForeignKey(
        OperationPremises, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.OneToOneField(
        "cases.EnforcementAction", on_delete=models.PROTECT, related_name="served_during"
    )

    def __str__(self) -> str:
        return "Closure notice served during an operation"
