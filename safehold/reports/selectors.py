"""Which cases a reader's reports count, and which money figures apply to a period."""

import datetime
from decimal import Decimal

from django.db.models import QuerySet

from safehold.accounts import rules as account_rules
from safehold.cases.models import Case, Programme
from safehold.cases.selectors import cases_visible_to
from safehold.reports.evaluation import EvaluationReport, evaluation_report
from safehold.reports.models import EvaluationSettings
from safehold.reports.rules import can_set_report_figures, can_view_reports


def report_cases_for(user, programme: Programme | None = None) -> QuerySet[Case]:
    """The cases a user's reports count: those they may see; for analysts (who see no case)
    their agency's own cases, as aggregates only (ADR 0012)."""
    if not can_view_reports(user):
        cases = Case.objects.none()
    elif account_rules.can_browse_people(user):
        cases = cases_visible_to(user)
    else:
        cases = Case.objects.filter(owning_agency=user.agency_id)
    if programme is not None:
        cases = cases.filter(programme=programme)
    return cases


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
