"""The read gate of import runs, one for every kind."""

from django.db.models import Q, QuerySet

from safehold.imports.models import ImportRun
from safehold.imports.registry import kind_named, kinds


def runs_visible_to(user, *, kind: str | None = None) -> QuerySet[ImportRun]:
    """Runs of the user's agency, of the kinds the user may see (each kind says who: those who
    may import it). With `kind`, that kind's runs only. Runs of another agency never show."""
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return ImportRun.objects.none()
    names = [kind] if kind else [k.name for k in kinds()]
    allowed = [name for name in names if kind_named(name).can_see(user)]
    if not allowed:
        return ImportRun.objects.none()
    return ImportRun.objects.filter(Q(kind__in=allowed), agency=user.agency_id)
