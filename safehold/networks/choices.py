from django.db import models

from safehold.networks import graph


class ObjectKind(models.TextChoices):
    PHONE = "phone", "Phone number"
    VEHICLE = "vehicle", "Vehicle"
    BANK_ACCOUNT = "bank_account", "Bank account"
    SOCIAL_MEDIA = "social_media", "Social media handle"
    WEAPON = "weapon", "Weapon"


class EventKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    OPERATION = "operation", "Operation"
    SEIZURE = "seizure", "Seizure"
    INTELLIGENCE = "intelligence", "Intelligence report"


class EndKind(models.TextChoices):
    """What one end of a link is: the prefix of its entity id in `graph` (`person:<uuid>`)."""

    PERSON = graph.PERSON, "Person"
    LOCATION = graph.LOCATION, "Place"
    OBJECT = "object", "Object"
    EVENT = "event", "Event"
    OCG = graph.OCG, "Organised crime group"


class LinkType(models.TextChoices):
    ASSOCIATE_OF = "associate_of", "Associate of"
    MEMBER_OF = "member_of", "Member of"
    USES_PHONE = "uses_phone", "Uses phone"
    LIVES_AT = "lives_at", "Lives at"
    VISITED = "visited", "Visited"
    OWNS = "owns", "Owns"
    DRIVES = "drives", "Drives"
    SEIZED_AT = "seized_at", "Seized at"
    SEEN_AT = "seen_at", "Seen at"
    INVOLVED_IN = "involved_in", "Involved in"
    REPORTED_IN = "reported_in", "Reported in"
    OCCURRED_AT = "occurred_at", "Occurred at"
    LINKED_TO = "linked_to", "Linked to"


class OcgStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"
    DISRUPTED = "disrupted", "Disrupted"
    ARCHIVED = "archived", "Archived"


class Activity(models.TextChoices):
    """The principal activities of organised crime groups, as the partnership's reports list
    them (the seeds' list)."""

    DRUG_SUPPLY = "drug_supply", "Drug supply"
    CANNABIS_CULTIVATION = "cannabis_cultivation", "Cannabis cultivation"
    COUNTY_LINES = "county_lines", "County lines"
    CUCKOOING = "cuckooing", "Cuckooing"
    ILLEGAL_MONEY_LENDING = "illegal_money_lending", "Illegal money lending"
    EXPLOITATION = "exploitation", "Exploitation"
    FRAUD = "fraud", "Fraud"
    OTHER = "other", "Other"


class MemberRole(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    LIEUTENANT = "lieutenant", "Lieutenant"
    RUNNER = "runner", "Runner"
    ENABLER = "enabler", "Enabler"
    ASSOCIATE = "associate", "Associate"


class Level(models.IntegerChoices):
    """One dimension of a threat assessment (harm, capability or intent)."""

    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class ThreatBand(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class FourP(models.TextChoices):
    PURSUE = "pursue", "Pursue"
    PREVENT = "prevent", "Prevent"
    PROTECT = "protect", "Protect"
    PREPARE = "prepare", "Prepare"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
