"""Who may build an application bundle (django-rules predicates).

Seeing the action at all is decided by `selectors.bundle_actions_visible_to` (the case's read
gate); then the casework roles of the agency that holds the case, or of an agency it was shared
with in full (the police applying for a closure order on the council's case), may build its
bundle. A name-only share, an analyst or an IG officer may not.
"""

import rules

from safehold.accounts.rules import can_edit_people
from safehold.cases.rules import shared_in_full


@rules.predicate
def holds_actions_case(user, action) -> bool:
    return action is not None and action.case.owning_agency_id == user.agency_id


@rules.predicate
def actions_case_shared_in_full(user, action) -> bool:
    return action is not None and shared_in_full(user, action.case)


can_build_bundle = can_edit_people & (holds_actions_case | actions_case_shared_in_full)

rules.add_rule("enforcement.build_bundle", can_build_bundle)
