"""`safehold accounts agency add NAME --kind KIND`, `… agency list`,
`… team add NAME --agency AGENCY`, `… team list [--agency AGENCY]`,
`… user add EMAIL --name NAME --agency AGENCY --role ROLE [--team TEAM]`,
`… user list [--agency AGENCY]`, `… user reset-two-factor EMAIL`.

How a new installation gets its first agency and administrator (docs/how-to/deploy.md); the
changes go through the accounts services, so each is audited like one made on a page.
"""

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.db.models import Count

from safehold.accounts import services
from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.models import Agency, Team, User


def _choices(choices) -> str:
    return ", ".join(choices.values)


class Command(BaseCommand):
    help = "Agencies and users: add the first ones to a new installation, and list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subject", required=True)

        agency = sub.add_parser("agency", help="Partner agencies.")
        agency_actions = agency.add_subparsers(dest="action", required=True)
        add = agency_actions.add_parser("add", help="Add a partner agency.")
        add.add_argument("name", help="The agency's name, e.g. “Stockport Homes”.")
        add.add_argument(
            "--kind", required=True, choices=AgencyKind.values, help="What kind of agency it is."
        )
        agency_actions.add_parser("list", help="List the agencies.")

        team = sub.add_parser("team", help="Teams within agencies.")
        team_actions = team.add_subparsers(dest="action", required=True)
        add = team_actions.add_parser("add", help="Add a team to an agency.")
        add.add_argument("name", help="The team's name, e.g. “Exploitation team”.")
        add.add_argument("--agency", required=True, help="The name of its agency.")
        listing = team_actions.add_parser("list", help="List the teams.")
        listing.add_argument("--agency", default="", help="Only this agency's teams.")

        user = sub.add_parser("user", help="Users.")
        user_actions = user.add_subparsers(dest="action", required=True)
        add = user_actions.add_parser(
            "add",
            help="Add a user; they set up two-factor sign-in the first time they sign in.",
        )
        add.add_argument("email", help="The address they sign in with.")
        add.add_argument("--name", required=True, help="Their full name.")
        add.add_argument("--agency", required=True, help="The name of their agency.")
        add.add_argument("--role", required=True, choices=Role.values, help="Their one role.")
        add.add_argument("--job-title", default="", help="Their job title (optional).")
        add.add_argument(
            "--team", action="append", default=[], help="A team of their agency (repeatable)."
        )
        add.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input (for scripts) instead of asking twice.",
        )
        listing = user_actions.add_parser("list", help="List the users.")
        listing.add_argument("--agency", default="", help="Only this agency's users.")
        reset = user_actions.add_parser(
            "reset-two-factor",
            help="Reset a user's two-factor sign-in (a lost phone): they set it up again the "
            "next time they sign in, and are signed out now.",
        )
        reset.add_argument("email", help="The address they sign in with.")

    def handle(self, *args, subject: str, action: str, **options):
        getattr(self, f"_{subject}_{action.replace('-', '_')}")(**options)

    # --- agencies ---------------------------------------------------------------------------

    def _agency_add(self, *, name: str, kind: str, **options):
        name = " ".join(name.split())
        if not name:
            raise CommandError("Give the agency's name")
        if Agency.objects.filter(name__iexact=name).exists():
            raise CommandError(f"There is already an agency called {name}")
        agency = services.create_agency(name=name, kind=kind)
        self.stdout.write(self.style.SUCCESS(f"Added {agency.name} ({agency.get_kind_display()})."))

    def _agency_list(self, **options):
        agencies = Agency.objects.annotate(user_count=Count("users")).order_by("name")
        if not agencies:
            self.stdout.write("No agencies yet: add one with `safehold accounts agency add`.")
        for agency in agencies:
            users = agency.user_count
            self.stdout.write(
                f"{agency.name}  {agency.get_kind_display()}  {users} user{'' if users == 1 else 's'}"
            )

    # --- teams ------------------------------------------------------------------------------

    def _team_add(self, *, name: str, agency: str, **options):
        found = self._agency(agency)
        try:
            team = services.create_team(agency=found, name=name)
        except services.TeamError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Added the team {team.name} to {found.name}."))

    def _team_list(self, *, agency: str, **options):
        teams = Team.objects.select_related("agency").annotate(member_count=Count("members"))
        if agency:
            teams = teams.filter(agency=self._agency(agency))
        if not teams:
            self.stdout.write("No teams yet: add one with `safehold accounts team add`.")
        for team in teams.order_by("agency__name", "name"):
            members = team.member_count
            self.stdout.write(
                f"{team.name}  {team.agency.name}  {members} member{'' if members == 1 else 's'}"
            )

    def _agency(self, name: str) -> Agency:
        try:
            return Agency.objects.get(name__iexact=" ".join(name.split()))
        except Agency.DoesNotExist as exc:
            known = ", ".join(Agency.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(
                f"There is no agency called {name} (agencies: {known}); add it first with "
                "`safehold accounts agency add NAME --kind KIND`"
            ) from exc

    # --- users ------------------------------------------------------------------------------

    def _user_add(
        self,
        *,
        email: str,
        name: str,
        agency: str,
        role: str,
        job_title: str,
        password_stdin: bool,
        team: list[str] = (),
        **options,
    ):
        email = email.strip().lower()
        name = " ".join(name.split())
        if "@" not in email:
            raise CommandError(f"“{email}” is not an email address")
        if not name:
            raise CommandError("Give the user's full name")
        found = self._agency(agency)
        teams = []
        for team_name in team:
            try:
                teams.append(
                    Team.objects.get(agency=found, name__iexact=" ".join(team_name.split()))
                )
            except Team.DoesNotExist as exc:
                raise CommandError(
                    f"{found.name} has no team called {team_name}; add it first with "
                    f'`safehold accounts team add NAME --agency "{found.name}"`'
                ) from exc
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"There is already a user with the email address {email}")
        password = self._password(password_stdin)
        try:
            validate_password(password, User(email=email, full_name=name, agency=found, role=role))
        except ValidationError as exc:
            raise CommandError(
                "The password is not strong enough: " + " ".join(exc.messages)
            ) from exc
        try:
            user = services.create_user(
                email=email,
                full_name=name,
                agency=found,
                role=role,
                password=password,
                job_title=job_title.strip(),
                teams=teams,
            )
        except IntegrityError as exc:  # added by someone else since the check above
            raise CommandError(f"There is already a user with the email address {email}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {user.full_name} <{user.email}>, {user.get_role_display()} at "
                f"{found.name}. They set up two-factor sign-in the first time they sign in."
            )
        )

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input")
            return password
        if not sys.stdin.isatty():
            raise CommandError("Cannot ask for a password without a terminal: use --password-stdin")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The two passwords are not the same; nothing was added")
        return first

    def _user_reset_two_factor(self, *, email: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"There is no user {email.strip()}")
        services.reset_two_factor(user=user, by=None)
        self.stdout.write(f"Two-factor sign-in reset for {user.email}")

    def _user_list(self, *, agency: str, **options):
        users = User.objects.select_related("agency").order_by("agency__name", "full_name")
        if agency:
            users = users.filter(agency__name__iexact=" ".join(agency.split()))
        for user in users:
            state = "" if user.is_active else "  (disabled)"
            self.stdout.write(
                f"{user.email}  {user.full_name}  {user.get_role_display()}  "
                f"{user.agency.name}{state}"
            )
