"""`safehold operations import FILE.csv` and `safehold operations summary --from --to [--area]
--format csv|json`.

The import takes historic operations and their results (docs/formats/operations.md): the whole
file is checked first, all rows or none, and importing it again changes nothing. The summary
is the results page's: with --user, of the operations that user's agency led or took part in;
without, of every operation (the operator's view). Each run is one audit event.
"""

from pathlib import Path

from django.core.management.base import CommandError

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core.csvfiles import ImportInvalid
from safehold.imports.commands import ImportCommand
from safehold.operations import formats
from safehold.operations.models import Operation
from safehold.operations.selectors import operations_counted_for
from safehold.operations.services.imports import import_operations
from safehold.operations.summary import default_period, summarise


class Command(ImportCommand):
    help = "Operations: `operations import FILE.csv`, `operations summary --format csv|json`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("import", help="Import historic operations and their results.")
        load.add_argument("file", help="The CSV file (UTF-8, with a header row).")
        self.add_user_argument(load)
        summary = sub.add_parser("summary", help="The results of operations in a period.")
        summary.add_argument("--from", dest="date_from", help="First day (YYYY-MM-DD, UK time).")
        summary.add_argument("--to", dest="date_to", help="Last day (YYYY-MM-DD, UK time).")
        summary.add_argument("--area", default="", help="A ward or LSOA code.")
        summary.add_argument("--format", choices=("csv", "json"), default="json")
        summary.add_argument("--output", help="Write to this file instead of standard output.")
        self.add_user_argument(summary, help="Count only what this user's agency took part in.")

    def handle(self, *args, subcommand: str, **options):
        user = self.user_of(options.get("user"))
        if subcommand == "import":
            self._import(Path(options["file"]), user)
        else:
            self._summary(options, user)

    def _import(self, path: Path, user) -> None:
        data = self.read_file(path)
        try:
            result = import_operations(data=data, by=user)
        except ImportInvalid as exc:
            raise self.refused(exc.errors) from exc
        if result.created:
            message = (
                f"Imported {path.name}: {result.created:,} operation(s) new, "
                f"{result.unchanged:,} already imported."
            )
        else:
            message = f"Nothing changed: all {result.unchanged:,} operation(s) of {path.name} are already imported."
        self.stdout.write(self.style.SUCCESS(message))

    def _summary(self, options: dict, user) -> None:
        start, end = default_period()
        start = self.date_argument(options["date_from"], "--from") or start
        end = self.date_argument(options["date_to"], "--to") or end
        if end < start:
            raise CommandError("--to must be the same day as --from or after it")
        operations = operations_counted_for(user) if user else Operation.objects.all()
        summary = summarise(operations, start=start, end=end, area=options["area"].strip().upper())
        fmt = options["format"]
        text = formats.to_json(summary) + "\n" if fmt == "json" else formats.to_csv(summary)
        audit.record(
            action=Action.CONSULT, actor=user, object_type="operations.operation",
            purpose=f"operations summary ({fmt})", channel=Channel.CLI,
        )  # fmt: skip
        if options.get("output"):
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
