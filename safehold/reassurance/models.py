from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel
from safehold.reassurance.choices import BatchKind, VisitOutcome


class LetterTemplate(BaseModel):
    """A reassurance letter an agency sends; its text lives in numbered versions, so a printed
    batch names the exact words it printed."""

    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owning_agency", "name"], name="letter_template_name")
        ]

    def __str__(self) -> str:
        return self.name


class LetterTemplateVersion(BaseModel):
    """One saved text of a template: never changed once saved (an edit saves the next one)."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="letter_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.template.name}, version {self.number}"


class PropertyList(BaseModel):
    """A partner's list of properties (a landlord's stock file): addresses and where they are,
    no people. Imported whole by its agency; every agency of the partnership plans with it."""

    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owning_agency", "name"], name="property_list_name")
        ]

    def __str__(self) -> str:
        return self.name


class Property(BaseModel):
    """One property of a list, by its UPRN, with British National Grid and WGS84 coordinates."""

    property_list = models.ForeignKey(
        PropertyList, on_delete=models.CASCADE, related_name="properties"
    )
    uprn = models.CharField("UPRN", max_length=12)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8)
    easting = models.PositiveIntegerField()
    northing = models.PositiveIntegerField()
    latitude = models.DecimalField(max_digits=8, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["postcode", "address_line_1"]
        constraints = [
            models.UniqueConstraint(fields=["property_list", "uprn"], name="property_uprn")
        ]
        indexes = [models.Index(fields=["easting", "northing"])]

    def __str__(self) -> str:
        return self.one_line

    @property
    def one_line(self) -> str:
        parts = (self.address_line_1, self.address_line_2, self.town, self.postcode)
        return ", ".join(p for p in parts if p)


class Batch(BaseModel):
    """Letters printed, or leaflets to drop, for the addresses around a premises: anchored on
    the premises (a place) and a purpose; `context` is free for what planned it (an operation)."""

    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=BatchKind.choices)
    premises = models.ForeignKey("people.Location", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=200)
    context = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    template_version = models.ForeignKey(
        LetterTemplateVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer_name = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["owning_agency", "reference"], name="batch_reference")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class LetterDelivery(BaseModel):
    """One address of a batch: its letter (or leaflet), where it is on the walking list, and
    whether it was delivered. The address is kept as printed."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="deliveries")
    location = models.ForeignKey(
        "people.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    property = models.ForeignKey(
        Property, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(max_length=400)
    postcode = models.CharField(max_length=8, blank=True)
    street = models.CharField(max_length=200, blank=True)
    house_number = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField()  # on the walking list: by street, then number
    distance_m = models.PositiveIntegerField()
    letter_reference = models.CharField(max_length=30)
    delivered_on = models.DateField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="delivery_position"),
            models.CheckConstraint(
                condition=models.Q(location__isnull=True) | models.Q(property__isnull=True),
                name="delivery_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.letter_reference


class DoorVisit(BaseModel):
    """A knock on one address of a batch and what came of it; a possible unknown victim may
    raise a referral into triage, linked here."""

    delivery = models.ForeignKey(LetterDelivery, on_delete=models.CASCADE, related_name="visits")
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=VisitOutcome.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.OneToOneField(
        "cases.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="door_visit",
    )

    class Meta:
        ordering = ["-visited_on", "-created_at"]

    def __str__(self) -> str:
        return f"Visit on {self.visited_on:%d %B %Y}"
