"""`safehold postcodes load FILE [--user EMAIL]` and `safehold postcodes find POSTCODE`: the
postcode points behind the place look-up and incident logs (docs/formats/postcodes.md).

FILE is OS Code-Point Open (one area's CSV, or the national zip as published), the ONS Postcode
Directory or a postcodes.io extract; it is checked whole and loaded all or nothing.
"""

from pathlib import Path

from django.core.management.base import CommandError

from safehold.core.csvfiles import ImportInvalid
from safehold.core.errors import ServiceError
from safehold.geography import postcodes
from safehold.geography.postcode_files import load_postcode_points
from safehold.imports.commands import ImportCommand


class Command(ImportCommand):
    help = "Postcode points: `postcodes load FILE`, `postcodes find POSTCODE`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser(
            "load",
            help="Add the postcodes of a file (Code-Point Open CSV or zip, ONS Postcode "
            "Directory, postcodes.io CSV) to the look-up.",
        )
        load.add_argument("file")
        self.add_user_argument(load)
        find = sub.add_parser("find", help="Where a postcode is, and its LSOA and ward.")
        find.add_argument("postcode")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "find":
            self._find(options["postcode"])
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Cannot read {path}: no such file")
        user = self.user_of(options.get("user"))
        try:
            loaded = load_postcode_points(
                source=path,
                file_name=path.name,
                by=user,
                progress=lambda done, total: self.stderr.write(
                    f"\r{done:,} of {total:,}", ending=""
                ),
            )
        except ImportInvalid as exc:
            raise self.refused(exc.errors) from exc
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {loaded.postcodes:,} postcode(s) from {path.name} "
                f"({loaded.skipped:,} row(s) without a position skipped). "
                f"The look-up holds {postcodes.coverage().description}."
            )
        )

    def _find(self, postcode: str) -> None:
        found = postcodes.look_up(postcode)
        if found is None:
            raise CommandError(f"{postcode} is not in the postcode look-up")
        p = found.place
        self.stdout.write(
            f"{found.postcode}: {p.latitude:.6f}, {p.longitude:.6f} "
            f"(easting {p.easting:.0f}, northing {p.northing:.0f}); "
            f"LSOA {found.lsoa.code if found.lsoa else 'not in the partnership'}; "
            f"ward {found.ward.name if found.ward else 'not known'}; from {p.source}"
        )
