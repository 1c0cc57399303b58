"""`safehold partners import-extract --agency NAME --kind KIND --agreement TITLE --purpose TEXT
--user EMAIL [--extract-date YYYY-MM-DD] FILE.csv`.

An extract is checked whole (docs/formats/partner-extracts.md): a file with any problem is
refused with every problem by row and column and nothing is stored (exit status 1); the same
file again changes nothing; a newer extract supersedes the agency's current one of its kind."""

from pathlib import Path

from django.core.management.base import CommandError

from safehold.accounts.models import Agency
from safehold.audit.choices import Channel
from safehold.audit.services import audit_context
from safehold.imports.commands import ImportCommand
from safehold.partners.choices import ExtractKind
from safehold.partners.services import ExtractRefused, ImportInvalid, upload_extract
from safehold.sharing.models import InformationSharingAgreement


class Command(ImportCommand):
    help = (
        "Partner data extracts: `partners import-extract --agency NAME --kind KIND "
        "--agreement TITLE --purpose TEXT --user EMAIL FILE.csv`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser(
            "import-extract", help="Upload an extract: all rows or, if any is wrong, none."
        )
        load.add_argument("file", help="The CSV file (UTF-8, with a header row).")
        load.add_argument("--agency", required=True, help="The agency whose extract it is.")
        load.add_argument("--kind", required=True, choices=ExtractKind.values)
        load.add_argument(
            "--agreement", required=True, help="The title of the agreement it is shared under."
        )
        load.add_argument("--purpose", required=True, help="What it is shared for.")
        load.add_argument(
            "--user", required=True, help="The agency's user uploading it (email address)."
        )
        load.add_argument(
            "--extract-date", help="The date the data was extracted (YYYY-MM-DD; default today)."
        )

    def handle(self, *args, subcommand: str, **options):
        agency = self._agency(options["agency"])
        user = self.user_of(options["user"])
        agreement = self._agreement(options["agreement"], agency)
        path = Path(options["file"])
        data = self.read_file(path)
        try:
            with audit_context(channel=Channel.CLI):
                result = upload_extract(
                    agency=agency,
                    kind=options["kind"],
                    agreement=agreement,
                    purpose=options["purpose"],
                    data=data,
                    file_name=path.name,
                    by=user,
                    extract_date=self.date_argument(options["extract_date"], "--extract-date"),
                )
        except ImportInvalid as exc:
            raise self.refused(exc.errors) from exc
        except ExtractRefused as exc:
            raise CommandError(str(exc)) from exc
        extract = result.extract
        if not result.created:
            self.stdout.write(
                f"Nothing changed: {path.name} is already stored as the {extract.kind} extract "
                f"of {extract.extract_date:%d %B %Y} ({extract.row_count:,} rows)."
            )
            return
        message = (
            f"Stored {path.name}: {extract.row_count:,} {extract.kind} rows of {agency.name}, "
            f"extract of {extract.extract_date:%d %B %Y}"
        )
        if result.superseded is not None:
            message += f"; it supersedes the extract of {result.superseded.extract_date:%d %B %Y}"
        elif not extract.is_current:
            message += "; kept as history (the current extract is newer)"
        self.stdout.write(self.style.SUCCESS(message + "."))

    @staticmethod
    def _agency(name: str) -> Agency:
        agency = Agency.objects.filter(name__iexact=name.strip()).first()
        if agency is None:
            raise CommandError(f"There is no agency called {name}")
        return agency

    @staticmethod
    def _agreement(title: str, agency: Agency) -> InformationSharingAgreement:
        found = list(
            InformationSharingAgreement.objects.filter(title__iexact=title.strip(), parties=agency)
        )
        if not found:
            raise CommandError(f"{agency.name} is a party to no agreement called “{title}”")
        live = [a for a in found if a.is_live()]
        if len(live) > 1:
            raise CommandError(f"More than one live agreement is called “{title}”")
        return (live or found)[0]
