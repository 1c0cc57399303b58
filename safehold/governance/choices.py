from django.db import models


class RecordType(models.TextChoices):
    """The kinds of record that retention, holds, decisions and erasure speak about."""

    CASE = "case", "Case"
    REFERRAL = "referral", "Referral"
    PERSON = "person", "Person"
    LOCATION = "location", "Place"


class Decision(models.TextChoices):
    RETAIN = "retain", "Retain"
    ERASE = "erase", "Erase"


# The policies a new database starts with (migration 0002 seeds them; a missing row falls back
# to these). Why these periods: docs/adr/0009-retention-and-erasure.md.
DEFAULT_POLICIES = {
    RecordType.CASE: (
        72,
        "the date the case was closed",
        "Closed cases",
    ),
    RecordType.REFERRAL: (
        12,
        "the date the referral was declined or signposted elsewhere",
        "Declined or signposted referrals",
    ),
    RecordType.PERSON: (
        24,
        "the last change to the person's record, when they are on no case",
        "People on no case",
    ),
}
