"""`safehold meetings agenda MEETING --user EMAIL --format pdf|json [--output FILE]`, and
`safehold meetings series add NAME --agreement TITLE --user EMAIL` (a new standing meeting,
chaired by the user's agency; its meetings are then scheduled on the pages).

MEETING is the meeting's id, or its series' name and date in one argument,
"Wigan organised crime partnership meeting 2023-06-06". The agenda (and, for pdf, the whole
meeting pack) is built as the user named by --user may see it, through their gates: the
command line never shows more than that user's pages. See docs/how-to/run-the-monthly-meeting.md.
"""

import datetime
import re
import sys
import uuid
from pathlib import Path

from django.core.management.base import CommandError

from safehold import audit
from safehold.audit.choices import Action as AuditAction
from safehold.audit.choices import Channel
from safehold.audit.services import audit_context
from safehold.core.errors import NotPermitted, ServiceError
from safehold.imports.commands import ImportCommand
from safehold.meetings import pack, selectors, services
from safehold.meetings.models import Meeting
from safehold.sharing.selectors import agreements_visible_to

_NAMED = re.compile(r"^(?P<series>.+?)\s+(?P<day>\d{4}-\d{2}-\d{2})$")


class Command(ImportCommand):
    help = (
        "Partnership meetings: `meetings agenda MEETING --user EMAIL --format json|pdf` and "
        "`meetings series add NAME --agreement TITLE --user EMAIL`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        agenda = sub.add_parser(
            "agenda", help="A meeting's agenda (json) or its meeting pack (pdf) for a user."
        )
        agenda.add_argument(
            "meeting", help="The meeting's id, or “SERIES NAME YYYY-MM-DD” in one argument."
        )
        agenda.add_argument("--format", choices=("json", "pdf"), default="json")
        agenda.add_argument("--output", "-o", help="Write to this file (needed for pdf).")
        self.add_user_argument(
            agenda, help="Build it as this user may see it (email address; required)."
        )

        series = sub.add_parser("series", help="Standing meetings.")
        actions = series.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Set up a series chaired by the user's agency.")
        add.add_argument("name", help="e.g. “Wigan organised crime partnership meeting”.")
        add.add_argument("--agreement", required=True, help="The sharing agreement's title.")
        self.add_user_argument(add, help="The chairing agency's user (email address; required).")

    def handle(self, *args, **options):
        user = self.user_of(options["user"])
        if user is None:
            raise CommandError("Give --user EMAIL: the work is that user's")
        if options["subcommand"] == "series":
            self._add_series(options, user)
            return
        fmt = options["format"]
        if fmt == "pdf" and not options["output"]:
            raise CommandError("--format pdf needs --output FILE")
        meeting = self._meeting(options["meeting"], user)
        with audit_context(channel=Channel.CLI):
            found = pack.contents(meeting, user)
            records, subjects = pack.audited_records(found)
            audit.record(
                action=AuditAction.CONSULT, actor=user, target=meeting, targets=records,
                subjects=subjects, purpose=f"meeting agenda ({fmt})", channel=Channel.CLI,
            )  # fmt: skip
        content = pack.to_pdf(found) if fmt == "pdf" else pack.to_json(found).encode()
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"Wrote the agenda of {meeting} ({fmt}) to {options['output']}")
        else:
            sys.stdout.write(content.decode() + "\n")

    def _add_series(self, options, user) -> None:
        agreement = agreements_visible_to(user).filter(title=options["agreement"]).first()
        if agreement is None:
            raise CommandError(f"{user.agency.name} is not a party to “{options['agreement']}”")
        try:
            with audit_context(channel=Channel.CLI):
                series = services.create_series(name=options["name"], agreement=agreement, by=user)
        except (ServiceError, NotPermitted) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Set up “{series.name}” ({series.pk}), chaired by {user.agency.name}.")

    @staticmethod
    def _meeting(given: str, user) -> Meeting:
        visible = selectors.meetings_visible_to(user)
        try:
            pk = uuid.UUID(given.strip())
        except ValueError:
            named = _NAMED.match(given.strip())
            if named is None:
                raise CommandError(
                    f"“{given}” is neither a meeting's id nor “SERIES NAME YYYY-MM-DD”"
                ) from None
            try:
                day = datetime.date.fromisoformat(named["day"])
            except ValueError:
                raise CommandError(f"“{named['day']}” is not a date") from None
            meeting = visible.filter(series__name__iexact=named["series"], held_on=day).first()
        else:
            meeting = visible.filter(pk=pk).first()
        if meeting is None:
            raise CommandError(f"{user.email} has no meeting “{given}”")
        return meeting
