"""Information sharing agreements, disclosures made under them, and requests for access."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core import dates
from safehold.core.models import BaseModel
from safehold.sharing.choices import AccessRequestStatus, AgreementStatus, DisclosureLevel


def live_agreement_q(today: datetime.date, prefix: str = "") -> Q:
    """Agreements in force on a day: started, and not ended (review dates do not end them)."""
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


class InformationSharingAgreement(BaseModel):
    """An information sharing agreement between partner agencies, with its legal basis.

    The UK GDPR Art 30 / DPA 2018 s.61 record of processing is generated from these.
    """

    title = models.CharField(max_length=200)
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=200)
    legal_gateway = models.CharField(max_length=200)
    special_category_condition = models.CharField(max_length=200, blank=True)
    data_categories = models.JSONField(default=list)
    parties = models.ManyToManyField("accounts.Agency", related_name="agreements")
    start_date = models.DateField()
    review_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    signed_document = models.FileField(upload_to="agreements/", blank=True)
    managed_by = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def status_on(self, day: datetime.date | None = None) -> str:
        day = day or dates.today()
        if self.start_date > day:
            return AgreementStatus.NOT_STARTED
        if self.end_date and self.end_date < day:
            return AgreementStatus.LAPSED
        if self.review_date < day:
            return AgreementStatus.DUE_FOR_REVIEW
        return AgreementStatus.LIVE

    @property
    def status(self) -> str:
        return self.status_on()

    def is_live(self, day: datetime.date | None = None) -> bool:
        return self.status_on(day) in (AgreementStatus.LIVE, AgreementStatus.DUE_FOR_REVIEW)


class Signatory(BaseModel):
    """Who signed an agreement for a party agency, and when."""

    agreement = models.ForeignKey(
        InformationSharingAgreement, on_delete=models.CASCADE, related_name="signatories"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    signed_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.name}, {self.agency}"


class DisclosureQuerySet(models.QuerySet):
    def live(self, today: datetime.date | None = None):
        """Disclosures that give access today: not revoked, not expired, agreement in force."""
        today = today or dates.today()
        return self.filter(
            live_agreement_q(today, "agreement__"),
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            revoked_at__isnull=True,
        )


class Disclosure(BaseModel):
    """A case or person shared by its owning agency with another, under a live agreement."""

    agreement = models.ForeignKey(
        InformationSharingAgreement, on_delete=models.PROTECT, related_name="disclosures"
    )
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="disclosures"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="disclosures"
    )
    level = models.CharField(max_length=20, choices=DisclosureLevel.choices)
    purpose = models.TextField()
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, person__isnull=True)
                | Q(case__isnull=True, person__isnull=False),
                name="disclosure_of_a_case_or_a_person",
            )
        ]
        indexes = [models.Index(fields=["to_agency", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.case or self.person} to {self.to_agency} ({self.level})"

    @property
    def record(self):
        return self.case or self.person


class AccessRequest(BaseModel):
    """A request from another agency for full access to a record it found by name only."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requesting_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Or a record outside cases and people, found by name and agency only (linkage's matches:
    # a row of a partner's extract): its key, as the app that found it names it, and a label
    # the holding agency recognises ("people extract, record H-1").
    record_key = models.CharField(max_length=300, blank=True)
    record_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    disclosure = models.ForeignKey(
        Disclosure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Access request from {self.requesting_agency}"
