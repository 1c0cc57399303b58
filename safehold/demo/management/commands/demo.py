"""`safehold demo load` builds the demo partnership; `safehold demo sign-ins` lists its users."""

from django.core.management.base import BaseCommand

from safehold.demo import partnership


class Command(BaseCommand):
    help = "The demo partnership (synthetic data only)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="Create the demo agencies, users, people and places.")
        load.add_argument("--seed", type=int, default=2022, help="Random seed (default 2022).")
        sub.add_parser("sign-ins", help="Print the demo users and their password.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "load":
            if partnership.is_loaded():
                self.stdout.write("The demo partnership is already loaded.")
                return
            counts = partnership.load(seed=options["seed"])
            self.stdout.write(
                self.style.SUCCESS(
                    "Loaded the demo partnership: {agencies} agencies, {users} users, "
                    "{people} people, {places} places, {cases} cases.".format(**counts)
                )
            )
        elif subcommand == "sign-ins":
            width = max(len(u.email) for u in partnership.USERS)
            self.stdout.write(
                f"\nDemo sign-ins (password for every user: {partnership.DEMO_PASSWORD})\n"
            )
            for u in partnership.USERS:
                self.stdout.write(f"  {u.email.ljust(width)}  {u.role.label:<31} {u.agency}")
            self.stdout.write("\nOpen http://127.0.0.1:8000 and sign in.\n")
