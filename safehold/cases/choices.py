from django.db import models


class ExploitationType(models.TextChoices):
    CUCKOOING = "cuckooing", "Property takeover (cuckooing)"
    FINANCIAL = "financial", "Financial"
    SEXUAL = "sexual", "Sexual"
    FAMILY = "family", "Family"
    CRIMINAL = "criminal", "Criminal exploitation or county lines"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery"
    OTHER = "other", "Other"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Not yet sent"
    SUBMITTED = "submitted", "Waiting for triage"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    SIGNPOSTED = "signposted", "Signposted elsewhere"


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", "Immediate: someone is in danger now"
    URGENT = "urgent", "Urgent: within 2 working days"
    ROUTINE = "routine", "Routine"


class Consent(models.TextChoices):
    YES = "yes", "Yes, they know and agree"
    KNOWS_NO_CONSENT = "knows_no_consent", "They know but do not agree"
    NO = "no", "No, they do not know"
    NOT_KNOWN = "not_known", "Not known"


class RiskLevel(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    POSITIVELY_RESOLVED = "positively_resolved", "Positively resolved"
    MOVED = "moved", "Moved for safety"
    NO_ENGAGEMENT = "no_engagement", "Refused to engage (passed to the ASB team)"
    NO_EXPLOITATION = "no_exploitation", "No exploitation found"
    OTHER = "other", "Other"


class EntryKind(models.TextChoices):
    NOTE = "note", "Note"
    VISIT = "visit", "Visit"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    CUSTODY_VISIT = "custody_visit", "Custody visit"
    ITEM_GIVEN = "item_given", "Item given"
    EVENT = "event", "Case event"


class LinkRole(models.TextChoices):
    PERPETRATOR = "perpetrator", "Perpetrator"
    ASSOCIATE = "associate", "Associate"
    FAMILY = "family", "Family member"
    DRUG_USER = "drug_user", "Drug user at the premises"
    OTHER = "other", "Other"


class EnforcementKind(models.TextChoices):
    WARNING = "warning", "Warning"
    CPW = "cpw", "Community Protection Warning"
    CPN = "cpn", "Community Protection Notice"
    CLOSURE_NOTICE = "closure_notice", "Closure notice"
    PARTIAL_CLOSURE_ORDER = "partial_closure_order", "Partial closure order"
    FULL_CLOSURE_ORDER = "full_closure_order", "Full closure order"
    CIVIL_INJUNCTION = "civil_injunction", "Civil injunction"
    PERPETRATOR_EXCLUDED = "perpetrator_excluded", "Perpetrator excluded"
    ARREST = "arrest", "Arrest"
    CHARGE = "charge", "Charge"
    CONVICTION = "conviction", "Conviction"


CLOSURE_ORDERS = {EnforcementKind.PARTIAL_CLOSURE_ORDER, EnforcementKind.FULL_CLOSURE_ORDER}


class EnforcementStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    APPLIED = "applied", "Applied for"
    IN_FORCE = "in_force", "Issued or in force"
    REFUSED = "refused", "Refused"
    ENDED = "ended", "Ended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class TaskStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    # Ended when its case closed (ADR 0035): never open work again, whatever its due date.
    CLOSED = "closed", "Closed with the case"
    HANDED_OVER = "handed_over", "Handed over"


class OpenTasksOnClosing(models.TextChoices):
    """What closing a case does with the tasks still open on it."""

    CLOSE = "close", "Close them: they are no longer needed"
    HAND_OVER = "hand_over", "Hand them over to someone who will finish them"


# The "signs to look for" checklist (code, wording), from the project's leaflet.
SIGNS = [
    ("comings_and_goings", "Unfamiliar people coming and going at all hours"),
    ("people_staying", "People staying who do not live there"),
    ("drug_paraphernalia", "Drug paraphernalia (needles, foil, small bags)"),
    ("resident_scared", "The resident seems scared, anxious or withdrawn"),
    ("new_friends", "The resident has new \u201cfriends\u201d"),
    ("vehicles_waiting", "Cars or bikes waiting outside for short periods"),
    ("damage_doors_locks", "Damage to doors or locks"),
    ("rent_unpaid", "Rent or bills suddenly unpaid"),
    ("resident_rarely_seen", "The resident is rarely seen"),
    ("noise_asb", "Complaints of noise or anti-social behaviour"),
    ("resident_substance_use", "The resident's own drug or alcohol use"),
    ("curtains_closed", "Curtains or blinds kept closed all day"),
    ("smell_of_drugs", "A smell of cannabis or other drugs"),
    ("weapons", "Weapons seen or mentioned"),
]

# The intervention catalogue (code, name); `outcome` maps to the evaluation report's measures.
INTERVENTIONS = [
    ("wraparound_support", "Wrap-around support"),
    ("target_hardening", "Target hardening"),
    ("payg_phone", "Pay-as-you-go phone"),
    ("custody_visit", "Custody visit"),
    ("harm_reduction", "Harm reduction"),
    ("substance_treatment_referral", "Substance-misuse treatment referral"),
    ("health_referral", "Health referral"),
    ("victim_support", "Victim support"),
    ("safeguarding_referral", "Safeguarding referral"),
    ("tenancy_support", "Tenancy support"),
    ("rent_benefit_advice", "Rent or benefit advice"),
    ("move_property", "Move to another property"),
]


class OutcomeMeasure(models.TextChoices):
    """The evaluation report's outcome measures, as coded in the case CSV format."""

    ARREST_CONVICTION = "arrest_conviction", "Arrested/Conviction"
    TARGET_HARDENING_SUPPORT = "target_hardening_support", "Target Hardening & Wrap around support"
    CPW_CPN = "cpw_cpn", "CPW/N"
    MOVED = "moved", "Moved"
    WARNING = "warning", "Warnings issued"
    PERPETRATOR_EXCLUDED = "perpetrator_excluded", "Perps excluded"


# Which interventions and enforcement kinds count towards each outcome measure, and which one
# an imported measure is recorded as (the first of its list).
OUTCOME_INTERVENTIONS = {
    OutcomeMeasure.TARGET_HARDENING_SUPPORT: ["target_hardening", "wraparound_support"],
    OutcomeMeasure.MOVED: ["move_property"],
}
OUTCOME_ENFORCEMENT = {
    OutcomeMeasure.ARREST_CONVICTION: [
        EnforcementKind.ARREST,
        EnforcementKind.CHARGE,
        EnforcementKind.CONVICTION,
    ],
    OutcomeMeasure.CPW_CPN: [EnforcementKind.CPW, EnforcementKind.CPN],
    OutcomeMeasure.WARNING: [EnforcementKind.WARNING],
    OutcomeMeasure.PERPETRATOR_EXCLUDED: [EnforcementKind.PERPETRATOR_EXCLUDED],
}
