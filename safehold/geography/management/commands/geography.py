"""`safehold geography load-stockport`: load the Stockport wards, LSOAs and neighbourhoods."""

from django.core.management.base import BaseCommand

from safehold.geography.services import load_stockport_extract


class Command(BaseCommand):
    help = "Geography lookups. `geography load-stockport` loads the extract shipped with Safehold."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "load-stockport", help="Load Stockport's wards, LSOAs and neighbourhood areas."
        )

    def handle(self, *args, subcommand: str, **options):
        counts = load_stockport_extract()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {counts['wards']} wards, {counts['lsoas']} LSOAs and "
                f"{counts['neighbourhoods']} neighbourhood areas."
            )
        )
