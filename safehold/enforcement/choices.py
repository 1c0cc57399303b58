from django.db import models

from safehold.cases.choices import EnforcementKind


class Recipient(models.TextChoices):
    """Who a bundle is for: recorded on the build's audit event (labels, never names)."""

    COURT = "court", "The court"
    OTHER_PARTY = "other_party", "The other party (the respondent or their solicitor)"
    PARTNER = "partner", "A partner agency taking part in the application"
    APPLICANT = "applicant", "The applicant's own legal team"


class Section(models.TextChoices):
    """The parts of a bundle a user may leave out (the cover sheet and index are always in)."""

    PREMISES = "premises", "The premises and the people"
    CHRONOLOGY = "chronology", "Chronology of incidents at the premises"
    MAP = "map", "Map of the premises and nearby incidents"
    SCOTT = "scott", "Scott schedule (civil injunctions only)"
    EXHIBITS = "exhibits", "Exhibits list and the uploaded documents"


# The enforcement actions that go to court with an application bundle, and the law each is under.
BUNDLE_KINDS = {
    EnforcementKind.CLOSURE_NOTICE: (
        "Closure notice",
        "Anti-social Behaviour, Crime and Policing Act 2014, sections 76 to 79",
    ),
    EnforcementKind.PARTIAL_CLOSURE_ORDER: (
        "Application for a partial closure order",
        "Anti-social Behaviour, Crime and Policing Act 2014, sections 80 to 82",
    ),
    EnforcementKind.FULL_CLOSURE_ORDER: (
        "Application for a closure order",
        "Anti-social Behaviour, Crime and Policing Act 2014, sections 80 to 82",
    ),
    EnforcementKind.CIVIL_INJUNCTION: (
        "Application for a civil injunction",
        "Anti-social Behaviour, Crime and Policing Act 2014, Part 1 (section 1)",
    ),
}
