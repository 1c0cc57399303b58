"""The home page's intelligence panel: the links a casework role's full menu has no room for
(submit, your agency's submissions) and, for the police intelligence role, how many wait to be
assessed. Links and a count only, no record: it audits nothing; at most two queries."""

from safehold.intelligence import rules, selectors


def intelligence_panel(user) -> dict:
    links = bool(rules.can_submit(user) or rules.can_see_own(user))
    assess = bool(rules.can_assess(user))
    if not (links or assess):
        return {}
    return {
        "intelligence_links": links,
        "intelligence_may_submit": bool(rules.can_submit(user)),
        "intelligence_waiting": selectors.to_assess(user).count() if assess else None,
    }
