"""`safehold maintenance on [--reason TEXT] | off | status` (ADR 0062): the read-only flag
every web server and worker sharing the data folder sees at once."""

from django.core.management.base import BaseCommand
from django.db import DatabaseError, transaction

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core import maintenance


class Command(BaseCommand):
    help = "Read-only maintenance mode: `maintenance on|off|status`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        on = sub.add_parser("on", help="Refuse every change in pages and the API; reading goes on.")
        on.add_argument("--reason", default="", help="Why (kept with the flag and audited).")
        sub.add_parser("off", help="Let changes through again.")
        sub.add_parser("status", help="Say whether Safehold is read-only, since when and why.")

    def handle(self, *args, subcommand: str, **options):
        getattr(self, f"_{subcommand}")(**options)

    def _audit(self, purpose: str) -> None:
        # Recorded when the database can take it: maintenance is also for when it cannot.
        try:
            with transaction.atomic():
                audit.record(
                    action=Action.ALTER,
                    object_type="safehold.maintenance",
                    purpose=purpose,
                    channel=Channel.CLI,
                )
        except DatabaseError as exc:
            self.stderr.write(f"The audit event could not be written ({exc}); carrying on.")

    def _on(self, *, reason: str, **options):
        was_on = maintenance.is_on()
        status = maintenance.switch_on(reason=reason)
        if was_on:
            self.stdout.write(
                f"Safehold was already read-only, since {status.since:%Y-%m-%d %H:%M} UTC."
            )
            return
        self._audit("maintenance on: pages and the API refuse changes")
        self.stdout.write(
            self.style.SUCCESS(
                "Safehold is read-only: pages and the API refuse changes, workers start no new "
                "job. `safehold maintenance off` ends it."
            )
        )

    def _off(self, **options):
        if not maintenance.switch_off():
            self.stdout.write("Safehold was not in maintenance: nothing changed.")
            return
        self._audit("maintenance off: changes allowed again")
        self.stdout.write(self.style.SUCCESS("Safehold takes changes again."))

    def _status(self, **options):
        status = maintenance.status()
        if not status.on:
            self.stdout.write("Safehold is not in maintenance: changes are allowed.")
            return
        since = f" since {status.since:%Y-%m-%d %H:%M} UTC" if status.since else ""
        reason = f" ({status.reason})" if status.reason else ""
        self.stdout.write(f"Safehold is read-only for maintenance{since}{reason}.")
