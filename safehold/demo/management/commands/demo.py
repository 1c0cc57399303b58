"""`safehold demo load` builds the demo partnership, its incident log and its police.uk data
(Stockport's burglaries), and enrols its users' authenticator apps; `safehold demo sign-ins`
lists its users; `safehold demo code EMAIL` prints a demo user's current two-factor code."""

import pyotp
from django.core.management.base import BaseCommand, CommandError

from safehold.accounts.models import TotpDevice, User
from safehold.crime.ingest.history import month_ranges
from safehold.demo import authenticators, partnership
from safehold.demo import crime as demo_crime
from safehold.demo import enforcement as demo_enforcement
from safehold.demo import incidents as demo_incidents
from safehold.demo import intelligence as demo_intelligence
from safehold.demo import linkage as demo_linkage
from safehold.demo import meetings as demo_meetings
from safehold.demo import networks as demo_networks
from safehold.demo import operations as demo_operations
from safehold.demo import reassurance as demo_reassurance
from safehold.demo import risk as demo_risk

DEMO_EMAIL_SUFFIX = authenticators.DEMO_EMAIL_SUFFIX


class Command(BaseCommand):
    help = "The demo partnership (synthetic data only)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser(
            "load",
            help="Create the demo agencies, users, people and places, the invented incident log "
            "and the police.uk burglaries of Stockport (each once).",
        )
        load.add_argument("--seed", type=int, default=2022, help="Random seed (default 2022).")
        sign_ins = sub.add_parser("sign-ins", help="Print the demo users and their password.")
        sign_ins.add_argument(
            "--address",
            default="http://127.0.0.1:8000",
            help="The address the server answers on, to print (make run gives its HOST:PORT).",
        )
        code = sub.add_parser(
            "code", help="Print a demo user's current two-factor code (demo users only)."
        )
        code.add_argument("email", help="A demo user's email address.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "load":
            if partnership.is_loaded():
                partnership.load_performance()  # idempotent: adds what a newer Safehold brings
                self.stdout.write("The demo partnership is already loaded.")
            else:
                counts = partnership.load(seed=options["seed"])
                self.stdout.write(
                    self.style.SUCCESS(
                        "Loaded the demo partnership: {agencies} agencies, {users} users, "
                        "{people} people, {places} places, {cases} cases.".format(**counts)
                    )
                )
            self._load_incidents(options["seed"])
            self._load_police_data()
            self._load_closure_order()
            if demo_reassurance.load(seed=options["seed"]) is not None:
                self.stdout.write(self.style.SUCCESS("Loaded the demo reassurance letters."))
            self._load_operations()
            if not demo_meetings.is_loaded():
                demo_meetings.load()
            if not demo_intelligence.is_loaded():
                loaded = demo_intelligence.load()
                self.stdout.write(self.style.SUCCESS(f"Loaded {loaded} demo intelligence reports."))
            if not demo_networks.is_loaded():
                groups = demo_networks.load(seed=options["seed"])
                self.stdout.write(
                    self.style.SUCCESS(f"Loaded {groups} demo organised crime groups.")
                )
            if not demo_linkage.is_loaded():
                run = demo_linkage.load(seed=options["seed"])
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Loaded the demo partner extracts and linked {run.record_count} records "
                        f"into {run.cluster_count} people ({run.review_pair_count} pairs for review)."
                    )
                )
            if not demo_risk.is_loaded():
                tenant = demo_risk.load()
                if tenant:
                    self.stdout.write(
                        self.style.SUCCESS(
                            "Loaded the demo top indicators list's extracts (in Brinnington: "
                            f"{tenant}, a tenant with rising arrears, a learning disability and "
                            "two ASB reports)."
                        )
                    )
            enrolled = authenticators.enrol([u.email for u in partnership.USERS])
            if enrolled:
                self.stdout.write(f"Enrolled the authenticator apps of {enrolled} demo users.")
        elif subcommand == "sign-ins":
            width = max(len(u.email) for u in partnership.USERS)
            self.stdout.write(
                f"\nDemo sign-ins (password for every user: {partnership.DEMO_PASSWORD})\n"
            )
            for u in partnership.USERS:
                self.stdout.write(f"  {u.email.ljust(width)}  {u.role.label:<31} {u.agency}")
            self.stdout.write(
                "\nWhen the sign-in asks for the code from your authenticator app, run "
                "`.venv/bin/safehold demo code EMAIL` for the user's current code.\n"
            )
            self.stdout.write(f"\nOpen {options['address']} and sign in.\n")
        elif subcommand == "code":
            self.stdout.write(self._code(options["email"]))

    def _load_incidents(self, seed: int) -> None:
        """The invented incident log, in its own transaction after the partnership's (it writes
        a Parquet file beside its audit event; ADR 0014)."""
        importer = User.objects.filter(email=demo_incidents.IMPORTER).first()
        result = demo_incidents.load(seed=seed, by=importer)
        if result is None:
            self.stdout.write("The demo incident log is already loaded.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo incident log: {result.total:,} incidents for {result.source}."
                )
            )

    def _load_closure_order(self) -> None:
        """A closure order with its exhibits, so its application bundle builds (issue 15)."""
        order = demo_enforcement.load()
        if order is not None:
            self.stdout.write(
                self.style.SUCCESS(f"Added a closure order with its exhibits to {order.case}.")
            )

    def _load_operations(self) -> None:
        """The Mottram Estate warrants day and the Wigan-style run of 2023 (once)."""
        loaded = demo_operations.load()
        if loaded is None:
            self.stdout.write("The demo operations are already loaded.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo operations: {loaded['imported']} days of action of 2023 "
                    "and the Mottram Estate warrants day."
                )
            )

    def _load_police_data(self) -> None:
        """Stockport's real burglaries (police.uk, shipped with Safehold) into the analytics
        store, once; never over files someone else imported for the same force-months."""
        importer = User.objects.filter(email=demo_crime.IMPORTER).first()
        result, before = demo_crime.load(by=importer)
        if result is not None:
            months = month_ranges(f.partition.month for f in result.files)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo police.uk data: {result.rows:,} burglaries in Stockport, "
                    f"{months} ({len(result.files)} force-months), {result.placed:,} placed "
                    "by their coordinates."
                )
            )
        elif before.other:
            shown = ", ".join(str(p) for p in before.other[:3])
            more = f" and {len(before.other) - 3} more" if len(before.other) > 3 else ""
            self.stdout.write(
                f"The analytics store holds other police.uk files for {len(before.other)} of "
                f"the demo's force-months ({shown}{more}): the demo burglaries were not "
                "loaded over them."
            )
        else:
            self.stdout.write("The demo police.uk data is already loaded.")

    def _code(self, email: str) -> str:
        email = email.strip().lower()
        if not email.endswith(DEMO_EMAIL_SUFFIX):
            raise CommandError(
                f"Codes are printed only for demo users (emails ending {DEMO_EMAIL_SUFFIX})"
            )
        device = TotpDevice.objects.filter(user__email=email).first()
        if device is None:
            raise CommandError(
                f"{email} has no authenticator app (its two-factor sign-in was reset, or the "
                "demo is not loaded): run `safehold demo load`, or sign in and set it up"
            )
        return pyotp.TOTP(device.secret).now()
