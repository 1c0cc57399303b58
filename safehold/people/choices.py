from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Tenure(models.TextChoices):
    SOCIAL_RENT = "social_rent", "Social rent"
    PRIVATE_RENT = "private_rent", "Private rent"
    OWNER = "owner", "Owner occupier"
    OTHER = "other", "Other or not known"


# The vulnerability catalogue's starting entries (code, name); the partnership can add more.
VULNERABILITIES = [
    ("substance_misuse", "Substance misuse"),
    ("mental_health", "Mental health"),
    ("learning_disability", "Learning disability"),
    ("physical_disability", "Physical disability"),
    ("older_person", "Older person"),
    ("care_leaver", "Care leaver"),
    ("debt_rent_arrears", "Debt or rent arrears"),
    ("previous_exploitation", "Previous exploitation"),
    ("social_isolation", "Social isolation"),
    ("domestic_abuse", "Domestic abuse"),
    ("homelessness", "Homelessness or insecure housing"),
    ("young_person", "Young person (under 25)"),
]
