"""Partner data extracts: the record of each uploaded file. The rows themselves are Parquet in
the analytics store (safehold.partners.store), never PostgreSQL tables."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core.models import BaseModel
from safehold.partners.choices import ExtractKind


class Extract(BaseModel):
    """One extract of one kind from one agency, shared under an agreement for a purpose.

    A newer extract (by extract date) of the same agency and kind supersedes the current one;
    superseded extracts are kept, so a series (arrears month by month) can be read back."""

    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="extracts"
    )
    kind = models.CharField(max_length=20, choices=ExtractKind.choices)
    agreement = models.ForeignKey(
        "sharing.InformationSharingAgreement", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    extract_date = models.DateField()
    file_name = models.CharField(max_length=200)
    row_count = models.PositiveIntegerField()
    checksum = models.CharField(max_length=64)  # SHA-256 of the file's bytes, hex
    is_current = models.BooleanField(default=True)
    # The extract that replaced this one as current (null while it is current).
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )

    class Meta:
        ordering = ["owning_agency", "kind", "-extract_date", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owning_agency", "kind"],
                condition=Q(is_current=True),
                name="partners_one_current_extract_per_kind",
            ),
            # The same file uploaded again is the same extract (an upload is idempotent).
            models.UniqueConstraint(
                fields=["owning_agency", "kind", "checksum"],
                name="partners_extract_file_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owning_agency} {self.kind} extract of {self.extract_date:%d %B %Y}"
