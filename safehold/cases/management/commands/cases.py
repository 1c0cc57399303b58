"""`safehold cases import FILE.csv` and `safehold cases export`: historic cases as CSV; and
`safehold cases programme add NAME --lead-agency AGENCY --triage-team TEAM [--asb-team TEAM]`
and `… programme list`: setting up a casework programme on a new installation.

The format is docs/formats/cases-csv.md. Import checks the whole file first and writes nothing
if any row is wrong; importing the same file again changes nothing.
"""

import time
from pathlib import Path

from django.core.management.base import CommandError

from safehold.accounts.models import Agency, Team, User
from safehold.cases import exports, imports
from safehold.cases.models import Case, Programme
from safehold.cases.selectors import cases_visible_to
from safehold.cases.services import cases as case_services
from safehold.cases.services.referrals import default_programme
from safehold.core.errors import ServiceError
from safehold.imports.commands import ImportCommand

BAR_WIDTH = 20


class Command(ImportCommand):
    help = (
        "Historic cases as CSV: `cases import FILE.csv` and `cases export [--output FILE]`; "
        "programmes: `cases programme add NAME --lead-agency AGENCY --triage-team TEAM` and "
        "`cases programme list`."
    )

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
        programme = sub.add_parser("programme", help="Casework programmes.")
        actions = programme.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Set up a casework programme.")
        add.add_argument("name", help="The programme's name, e.g. “Exploitation project”.")
        add.add_argument("--lead-agency", required=True, help="The agency that owns its cases.")
        add.add_argument(
            "--triage-team", required=True, help="The lead agency's team that triages."
        )
        add.add_argument(
            "--asb-team", help="The lead agency's team that takes cases refused to engage."
        )
        add.add_argument(
            "--reference-prefix", default="EXP", help="Case references PREFIX-YYYY-NNNN (EXP)."
        )
        actions.add_parser("list", help="List the programmes.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "programme":
            getattr(self, f"_programme_{options['action']}")(**options)
            return
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
            raise CommandError(
                "There is no programme yet: set one up with `safehold cases programme add` "
                "(docs/how-to/deploy.md) before importing cases"
            )
        return programme

    def _programme_add(
        self, *, name, lead_agency, triage_team, asb_team, reference_prefix, **options
    ) -> None:
        agency = Agency.objects.filter(name__iexact=" ".join(lead_agency.split())).first()
        if agency is None:
            known = ", ".join(Agency.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"There is no agency called {lead_agency} (agencies: {known})")
        triage, asb = (
            self._team(agency, team) if team else None for team in (triage_team, asb_team)
        )
        try:
            programme = case_services.create_programme(
                name=name, lead_agency=agency, triage_team=triage, asb_team=asb,
                reference_prefix=reference_prefix, by=None,
            )  # fmt: skip
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Set up {programme.name}, led by {agency.name}: referrals go to "
                f"{triage.name}; cases are numbered {programme.reference_prefix}-YYYY-NNNN."
            )
        )

    @staticmethod
    def _team(agency: Agency, name: str) -> Team:
        team = Team.objects.filter(agency=agency, name__iexact=" ".join(name.split())).first()
        if team is None:
            raise CommandError(
                f"{agency.name} has no team called {name}; add it first with "
                f'`safehold accounts team add NAME --agency "{agency.name}"`'
            )
        return team

    def _programme_list(self, **options) -> None:
        programmes = Programme.objects.select_related("lead_agency", "triage_team", "asb_team")
        if not programmes:
            self.stdout.write("No programmes yet: set one up with `safehold cases programme add`.")
        for p in programmes.order_by("name"):
            asb = f", ASB team {p.asb_team.name}" if p.asb_team else ""
            self.stdout.write(
                f"{p.name}  led by {p.lead_agency.name}  triage team {p.triage_team.name}{asb}  "
                f"{p.reference_prefix}-YYYY-NNNN"
            )

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
