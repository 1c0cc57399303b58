"""`safehold crime import PATH…`, `safehold crime recover` and the analyses: `safehold crime
summary|trend|compare|top|seasonal|repeats|hotspots …` (docs/how-to/load-police-data.md,
docs/formats/crime-summary.md).

Import reads police.uk CSVs, folders and download zips, all or nothing, with a progress bar on
standard error. Recover finishes or undoes an import that was interrupted while swapping its
files in, and removes staging folders left behind (every import does so first, too). Analyses print CSV or JSON to standard output unless --output is given; each
is recorded in the audit log as one consultation.
"""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from tqdm import tqdm

from safehold.accounts.models import User
from safehold.audit.choices import Channel
from safehold.crime import formats, queries
from safehold.crime.analyses import Request, analyse, record_consultation
from safehold.crime.ingest import ImportRefused, import_police_files, recovery
from safehold.crime.police_hotspots import ALPHAS, RADII, STUDY_AREAS
from safehold.hotspots.grid import DEFAULT_CELL_SIZE
from safehold.imports.commands import ImportCommand


def _types(values: list[str] | None) -> list[str]:
    return [t.strip() for v in values or [] for t in v.split(",") if t.strip()]


class Command(ImportCommand):
    help = (
        "police.uk crime data: `crime import PATH…`, `crime recover` and "
        "`crime summary|trend|compare|top|seasonal|repeats|hotspots`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser(
            "import",
            help="Import police.uk street, outcomes and stop-and-search files: CSVs, folders or "
            "the police.uk zip. All or nothing; a force-month imported again is replaced.",
        )
        load.add_argument("paths", nargs="+", metavar="PATH")
        load.add_argument("--user", help="Attribute the import to this user (email address).")
        sub.add_parser(
            "recover",
            help="Finish or undo an import interrupted while swapping its files in, remove "
            "staging folders left by stopped imports and count street files that have no counts "
            "kept (every import does this first).",
        )

        def analysis(name: str, help: str, choices=formats.FORMATS):
            p = sub.add_parser(name, help=help)
            p.add_argument("--from", dest="start", metavar="YYYY-MM", help="First month.")
            p.add_argument("--to", dest="end", metavar="YYYY-MM", help="Last month.")
            p.add_argument(
                "--crime-type",
                action="append",
                metavar="TYPE",
                help="Only this crime type (repeat it, or separate types with commas).",
            )
            p.add_argument("--format", choices=choices, default="csv")
            p.add_argument("--output", "-o", help="Write to this file, not standard output.")
            p.add_argument("--user", help="Record the consultation as this user (email).")
            return p

        summary = analysis("summary", "Counts grouped by month, crime type, outcome or area.")
        summary.add_argument(
            "--group-by",
            default="month",
            help=f"Comma-separated keys: {', '.join(queries.GROUP_KEYS)} (default: month).",
        )
        summary.add_argument("--area", help="Only this area (a code or a force).")
        summary.add_argument(
            "--rates", action="store_true", help="Add population and rate_per_1000."
        )
        trend = analysis("trend", "Monthly counts, year-on-year change, rolling 12 months.")
        trend.add_argument("--area")
        compare = analysis("compare", "An area against Greater Manchester and England and Wales.")
        compare.add_argument("--area", required=True)
        top = analysis("top", "The areas with the most crime, or the highest rate.")
        top.add_argument("--level", choices=queries.AREA_KEYS, default="ward")
        top.add_argument("--by", choices=("count", "rate"), default="count")
        top.add_argument("--limit", type=int, default=10)
        top.add_argument("--within", dest="area", help="Only areas inside this one.")
        seasonal = analysis("seasonal", "The profile by month of year (summer, Halloween, …).")
        seasonal.add_argument("--area")
        repeats = analysis("repeats", "Places with repeated crime (the same location).")
        repeats.add_argument("--area")
        repeats.add_argument("--min-count", type=int, default=2)
        repeats.add_argument("--limit", type=int, default=50)
        hotspots = analysis(
            "hotspots",
            "Getis-Ord Gi* hot and cold spots of the crimes' (anonymised) points on a grid.",
            choices=(*formats.FORMATS, "geojson"),
        )
        hotspots.add_argument("--area", help="Only this area; the grid covers its extent.")
        hotspots.add_argument(
            "--cell-size", type=float, default=DEFAULT_CELL_SIZE, help="Metres (default 250)."
        )
        hotspots.add_argument("--radius", type=int, choices=RADII, default=1)
        hotspots.add_argument(
            "--alpha",
            type=float,
            choices=ALPHAS,
            default=0.10,
            help="Show cells with a q-value at or below this (0.1, 0.05 or 0.01).",
        )
        hotspots.add_argument("--study-area", choices=tuple(STUDY_AREAS), default="area")

    def handle(self, *args, subcommand: str, **options):
        user = self.user_of(options.get("user"))
        if subcommand == "import":
            self._import(options["paths"], user)
        elif subcommand == "recover":
            self._recover()
        else:
            self._analyse(subcommand, options, user)

    def _import(self, paths: list[str], user: User | None) -> None:
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:  # files are checked first; the bar starts with their conversion
                bar = tqdm(
                    total=total, unit="B", unit_scale=True, desc="Importing", file=sys.stderr
                )
            bar.update(done - bar.n)

        try:
            result = import_police_files(paths=paths, by=user, progress=progress)
        except ImportRefused as exc:
            heading = f"Nothing was imported: {len(exc.errors):,} problem(s) found."
            raise self.refused(exc.errors, heading=heading) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar is not None:
                bar.close()
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(result.rows_by_kind().items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(result.files):,} file(s) in {result.seconds:.1f}s: "
                f"{result.rows:,} rows ({kinds})."
            )
        )
        new = len(result.files) - result.replaced
        self.stdout.write(
            f"  {new:,} new force-month(s), {result.replaced:,} replaced.\n"
            f"  {result.placed:,} row(s) without an LSOA placed by their coordinates; "
            f"{result.unplaced:,} row(s) have no LSOA (no location, or outside the geography "
            "loaded)."
        )

    def _recover(self) -> None:
        done = recovery.recover()
        for run in done.finished:
            self.stdout.write(f"Finished import run {run}: its files were all in the store.")
        for run in done.undone:
            self.stdout.write(f"Undid import run {run}: the files it had swapped in were put back.")
        if done.staging_removed:
            self.stdout.write(f"Removed {len(done.staging_removed):,} staging folder(s).")
        if done.counted:
            self.stdout.write(f"Counted {len(done.counted):,} street file(s) that had no counts.")
        if not (done.finished or done.undone or done.staging_removed or done.counted):
            self.stdout.write("Nothing to recover.")

    def _analyse(self, name: str, options: dict, user: User | None) -> None:
        request = Request(
            start=options.get("start"),
            end=options.get("end"),
            crime_types=_types(options.get("crime_type")),
            area=options.get("area"),
            group_by=[k for k in (options.get("group_by") or "").split(",") if k.strip()],
            rates=bool(options.get("rates")),
            level=options.get("level") or "ward",
            by=options.get("by") or "count",
            limit=options.get("limit") or 10,
            min_count=options.get("min_count") or 2,
            cell_size=options.get("cell_size") or DEFAULT_CELL_SIZE,
            radius=options.get("radius") or 1,
            alpha=options.get("alpha") or 0.10,
            study_area=options.get("study_area") or "area",
        )
        try:
            result = analyse(queries.connect(), name, request)
        except queries.QueryError as exc:
            raise CommandError(str(exc)) from exc
        fmt, output = options["format"], options.get("output")
        content = result.render(fmt)
        record_consultation(
            actor=user, result=result, fmt=fmt, channel=Channel.CLI, to=output or ""
        )
        if output:
            Path(output).write_text(content, encoding="utf-8")
            self.stderr.write(f"Wrote the crime {name} ({fmt}) to {output}")
        else:
            self.stdout.write(content, ending="")
