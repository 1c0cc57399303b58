"""`safehold incidents import|sources|heatmap|seasonal|hotspots` (postcode points: `safehold postcodes load`).

Partner incident logs: import a CSV (docs/formats/incidents-csv.md; all rows or none, a
re-import changes nothing), list what is stored, and the analyses as CSV or JSON, to standard
output or --output FILE. Every import and every analysis is one audit event.
"""

import datetime
from pathlib import Path

from django.core.management.base import CommandError

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.hotspots.grid import DEFAULT_CELL_SIZE
from safehold.imports.commands import ImportCommand
from safehold.incidents import formats
from safehold.incidents.analysis import Filters
from safehold.incidents.selectors import connect, heatmap, hotspots, seasonal, summary
from safehold.incidents.services import ImportInvalid, import_incidents
from safehold.incidents.store import source_key

ANALYSES = {"heatmap": "heat map", "seasonal": "seasonal profile", "hotspots": "hot spots"}


def _date(value: str | None, flag: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{flag}: “{value}” is not a date in the format YYYY-MM-DD") from exc


class Command(ImportCommand):
    help = (
        "Partner incident logs: `incidents import FILE.csv [--source NAME]`, `incidents sources`, "
        "`incidents heatmap|seasonal|hotspots --format csv|json`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser(
            "import", help="Import an incident log: all rows or, if any is wrong, none."
        )
        load.add_argument("file", help="The CSV file (UTF-8, with a header row).")
        load.add_argument(
            "--source", help="The partner whose log this is (else the source column)."
        )
        load.add_argument("--user", help="Attribute the import to this user (email address).")
        sub.add_parser("sources", help="List the sources stored, their incidents and types.")
        for name, title in ANALYSES.items():
            p = sub.add_parser(name, help=f"The {title} of the incidents.")
            p.add_argument("--from", dest="date_from", help="First day (YYYY-MM-DD, UK time).")
            p.add_argument("--to", dest="date_to", help="Last day (YYYY-MM-DD, UK time).")
            p.add_argument(
                "--type",
                dest="types",
                action="append",
                default=[],
                help="Only this type (repeatable).",
            )
            p.add_argument(
                "--source",
                dest="sources",
                action="append",
                default=[],
                help="Only this source (repeatable).",
            )
            p.add_argument("--format", choices=formats.FORMATS, default="json")
            p.add_argument("--output", "-o", help="Write to this file.")
            p.add_argument("--user", help="Attribute the consultation to this user.")
            if name == "hotspots":
                p.add_argument(
                    "--cell-size",
                    type=float,
                    default=DEFAULT_CELL_SIZE,
                    help="Metres (default 250).",
                )
                p.add_argument(
                    "--radius", type=int, default=1, help="Neighbourhood in cells (default 1: 3x3)."
                )
                p.add_argument(
                    "--bounds", type=float, nargs=4, metavar=("MIN_E", "MIN_N", "MAX_E", "MAX_N"),
                    help="The study area in BNG metres (default: the incidents' extent).",
                )  # fmt: skip
                p.add_argument(
                    "--all-cells",
                    action="store_true",
                    help="Every cell, not only hot and cold spots.",
                )

    def handle(self, *args, subcommand: str, **options):
        user = self.user_of(options.get("user"))
        if subcommand == "import":
            self._import(Path(options["file"]), options["source"], user)
        elif subcommand == "sources":
            self._sources()
        else:
            self._analysis(subcommand, options, user)

    def _import(self, path: Path, source: str | None, user: User | None) -> None:
        data = self.read_file(path)
        try:
            result = import_incidents(data=data, source=source, by=user, file_name=path.name)
        except ImportInvalid as exc:
            raise self.refused(exc.errors) from exc
        if result.changed:
            message = (
                f"Imported {path.name} for {result.source}: {result.added:,} new, "
                f"{result.replaced:,} replaced, {result.unchanged:,} unchanged; "
                f"{result.total:,} incident(s) stored for {result.source}."
            )
        else:
            message = (
                f"Nothing changed: all {result.unchanged:,} incident(s) of {path.name} are "
                f"already stored for {result.source}."
            )
        self.stdout.write(self.style.SUCCESS(message))

    def _sources(self) -> None:
        with connect() as con:
            sources = summary(con)
        if not sources:
            self.stdout.write("No incidents stored yet: `safehold incidents import FILE.csv`.")
        for s in sources:
            types = ", ".join(f"{t} {n:,}" for t, n in s.types)
            self.stdout.write(
                f"{s.source}: {s.incidents:,} incident(s), {s.first:%Y-%m-%d} to "
                f"{s.last:%Y-%m-%d} ({types})"
            )

    def _analysis(self, kind: str, options: dict, user: User | None) -> None:
        filters = {
            "date_from": _date(options["date_from"], "--from"),
            "date_to": _date(options["date_to"], "--to"),
            "types": tuple(options["types"]),
            "sources": tuple(options["sources"]),
        }
        fmt = options["format"]
        try:
            with connect() as con:
                if kind == "heatmap":
                    result = heatmap(con, **filters)
                elif kind == "seasonal":
                    result = seasonal(con, **filters)
                else:
                    analysis = hotspots(
                        con,
                        cell_size=options["cell_size"],
                        radius=options["radius"],
                        bounds=tuple(options["bounds"]) if options["bounds"] else None,
                        **filters,
                    )
                    result = (analysis, Filters(**filters))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        content = formats.render(kind, result, fmt, all_cells=options.get("all_cells", False))
        audit.record(
            action=Action.CONSULT,
            actor=user,
            object_type="crime.incidents",
            object_ids=[source_key(s) for s in filters["sources"]] or ["all"],
            purpose=f"incident {ANALYSES[kind]} ({fmt}) from the command line",
        )
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
            self.stderr.write(f"Wrote the {ANALYSES[kind]} ({fmt}) to {options['output']}")
        else:
            self.stdout.write(content, ending="")
