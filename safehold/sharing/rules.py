"""Who may do what with agreements, disclosures and access requests (django-rules predicates).

Seeing an agreement at all is decided by `selectors.agreements_visible_to` (its parties only);
these predicates decide what a user who can see it may change.
"""

import rules

from safehold.accounts import rules as account_rules
from safehold.accounts.choices import Role

# Information governance records agreements and keeps them current; administrators stand in.
is_governance = account_rules.has_role(Role.IG_OFFICER, Role.ADMINISTRATOR)


@rules.predicate
def manages_agreement(user, agreement) -> bool:
    """Governance roles of the agency that manages the agreement: review, end, upload, sign."""
    return agreement is not None and agreement.managed_by_id == user.agency_id


@rules.predicate
def is_party(user, agreement) -> bool:
    return agreement is not None and any(a.pk == user.agency_id for a in agreement.parties.all())


can_manage_agreements = is_governance
can_manage_agreement = is_governance & manages_agreement
# A party's own governance officer records who signed for it; the manager records anyone's.
can_add_signatory = is_governance & is_party
# Sharing a record and deciding on requests for it: casework roles of the agency that holds it.
can_share = account_rules.can_edit_people
can_decide_requests = account_rules.can_edit_people
# Searching who else works with a person, and asking for a record found that way.
can_search_who_else = account_rules.can_browse_people

rules.add_rule("sharing.manage_agreements", can_manage_agreements)
rules.add_rule("sharing.manage_agreement", can_manage_agreement)
rules.add_rule("sharing.add_signatory", can_add_signatory)
rules.add_rule("sharing.share", can_share)
rules.add_rule("sharing.decide_requests", can_decide_requests)
rules.add_rule("sharing.search_who_else", can_search_who_else)
