"""`safehold geography load-stockport | load-gm | load FILES…`: geography lookups.

`load-stockport` fills the relational tables casework uses (wards, LSOAs, neighbourhoods).
`load-gm` and `load` fill the analytics store's geography (safehold/geography/layers.py and
ons.py): Greater Manchester from the extract shipped with Safehold, England and Wales from ONS
files.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safehold.geography import layers, ons
from safehold.geography.services import load_stockport_extract


class Command(BaseCommand):
    help = "Geography lookups: `geography load-stockport`, `geography load-gm`, `geography load FILES…`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "load-stockport", help="Load Stockport's wards, LSOAs and neighbourhood areas."
        )
        sub.add_parser(
            "load-gm", help="Load Greater Manchester's geography for crime analytics (shipped)."
        )
        load = sub.add_parser(
            "load",
            help="Load England and Wales lookups for crime analytics from ONS files, each "
            "recognised by its header.",
        )
        load.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "load-stockport":
            counts = load_stockport_extract()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {counts['wards']} wards, {counts['lsoas']} LSOAs and "
                    f"{counts['neighbourhoods']} neighbourhood areas."
                )
            )
            return
        if subcommand == "load-gm":
            s = layers.load_gm()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded Greater Manchester: {s.lsoas_2021:,} LSOAs (2021), "
                    f"{s.wards:,} wards, {s.local_authorities:,} local authorities."
                )
            )
            return
        try:
            loaded = ons.load_files([Path(f) for f in options["files"]])
        except ons.GeographyFileRefused as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        except FileNotFoundError as exc:
            raise CommandError(f"Nothing was loaded: {exc.filename}: no such file") from exc
        for f in loaded:
            self.stdout.write(f"  {f.path}: {f.description}, {f.rows:,} rows")
        s = layers.layer_summary(None, "ew")
        self.stdout.write(
            self.style.SUCCESS(
                f"England and Wales now: {s.lsoas_2021:,} LSOAs (2021), {s.lsoa_codes:,} LSOA "
                f"codes, {s.wards:,} wards, {s.local_authorities:,} local authorities, "
                f"{s.with_population:,} LSOAs with a population, {s.with_imd:,} with an IMD "
                f"decile, {s.centroids:,} centroids."
            )
        )
