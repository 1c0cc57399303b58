"""`safehold risk list --as-of DATE [--area WARD] [--top N] --format csv|json [--output FILE]
[--user EMAIL]`; `safehold risk backtest …` and `safehold risk fairness …`
(safehold.risk.management.reports).

Writes the top indicators list of a date (only data dated on or before it) for a ward (its
name or ONS code) or every area (docs/formats/risk-list.md). With `--user`, the list as that
user may see it (evidence from data they may not see is "an indicator from <Agency>'s data");
without, the whole list in full, as the partnership's processing. Either way one audit event
names the subjects written."""

import io
import json

from django.core.management.base import CommandError

from safehold.audit.choices import Channel
from safehold.audit.services import audit_context
from safehold.core.errors import ServiceError
from safehold.imports.commands import ImportCommand
from safehold.risk.formats import as_json, write_csv
from safehold.risk.management.reports import add_report_arguments, write_backtest, write_fairness
from safehold.risk.selectors import list_for, whole_list


class Command(ImportCommand):
    help = "The top indicators list: `risk list --as-of DATE [--area WARD] --format csv|json`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        listing = sub.add_parser("list", help="Write the top indicators list of a date.")
        listing.add_argument("--as-of", required=True, help="The list's date (YYYY-MM-DD).")
        listing.add_argument("--area", help="A ward, by its name or its ONS code.")
        listing.add_argument("--format", choices=("csv", "json"), default="csv")
        listing.add_argument(
            "--top", type=int, help="Only the first N entries (of those the user may see)."
        )
        listing.add_argument("--output", help="The file to write (default: standard output).")
        self.add_user_argument(listing, help="Write the list as this user may see it (email).")
        add_report_arguments(sub)

    def handle(self, *args, subcommand: str, **options):
        getattr(self, f"_{subcommand}")(**options)

    def _backtest(self, **options):
        write_backtest(self, **options)

    def _fairness(self, **options):
        write_fairness(self, **options)

    def _list(self, *, as_of: str, area, format: str, output, user, top, **options):
        day = self.date_argument(as_of, "--as-of")
        if top is not None and top < 1:
            raise CommandError("--top must be 1 or more")
        by = self.user_of(user)
        try:
            with audit_context(channel=Channel.CLI):
                made = (
                    list_for(by, day, area, top=top)
                    if by is not None
                    else whole_list(day, area, top=top)
                )
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        out = io.StringIO()
        if format == "json":
            json.dump(as_json(made), out, indent=2, ensure_ascii=False)
            out.write("\n")
        else:
            write_csv(made, out)
        if output:
            with open(output, "w", newline="", encoding="utf-8") as f:
                f.write(out.getvalue())
            self.stderr.write(f"Wrote {len(made.entries)} entries to {output}.")
        else:
            self.stdout.write(out.getvalue(), ending="")
