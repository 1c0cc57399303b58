"""Writes for reports: the money figures of a programme and period, audited."""

import datetime
from decimal import Decimal

from django.db import transaction

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases.models import Programme
from safehold.reports.choices import SavingRounding
from safehold.reports.models import EvaluationSettings


@transaction.atomic
def set_evaluation_settings(
    *,
    programme: Programme,
    period_start: datetime.date,
    period_end: datetime.date,
    average_void_cost: Decimal,
    service_cost: Decimal,
    saving_rounding: str = SavingRounding.PENNY,
    by,
) -> EvaluationSettings:
    """Record (or correct) the void cost, service cost and rounding for a programme and
    period."""
    settings, created = EvaluationSettings.objects.update_or_create(
        programme=programme,
        period_start=period_start,
        period_end=period_end,
        defaults={
            "average_void_cost": average_void_cost,
            "service_cost": service_cost,
            "saving_rounding": saving_rounding,
        },
    )
    audit.record(
        action=Action.COLLECT if created else Action.ALTER,
        actor=by,
        target=settings,
        purpose=(
            f"evaluation settings {period_start} to {period_end}: average void cost "
            f"{average_void_cost}, service cost {service_cost}, saving rounded {saving_rounding}"
        ),
    )
    return settings
