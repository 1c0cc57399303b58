"""Who may record and change people and places (django-rules predicates).

Seeing a record at all is decided by `selectors.people_visible_to` and
`locations_visible_to`; browsing and editing by role are `accounts.rules.can_browse_people`
and `can_edit_people`. These decide what a user who can see a record may do with it: only
casework roles of the agency that holds it change it (a record shared with another agency is
read-only there). The cases app uses `holds` for cases too.
"""

import rules

from safehold.accounts.rules import can_edit_people


@rules.predicate
def holds(user, record) -> bool:
    """The user's agency holds the record (anything with an `owning_agency_id`)."""
    return record is not None and record.owning_agency_id == user.agency_id


@rules.predicate
def works_for(user, agency) -> bool:
    return agency is not None and agency.pk == user.agency_id


# Recording a new person or place for an agency; changing one it holds.
can_record_for = can_edit_people & works_for
can_change_record = can_edit_people & holds

rules.add_rule("people.record_for", can_record_for)
rules.add_rule("people.change_record", can_change_record)
