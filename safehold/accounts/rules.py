"""Who may do what, by role: composable django-rules predicates, used by views and navigation."""

import rules

from safehold.accounts.choices import Role


def has_role(*roles: str):
    @rules.predicate(name=f"has_role({','.join(roles)})")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)

    return predicate


# Casework roles and governance roles see personal records of their agency; referrers only
# submit referrals and analysts work on aggregates, so neither browses people.
can_browse_people = has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.IG_OFFICER, Role.ADMINISTRATOR)
can_edit_people = has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)
can_search_audit = has_role(Role.IG_OFFICER)
can_manage_users = has_role(Role.ADMINISTRATOR)
# Crime and ASB analytics (police.uk data and partners' incident logs: aggregates only, counts,
# never people): the roles that see reports (the people browsers and analysts), supervisors and
# administrators; analysts and administrators import data for them. Here, not in one analytics
# app, because two apps (crime, incidents) share them and neither imports the other.
can_view_analytics = can_browse_people | has_role(Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR)
can_import_analytics_data = has_role(Role.ANALYST, Role.ADMINISTRATOR)

rules.add_rule("people.browse", can_browse_people)
rules.add_rule("people.edit", can_edit_people)
rules.add_rule("audit.search", can_search_audit)
rules.add_rule("accounts.manage_users", can_manage_users)
