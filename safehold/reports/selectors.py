"""Which cases a reader's reports count, what that covers of the partnership's, and which
money figures apply to a period."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from safehold.accounts import rules as account_rules
from safehold.cases.models import Case, Programme
from safehold.cases.selectors import cases_visible_to
from safehold.reports.evaluation import EvaluationReport, evaluation_report
from safehold.reports.models import EvaluationSettings
from safehold.reports.rules import can_set_report_figures, can_view_reports
from safehold.sharing.middleware import unrestricted
from safehold.sharing.selectors import agreement_covers_statistics, shared_case_ids


def report_cases_for(user, programme: Programme | None = None) -> QuerySet[Case]:
    """The cases a user's reports count: those they may see; for analysts (who open no case)
    the cases their agency holds or has been shared in full, as aggregates only (ADR 0036,
    amending ADR 0012)."""
    if not can_view_reports(user):
        cases = Case.objects.none()
    elif account_rules.can_browse_people(user):
        cases = cases_visible_to(user)
    else:
        cases = Case.objects.filter(
            Q(owning_agency=user.agency_id) | Q(pk__in=shared_case_ids(user.agency_id))
        )
    if programme is not None:
        cases = cases.filter(programme=programme)
    return cases


def may_see_partnership_figures(user, programme: Programme | None) -> bool:
    """Whether the user may see the partnership's aggregate figures for the programme (every
    case of it, counts only): a report reader of the lead agency, or of an agency whose live
    agreement with the lead agency covers casework statistics (ADR 0036)."""
    if programme is None or not can_view_reports(user):
        return False
    if user.agency_id == programme.lead_agency_id:
        return True
    return agreement_covers_statistics(user.agency_id, programme.lead_agency_id)


def partnership_cases(programme: Programme) -> QuerySet[Case]:
    """Every case of the programme, whoever holds it: for aggregates only, counted inside
    `unrestricted()` (never shown case by case)."""
    return Case.objects.filter(programme=programme)


@dataclass(frozen=True)
class Coverage:
    """Whose cases a report counts, and how many of the partnership's cases of the period."""

    whose: str  # "Cases held by or shared with Stockport Council"
    covered: int
    total: int
    partnership: bool = False  # the report is the partnership's aggregate figures

    @property
    def sentence(self) -> str:
        if self.partnership:
            return (
                f"All {self.total} of the partnership's cases referred in the period, whoever "
                "holds them: counts only, a count of 1 to 4 not shown."
            )
        return f"{self.whose}: {self.covered} of the partnership's {self.total}."


def coverage(
    user,
    *,
    programme: Programme,
    covered: int,
    date_from: datetime.date,
    date_to: datetime.date,
    partnership: bool = False,
) -> Coverage:
    """Whose cases the user's report counts (`covered` of them) against the number of the
    programme's cases referred in the period, whoever holds them (an aggregate)."""
    with unrestricted():
        total = (
            partnership_cases(programme)
            .filter(referral_date__gte=date_from, referral_date__lte=date_to)
            .count()
        )
    agency = user.agency.name if getattr(user, "agency", None) else "your organisation"
    whose = f"Cases held by or shared with {agency}"
    return Coverage(whose=whose, covered=covered, total=total, partnership=partnership)


def settings_for(
    programme: Programme | None, *, date_from: datetime.date, date_to: datetime.date
) -> EvaluationSettings | None:
    """The programme's settings whose period covers the report period (the shortest such)."""
    if programme is None:
        return None
    covering = EvaluationSettings.objects.filter(
        programme=programme, period_start__lte=date_from, period_end__gte=date_to
    )
    return covering.order_by("period_end", "-period_start").first()


def programmes_configurable_by(user) -> QuerySet[Programme]:
    """Programmes whose money figures the user may set: those their agency leads."""
    if not can_set_report_figures(user):
        return Programme.objects.none()
    return Programme.objects.filter(lead_agency=user.agency_id).order_by("name")


def settings_visible_to(user) -> QuerySet[EvaluationSettings]:
    return EvaluationSettings.objects.filter(
        programme__in=programmes_configurable_by(user)
    ).select_related("programme")


def evaluation_with_settings(
    cases: QuerySet[Case],
    *,
    programme: Programme | None,
    date_from: datetime.date,
    date_to: datetime.date,
    average_void_cost: Decimal | None = None,
    service_cost: Decimal | None = None,
    saving_rounding: str | None = None,
) -> EvaluationReport:
    """The report over `cases`, its money figures and rounding taken from the programme's
    settings for the period unless given (the page, the command line and the API alike)."""
    found = settings_for(programme, date_from=date_from, date_to=date_to)
    if found is not None:
        average_void_cost = (
            found.average_void_cost if average_void_cost is None else average_void_cost
        )
        service_cost = found.service_cost if service_cost is None else service_cost
        saving_rounding = saving_rounding or found.saving_rounding
    return evaluation_report(
        cases,
        date_from=date_from,
        date_to=date_to,
        average_void_cost=average_void_cost,
        service_cost=service_cost,
        **({"saving_rounding": saving_rounding} if saving_rounding else {}),
    )
