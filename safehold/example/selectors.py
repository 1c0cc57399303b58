"""The read gate: every page, export and API read of a visit starts here."""

from django.db.models import QuerySet

from safehold.cases.selectors import cases_visible_to
from safehold.example.models import Visit


def visits_visible_to(user) -> QuerySet[Visit]:
    """Visits to cases the user may see (their agency's, and cases shared with it in full)."""
    return Visit.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case", "case__subject", "owning_agency"
    )
