from django.db.models import Exists, OuterRef, QuerySet

from safehold.accounts.models import TotpDevice, User


def users_visible_to(user: User) -> QuerySet[User]:
    """Administrators manage the users of their own agency."""
    return (
        User.objects.filter(agency=user.agency_id)
        .select_related("agency")
        .prefetch_related("teams")
    )


def with_two_factor_status(users: QuerySet[User]) -> QuerySet[User]:
    """Mark each user `has_two_factor`: whether they have a confirmed authenticator app."""
    confirmed = TotpDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)
    return users.annotate(has_two_factor=Exists(confirmed))
