"""`safehold intelligence list --user EMAIL [--waiting] [--output FILE]`: the intelligence a
user may see, as CSV, each row as much as the read gate gives that user (ADR 0049): reference,
submitted date, status and access for everyone; the grading, handling code and sanitised text
for a partner it was shared with and for the police intelligence role. `--waiting`: the police
intelligence role's queue, oldest first. Each run is one audit event naming what it listed."""

import io
from pathlib import Path

from django.core.management.base import CommandError

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core.exports import csv_writer
from safehold.imports.commands import ImportCommand
from safehold.intelligence import selectors

COLUMNS = [
    "reference", "submitted_on", "status", "access", "grading", "handling_conditions",
    "sanitised_text",
]  # fmt: skip


class Command(ImportCommand):
    help = "Intelligence: `intelligence list --user EMAIL [--waiting]` (CSV)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        listing = sub.add_parser("list", help="The intelligence a user may see, as CSV.")
        listing.add_argument("--waiting", action="store_true", help="The assessment queue only.")
        listing.add_argument("--output", help="Write to this file instead of standard output.")
        self.add_user_argument(listing, help="The user whose view to list (required).")

    def handle(self, *args, subcommand: str, **options):
        user = self.user_of(options.get("user"))
        if user is None:
            raise CommandError("Give --user EMAIL: intelligence is listed as one user sees it")
        records = list(
            selectors.to_assess(user)
            if options["waiting"]
            else selectors.intelligence_visible_to(user)
        )
        out = io.StringIO()
        # Through the shared writer: sanitised text is typed by a person and may start like a
        # formula (ADR 0028).
        writer = csv_writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for intelligence in records:
            access = selectors.access_of(user, intelligence)
            row = {
                "reference": intelligence.reference,
                "submitted_on": intelligence.submitted_at.date().isoformat(),
                "status": intelligence.status,
                "access": access,
            }
            if access != selectors.STATUS and intelligence.is_graded:
                row |= {
                    "grading": intelligence.grading,
                    "handling_conditions": intelligence.handling_conditions,
                    "sanitised_text": intelligence.sanitised_text,
                }
            writer.writerow([row.get(column, "") for column in COLUMNS])
        if records:
            audit.record(
                action=Action.CONSULT, actor=user, targets=records, purpose="intelligence list",
                channel=Channel.CLI,
            )  # fmt: skip
        if options.get("output"):
            Path(options["output"]).write_text(out.getvalue(), encoding="utf-8")
        else:
            self.stdout.write(out.getvalue(), ending="")
