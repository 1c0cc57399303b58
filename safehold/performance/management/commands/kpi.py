"""`safehold kpi …`: the performance framework from the command line.

    safehold kpi import-indicators FILE.csv [--user EMAIL]
    safehold kpi import-values FILE.csv [--user EMAIL]
    safehold kpi report [--period 2016/17] --format json|html|pdf|csv|xlsx [--output FILE]
    safehold kpi refresh

Imports check the whole file first and write nothing if any row is wrong; importing the same
file again changes nothing. `report` refreshes the computed indicators first; text formats go
to standard output without --output. Formats: docs/formats/kpi-*.md.
"""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action, Channel
from safehold.imports.commands import ImportCommand
from safehold.performance import computed, formats, imports
from safehold.performance.periods import PeriodError, parse
from safehold.performance.report import board_report, latest_period


class Command(ImportCommand):
    help = "The performance framework: import indicators and values, the board report, refresh."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, what in (("import-indicators", "indicators"), ("import-values", "values")):
            load = sub.add_parser(name, help=f"Import {what} from a CSV file: all rows or none.")
            load.add_argument("file", help="The CSV file (UTF-8, with a header row).")
            self.add_user_argument(load, "Attribute the entries to this user (email).")
        report = sub.add_parser("report", help="The board report for a period.")
        report.add_argument("--period", help="The latest period shown, like 2016/17 or 2016/17 Q3.")
        report.add_argument("--format", choices=formats.FORMATS, default="json")
        report.add_argument("--output", "-o", help="Write to this file.")
        sub.add_parser("refresh", help="Recompute the indicators Safehold computes itself.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "refresh":
            result = computed.refresh()
            self.stdout.write(
                f"Computed indicators refreshed: {result.periods} period(s), "
                f"{result.changed} value(s) changed."
            )
        elif subcommand == "report":
            self._report(options)
        else:
            self._import(subcommand, Path(options["file"]), self.user_of(options["user"]))

    def _import(self, subcommand: str, path: Path, user: User | None) -> None:
        data = self.read_file(path)
        run = (
            imports.import_indicators
            if subcommand == "import-indicators"
            else imports.import_values
        )
        try:
            result = run(data=data, by=user, file_name=path.name)
        except imports.ImportInvalid as exc:
            raise self.refused(exc.errors) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name}: {result}."))

    def _report(self, options) -> None:
        fmt = options["format"]
        if options["output"] is None and fmt in ("pdf", "xlsx"):
            raise CommandError(f"--format {fmt} needs --output FILE")
        if options["period"]:
            try:
                period = parse(options["period"])
            except PeriodError as exc:
                raise CommandError(f"--period: {exc}") from exc
        else:
            computed.refresh()
            period = latest_period()
            if period is None:
                raise CommandError("There are no indicator values yet: import some first")
        report = board_report(period, with_parts=fmt in formats.WITH_PARTS)
        content = formats.render(report, fmt, partnership=formats.partnership_name())
        audit.record(
            action=Action.CONSULT,
            object_type="performance.indicator",
            purpose=f"board report {period} ({fmt})",
            channel=Channel.CLI,
        )
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"Wrote the board report for {period} ({fmt}) to {options['output']}")
        else:
            sys.stdout.write(content.decode())
