"""Who sees a computed indicator's small numbers (issue 12, probe finding g; ADR 0016 amended).

Computed indicators count one agency's cases (the exploitation programme's lead agency). Its own
staff, and agencies whose live agreement with it covers casework statistics, see them exactly.
Every other agency sees them with small numbers suppressed, as official statistics are: a count
of 1 to 4 (and a percentage of so few cases) reads "Fewer than 5", so that a single case cannot
be recognised from the partnership's board report.
"""

from decimal import Decimal

from safehold.cases.services.referrals import default_programme
from safehold.performance.choices import Area
from safehold.reports import suppression
from safehold.reports.suppression import SMALLEST_SHOWN, SUPPRESSED
from safehold.sharing.selectors import agreement_covers_statistics

__all__ = ["SMALLEST_SHOWN", "SUPPRESSED", "coverage_note", "is_small", "sees_exact_figures"]


def sees_exact_figures(user) -> bool:
    """Whether the user's agency may see the computed indicators' small numbers."""
    programme = default_programme()
    if user is None or programme is None or user.agency_id == programme.lead_agency_id:
        return True  # the command line, no programme yet, or the agency whose cases they are
    return agreement_covers_statistics(user.agency_id, programme.lead_agency_id)


def is_small(indicator, *, area: str, value: Decimal | None, count: int | None) -> bool:
    """A computed borough figure that counts 1 to 4 cases (a count, or a percentage's cases)."""
    if not indicator.computed or area != Area.BOROUGH:
        return False
    return suppression.is_small(count if count is not None else value)


def coverage_note(user) -> str:
    """Whose cases the computed indicators count, said on every page and paper showing them
    (issue 14, defect 3): every case of the programme, not only those the reader may see."""
    programme = default_programme()
    if programme is None:
        return ""
    note = (
        f"The indicators computed by Safehold count every case of the {programme.name}, held "
        f"by {programme.lead_agency.name}, whoever reads this report: not only the cases your "
        "organisation holds or has been shared."
    )
    if not sees_exact_figures(user):
        note += f" A count of 1 to {SMALLEST_SHOWN - 1} cases reads “{SUPPRESSED}”."
    return note
