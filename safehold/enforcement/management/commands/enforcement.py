"""`safehold enforcement bundle CASE_REFERENCE --output FILE.pdf [--user EMAIL]
[--recipient court …]`: the application bundle of the case's latest closure notice, closure
order or civil injunction, built by the same service as the page and audited the same way.

With --user, the bundle holds what that user may see and is recorded as theirs (and refused if
they may not build it); without, the server's operator builds it from everything held.
"""

import os
from pathlib import Path

from django.core.management.base import CommandError

from safehold.cases.models import Case
from safehold.cases.selectors import cases_visible_to
from safehold.core.errors import ServiceError
from safehold.core.testhooks import pause_at
from safehold.enforcement import selectors, services
from safehold.enforcement.choices import Recipient, Section
from safehold.imports.commands import ImportCommand


class Command(ImportCommand):
    help = "Enforcement paperwork: `enforcement bundle CASE_REFERENCE --output FILE.pdf`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        build = sub.add_parser(
            "bundle",
            help="Build the application bundle (PDF) of the case's latest closure notice, "
            "closure order or civil injunction.",
        )
        build.add_argument("reference", help="The case's reference, e.g. EXP-2026-0012.")
        build.add_argument("--output", "-o", required=True, help="The PDF file to write.")
        build.add_argument(
            "--recipient",
            action="append",
            choices=Recipient.values,
            help="Who the bundle is for (repeat for more; default: court and other_party).",
        )
        build.add_argument(
            "--leave-out",
            action="append",
            default=[],
            choices=Section.values,
            help="A part to leave out (repeat for more).",
        )
        self.add_user_argument(
            parser=build, help="Build it as this user (email address): what they may see."
        )

    def handle(self, *args, subcommand: str, **options):
        user = self.user_of(options["user"])
        reference = options["reference"].strip().upper()
        cases = cases_visible_to(user) if user else Case.objects.all()
        matching = list(cases.filter(reference=reference)[:2])
        if not matching:
            raise CommandError(f"There is no case {reference}")
        if len(matching) > 1:
            raise CommandError(f"More than one programme has a case {reference}")
        action = selectors.latest_bundle_action(user, matching[0])
        if action is None:
            raise CommandError(
                f"Case {reference} has no closure notice, closure order or civil injunction"
            )
        recipients = options["recipient"] or [Recipient.COURT, Recipient.OTHER_PARTY]
        sections = [s for s in Section.values if s not in options["leave_out"]]
        try:
            pdf = services.build_bundle(
                action=action, by=user, recipients=recipients, sections=sections
            )
        except ServiceError as error:
            raise CommandError(str(error)) from error
        output = Path(options["output"])
        try:
            write_whole(output, pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote the bundle of the {action.get_kind_display().lower()} of "
                f"{action.started_on:%-d %B %Y} on case {reference} to {output}."
            )
        )


def write_whole(output: Path, data: bytes) -> None:
    """Write the file beside its name and rename it into place: a process killed while
    writing leaves no half a bundle under the name asked for (ADR 0063)."""
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        pause_at("bundle-written")
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
