"""What the evaluation report needs besides the casework: its money figures per period."""

from django.db import models

from safehold.core.models import BaseModel
from safehold.reports.choices import SavingRounding


class EvaluationSettings(BaseModel):
    """The average void cost and the cost of the service for one programme and period.

    The evaluation report uses the settings whose period covers the report's period. The void
    cost keeps 4 decimal places: a published saving can imply a cost finer than the penny. The
    saving is rounded to the penny unless the programme reports it to the nearest pound.
    """

    programme = models.ForeignKey(
        "cases.Programme", on_delete=models.CASCADE, related_name="evaluation_settings"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    average_void_cost = models.DecimalField(max_digits=12, decimal_places=4)
    service_cost = models.DecimalField(max_digits=12, decimal_places=2)
    saving_rounding = models.CharField(
        max_length=10, choices=SavingRounding.choices, default=SavingRounding.PENNY
    )

    class Meta:
        ordering = ["programme__name", "-period_start"]
        verbose_name_plural = "evaluation settings"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end"],
                name="one_evaluation_setting_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.period_start} to {self.period_end}"
