"""`safehold monitoring scan`: raise alerts for users who viewed too many records in the last hour.

Run it from cron every few minutes (see docs/how-to/protective-monitoring.md).
"""

from django.core.management.base import BaseCommand, CommandError

from safehold.monitoring import services


class Command(BaseCommand):
    help = "Protective monitoring. `monitoring scan` alerts IG officers to heavy record viewing."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        scan = sub.add_parser(
            "scan",
            help="Alert each agency's IG officers to users who viewed more records in the last "
            "hour than SAFEHOLD_MONITORING_VIEWS_PER_HOUR; a re-run raises nothing new.",
        )
        scan.add_argument(
            "--threshold",
            type=int,
            default=None,
            help="Records an hour before an alert (default: SAFEHOLD_MONITORING_VIEWS_PER_HOUR).",
        )

    def handle(self, *args, subcommand: str, threshold: int | None, **options):
        if threshold is not None and threshold < 1:
            raise CommandError("The threshold must be 1 or more")
        result = services.scan(threshold=threshold)
        for alert in result.raised:
            self.stdout.write(
                f"Alert {alert.pk}: {alert.user.email} ({alert.agency.name}) viewed "
                f"{alert.records_viewed} records"
            )
        self.stdout.write(
            f"{len(result.raised)} alert(s) raised for {result.window_start:%Y-%m-%d %H:%M} to "
            f"{result.window_end:%H:%M} UTC (threshold {result.threshold})."
        )
        if result.not_emailed:
            raise CommandError(
                f"{len(result.not_emailed)} alert(s) could not be emailed (no IG officer, or the "
                "mail server failed); they are on the alerts page. See the log for details."
            )
