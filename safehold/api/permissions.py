"""Role checks for API lists, from the same django-rules predicates as the pages."""

from rest_framework.permissions import BasePermission

from safehold.accounts import rules as account_rules


class CanBrowsePeople(BasePermission):
    """Lists of people, cases and tasks are for roles that work with personal records.

    Only lists use this: a single record outside the read gate is a 404, never a 403.
    """

    message = "Your role does not work with personal records."

    def has_permission(self, request, view) -> bool:
        return bool(account_rules.can_browse_people(request.user))
