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
from safehold.sharing.selectors import live_agreements_between

SMALLEST_SHOWN = 5
SUPPRESSED = "Fewer than 5 (not shown)"
# Agreement data categories that let a partner see the casework counts exactly.
STATISTICS = ("casework_statistics", "casework")


def sees_exact_figures(user) -> bool:
    """Whether the user's agency may see the computed indicators' small numbers."""
    programme = default_programme()
    if user is None or programme is None or user.agency_id == programme.lead_agency_id:
        return True  # the command line, no programme yet, or the agency whose cases they are
    agreements = live_agreements_between(user.agency_id, programme.lead_agency_id)
    return any(set(STATISTICS) & set(a.data_categories) for a in agreements)


def is_small(indicator, *, area: str, value: Decimal | None, count: int | None) -> bool:
    """A computed borough figure that counts 1 to 4 cases (a count, or a percentage's cases)."""
    if not indicator.computed or area != Area.BOROUGH:
        return False
    cases = count if count is not None else value
    return cases is not None and 0 < cases < SMALLEST_SHOWN
