from django.db import models


class AgreementStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not yet in force"
    LIVE = "live", "Live"
    DUE_FOR_REVIEW = "due_for_review", "Due for review"
    LAPSED = "lapsed", "Lapsed"


class DisclosureLevel(models.TextChoices):
    FULL = "full", "Full record"
    NAME_ONLY = "name_only", "Name and agencies involved only"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


# Legal gateways and conditions commonly cited in community safety sharing agreements.
LEGAL_GATEWAYS = [
    "Crime and Disorder Act 1998, section 115",
    "Crime and Disorder Act 1998, section 17",
    "Care Act 2014, sections 6, 42 and 45",
    "Anti-social Behaviour, Crime and Policing Act 2014",
    "Children Act 2004, section 11",
    "Common law powers of the police",
]
LAWFUL_BASES = [
    "UK GDPR Article 6(1)(e): public task",
    "UK GDPR Article 6(1)(c): legal obligation",
    "UK GDPR Article 6(1)(d): vital interests",
    "DPA 2018 Part 3: law enforcement purposes (s.35)",
]
DATA_CATEGORIES = [
    ("identity", "Identity and contact details"),
    ("address", "Addresses and tenancy"),
    ("casework", "Casework records and chronology"),
    ("vulnerabilities", "Vulnerabilities"),
    ("health", "Health details (special category)"),
    ("criminal_offence", "Criminal offence data"),
    ("police_intelligence", "Police intelligence"),
    # Lets the partner see the board report's casework counts exactly, small numbers included.
    ("casework_statistics", "Counts and statistics of casework"),
]
# An agreement with either of these categories between a partner and the agency holding the
# cases lets the partner's report readers see the partnership's casework counts (ADR 0036).
STATISTICS_CATEGORIES = ("casework_statistics", "casework")
