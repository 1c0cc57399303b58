"""`safehold cases import FILE.csv` and `safehold cases export`: historic cases as CSV.

The format is docs/formats/cases-csv.md. Import checks the whole file first and writes nothing
if any row is wrong; importing the same file again changes nothing.
"""

import time
from pathlib import Path

from django.core.management.base import CommandError

from safehold.accounts.models import User
from safehold.cases import exports, imports
from safehold.cases.models import Case, Programme
from safehold.cases.selectors import cases_visible_to
from safehold.cases.services.referrals import default_programme
from safehold.imports.commands import ImportCommand

BAR_WIDTH = 20


class Command(ImportCommand):
    help = "Historic cases as CSV: `cases import FILE.csv` and `cases export [--output FILE]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser(
            "import", help="Import cases from a CSV file: all rows or, if any is wrong, none."
        )
        load.add_argument("file", help="The CSV file (UTF-8, with a header row).")
        dump = sub.add_parser("export", help="Write the programme's cases as CSV.")
        dump.add_argument("--output", "-o", help="Write to this file (default: standard output).")
        for p in (load, dump):
            p.add_argument(
                "--programme", help="The programme's name (default: the first one set up)."
            )
            self.add_user_argument(p)

    def handle(self, *args, subcommand: str, **options):
        programme = self._programme(options["programme"])
        user = self.user_of(options["user"])
        if subcommand == "import":
            self._import(Path(options["file"]), programme, user)
        else:
            self._export(options["output"], programme, user)

    def _programme(self, name: str | None) -> Programme:
        if name:
            programme = (
                Programme.objects.select_related("lead_agency", "asb_team")
                .filter(name=name)
                .first()
            )
            if programme is None:
                known = ", ".join(Programme.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"There is no programme called “{name}” (programmes: {known})")
            return programme
        programme = default_programme()
        if programme is None:
            raise CommandError("There is no programme yet: set one up before importing cases")
        return programme

    def _import(self, path: Path, programme: Programme, user: User | None) -> None:
        data = self.read_file(path)
        started = time.monotonic()
        plan = imports.validate(data=data, programme=programme, file_name=path.name)
        if plan.errors:
            raise self.refused(plan.errors)
        self.stdout.write(
            f"Checked {plan.total:,} row(s) of {path.name}: no errors. "
            f"Importing into {programme.name}…"
        )
        shown = -1

        def progress(done: int, total: int) -> None:
            nonlocal shown
            percent = done * 100 // total
            if percent // 5 > shown // 5 or done == total:
                shown = percent
                filled = BAR_WIDTH * done // total
                bar = "#" * filled + "." * (BAR_WIDTH - filled)
                self.stdout.write(f"[{bar}] {percent:3d}%  {done:,} of {total:,}")

        try:
            result = imports.apply(plan=plan, by=user, progress=progress)
        except imports.ImportInvalid as exc:
            raise self.refused(exc.errors) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name}: {result.created:,} new case(s), "
                f"{result.unchanged:,} unchanged, in {time.monotonic() - started:.1f}s."
            )
        )

    def _export(self, output: str | None, programme: Programme, user: User | None) -> None:
        # With --user, what that user may see (as on the export page); without, the operator
        # of the server exports the programme's cases, and the export is recorded as theirs.
        cases = (cases_visible_to(user) if user else Case.objects).filter(programme=programme)
        purpose = f"case export of {programme.name} from the command line"
        if not output:
            exports.export_cases(cases=cases, out=self.stdout, by=user, purpose=purpose)
            return
        # A byte order mark, so that Excel reads the file as UTF-8.
        with open(output, "w", newline="", encoding="utf-8-sig") as f:
            count = exports.export_cases(cases=cases, out=f, by=user, purpose=purpose)
        self.stdout.write(self.style.SUCCESS(f"Exported {count:,} case(s) to {output}."))
