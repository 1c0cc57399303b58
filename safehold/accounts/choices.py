from django.db import models


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    COUNCIL = "council", "Council"
    HOUSING = "housing", "Housing provider"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    HEALTH = "health", "Health"
    PROBATION = "probation", "Probation"
    FIRE = "fire", "Fire and rescue"
    VICTIM_SERVICES = "victim_services", "Victim services"
    CHARITY = "charity", "Charity"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    CASEWORKER = "caseworker", "Caseworker"
    SUPERVISOR = "supervisor", "Supervisor"
    ANALYST = "analyst", "Analyst"
    IG_OFFICER = "ig_officer", "Information governance officer"
    ADMINISTRATOR = "administrator", "Administrator"
