"""POLE basics: people and locations, each owned by one agency."""

from django.db import models

from safehold.core.locking import Versioned
from safehold.core.models import BaseModel
from safehold.people.choices import Gender, Tenure


class Vulnerability(models.Model):
    """An entry in the vulnerability catalogue (substance misuse, learning disability, …)."""

    code = models.SlugField(max_length=50, primary_key=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "vulnerabilities"

    def __str__(self) -> str:
        return self.name


class Person(BaseModel, Versioned):
    """Somebody the partnership holds a record about. Special-category data: read through
    `people_visible_to(user)` and audit every consultation."""

    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    vulnerabilities = models.ManyToManyField(Vulnerability, blank=True, related_name="+")
    # Restricted fields: shown, exported and written only as safehold/people/restrictions.py
    # allows (police intelligence to police users, health details to health and adult social
    # care), whoever else can see the person.
    police_intelligence = models.TextField(blank=True)
    health_details = models.TextField(blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["owning_agency", "family_name", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class PersonAlias(BaseModel):
    """Another name a person is known by (maiden name, nickname, street name)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="alias_unique_per_person")
        ]

    def __str__(self) -> str:
        return self.name


class Location(BaseModel):
    """An address: where a person lives, a premises of concern, a place incidents happen."""

    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    uprn = models.CharField("UPRN", max_length=12, blank=True)
    ward = models.ForeignKey(
        "geography.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lsoa = models.ForeignKey(
        "geography.Lsoa", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    tenure = models.CharField(max_length=20, choices=Tenure.choices, default=Tenure.OTHER)
    landlord = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["postcode", "address_line_1"]

    def __str__(self) -> str:
        return self.one_line

    @property
    def one_line(self) -> str:
        return ", ".join(
            p for p in (self.address_line_1, self.address_line_2, self.town, self.postcode) if p
        )
