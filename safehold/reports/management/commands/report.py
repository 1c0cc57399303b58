"""`safehold report evaluation --from … --to … --format html|pdf|csv|xlsx|json`.

The report counts every case of the programme (the command line is not a signed-in user); the
money figures come from the programme's settings for a period covering the report's, unless
given with --average-void-cost and --service-cost. Text formats go to standard output when
there is no --output. See docs/formats/evaluation-report.md.
"""

import datetime
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.cases.models import Case, Programme
from safehold.cases.services.referrals import default_programme
from safehold.reports import formats
from safehold.reports.choices import SavingRounding
from safehold.reports.selectors import evaluation_with_settings


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"“{value}” is not a date in the format YYYY-MM-DD") from exc


def _amount(value: str | None, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value.replace(",", "").lstrip("£"))
    except InvalidOperation as exc:
        raise CommandError(f"--{name}: “{value}” is not an amount of money") from exc
    if amount < 0 or not amount.is_finite():
        raise CommandError(f"--{name}: enter an amount of 0 or more")
    return amount


class Command(BaseCommand):
    help = "Reports: `report evaluation --from YYYY-MM-DD --to YYYY-MM-DD --format json`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        evaluation = sub.add_parser("evaluation", help="The evaluation and cost-benefit report.")
        evaluation.add_argument("--from", dest="date_from", required=True)
        evaluation.add_argument("--to", dest="date_to", required=True)
        evaluation.add_argument("--format", choices=formats.FORMATS, default="json")
        evaluation.add_argument("--output", "-o", help="Write to this file.")
        evaluation.add_argument("--average-void-cost", help="Override the programme's setting.")
        evaluation.add_argument("--service-cost", help="Override the programme's setting.")
        evaluation.add_argument(
            "--round-saving-to",
            choices=SavingRounding.values,
            help="Round the saving to the penny or the nearest pound (default: the setting's).",
        )
        evaluation.add_argument("--programme", help="The programme's name (default: the first).")

    def handle(self, *args, **options):
        date_from, date_to = _date(options["date_from"]), _date(options["date_to"])
        if date_to < date_from:
            raise CommandError("--to must be the same as or after --from")
        programme = self._programme(options["programme"])
        fmt = options["format"]
        if options["output"] is None and fmt in ("pdf", "xlsx"):
            raise CommandError(f"--format {fmt} needs --output FILE")
        report = evaluation_with_settings(
            Case.objects.filter(programme=programme),
            programme=programme,
            date_from=date_from,
            date_to=date_to,
            average_void_cost=_amount(options["average_void_cost"], "average-void-cost"),
            service_cost=_amount(options["service_cost"], "service-cost"),
            saving_rounding=options["round_saving_to"],
        )
        content = formats.render(report, fmt, programme_name=programme.name)
        audit.record(
            action=Action.CONSULT,
            target=programme,
            purpose=f"evaluation report {date_from} to {date_to} ({fmt})",
            channel=Channel.CLI,
        )
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"Wrote the evaluation report ({fmt}) to {options['output']}")
        else:
            sys.stdout.write(content.decode())

    def _programme(self, name: str | None) -> Programme:
        if name:
            programme = Programme.objects.filter(name=name).first()
            if programme is None:
                raise CommandError(f"There is no programme called “{name}”")
            return programme
        programme = default_programme()
        if programme is None:
            raise CommandError("There is no programme yet")
        return programme
