"""Field-level restriction: police intelligence and health details, for the agencies they are for.

Seeing a person (the read gate, `people_visible_to`) is not enough to see these fields. A user
sees a restricted field of a person they can already see when

- their agency is of a kind the field is for (police intelligence: police; health details:
  health and adult social care), whichever agency holds the record, or
- their role is named for the field and their agency holds the record: the owning agency's
  information-governance officers see both, for subject access requests and oversight (they
  answer for everything their organisation holds, and a subject access export must be complete).

Nobody else sees them: not the owning agency's other staff, not a partner the person is
disclosed to. A field a user cannot see is left out of pages, forms, exports and API responses,
and only a user who can see a field may set it (ADR 0010).
"""

from safehold.accounts import rules as account_rules
from safehold.accounts.choices import AgencyKind, Role
from safehold.core.errors import ServiceError

RESTRICTED_FIELDS: dict[str, dict[str, set[str]]] = {
    "police_intelligence": {
        "agency_kinds": {AgencyKind.POLICE},
        "roles": {Role.IG_OFFICER},
    },
    "health_details": {
        "agency_kinds": {AgencyKind.HEALTH, AgencyKind.ADULT_SOCIAL_CARE},
        "roles": {Role.IG_OFFICER},
    },
}


class RestrictedFieldError(ServiceError):
    """A restricted field was given by a user who may not see it, so may not set it either."""


def can_see(user, field: str, record=None) -> bool:
    """Whether the user may see (and so set) `field` of a person they can already see.

    `record` is the person, or None for a person the user is about to create (held by their
    own agency). Fields that are not restricted are always True: the read gate decides those.
    """
    rule = RESTRICTED_FIELDS.get(field)
    if rule is None:
        return True
    if not account_rules.can_browse_people(user):
        return False
    if user.agency.kind in rule["agency_kinds"]:
        return True
    owning_agency_id = user.agency_id if record is None else record.owning_agency_id
    return user.role in rule["roles"] and owning_agency_id == user.agency_id


def visible_fields(user, record=None) -> set[str]:
    """The restricted fields of `record` the user may see."""
    return {field for field in RESTRICTED_FIELDS if can_see(user, field, record)}


def hidden_fields(user, record=None) -> set[str]:
    """The restricted fields of `record` that must not reach the user."""
    return set(RESTRICTED_FIELDS) - visible_fields(user, record)


def require_settable(user, fields, record=None) -> None:
    """Refuse restricted fields the user may not see; `user` None is the system (imports,
    the demo), which may set anything."""
    if user is None:
        return
    refused = sorted(f for f in fields if f in RESTRICTED_FIELDS and not can_see(user, f, record))
    if refused:
        raise RestrictedFieldError(f"You cannot set: {', '.join(refused)}")
