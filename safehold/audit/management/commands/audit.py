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
            if not report.ok:
                raise CommandError(
                    f"Audit chain broken at event #{report.broken_event_id}: {report.reason}. "
                    f"{report.checked} event(s) before it are intact."
                )
            self.stdout.write(
                self.style.SUCCESS(f"Audit chain intact: {report.checked} event(s) verified.")
            )
