"""The base of the `safehold` commands that import files (`cases import`, `kpi import-*`,
`crime import`): who the work is attributed to (`--user EMAIL`), reading the file, and the
report of a refused file, the same in every command."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safehold.accounts.models import User

MAX_ERRORS_SHOWN = 50


class ImportCommand(BaseCommand):
    max_errors_shown = MAX_ERRORS_SHOWN

    @staticmethod
    def add_user_argument(
        parser, help: str = "Attribute the work to this user (email address)."
    ) -> None:
        parser.add_argument("--user", help=help)

    @staticmethod
    def user_of(email: str | None) -> User | None:
        """The user named by --user (nobody without it: the work is the operator's)."""
        if not email:
            return None
        user = User.objects.select_related("agency").filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"There is no user with the email address {email}")
        return user

    @staticmethod
    def date_argument(value: str | None, flag: str) -> datetime.date | None:
        """A --from/--to argument as a date (None if not given), or an error naming the flag."""
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"{flag}: “{value}” is not a date in the format YYYY-MM-DD") from exc

    @staticmethod
    def read_file(path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc

    def refused(self, errors: list, *, heading: str | None = None) -> CommandError:
        """The error a refused file ends the command with: every problem up to a limit."""
        lines = [heading or f"The file has {len(errors):,} problem(s); nothing was imported:"]
        lines += [f"  {e}" for e in errors[: self.max_errors_shown]]
        if len(errors) > self.max_errors_shown:
            lines.append(f"  … and {len(errors) - self.max_errors_shown:,} more")
        return CommandError("\n".join(lines))
