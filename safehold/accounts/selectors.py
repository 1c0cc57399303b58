from django.db.models import QuerySet

from safehold.accounts.models import User


def users_visible_to(user: User) -> QuerySet[User]:
    """Administrators manage the users of their own agency."""
    return (
        User.objects.filter(agency=user.agency_id)
        .select_related("agency")
        .prefetch_related("teams")
    )
