"""`safehold notifications deadlines`: tell each user about their own deadlines tomorrow.

Run it once a day from cron (docs/how-to/deploy.md). It is idempotent: a deadline's notice is
given once, however often the command runs.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from safehold.core import dates
from safehold.notifications import services


class Command(BaseCommand):
    help = "Notifications. `notifications deadlines` tells users about tomorrow's deadlines."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        deadlines = sub.add_parser(
            "deadlines",
            help="Give each user a notice (and an e-mail if they chose it) for each of their "
            "own deadlines tomorrow; a re-run sends nothing twice.",
        )
        deadlines.add_argument(
            "--today", default="", help="The day to run as, YYYY-MM-DD (default: today)."
        )

    def handle(self, *args, subcommand: str, today: str, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else dates.today()
        except ValueError as error:
            raise CommandError("Give --today as YYYY-MM-DD, for example 2026-12-07") from error
        sent = services.send_deadline_notices(today=day)
        self.stdout.write(f"{sent} deadline notice(s) for {day + datetime.timedelta(days=1)}.")
