"""`safehold audit verify`: check the audit hash chain and name the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from safehold.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` checks the hash chain over every event."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check the hash chain; exit 1 at the first broken event.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            report = verify_chain()
            if report.broken_event_id is not None:
                raise CommandError(
                    f"Audit chain broken at event #{report.broken_event_id}: {report.reason}. "
                    f"{report.checked} event(s) before it are intact."
                )
            if not report.ok:
                raise CommandError(f"Audit chain broken: {report.reason}.")
            # The newest event and its hash, for keeping outside the database (ADR 0024).
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit chain intact: {report.checked} event(s) verified; the newest is "
                    f"#{report.last_event_id} with hash {report.last_hash}."
                )
            )
