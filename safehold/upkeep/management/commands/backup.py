"""`safehold backup create [--output DIR]` and `safehold backup restore DIR [--force]`
(ADR 0062, docs/how-to/back-up-and-restore.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safehold.audit.choices import Channel
from safehold.audit.services import audit_context
from safehold.upkeep.backups import BackupError, create_backup, read_manifest, restore_backup


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)


class Command(BaseCommand):
    help = "Back up the database and the data folder, or restore a backup into empty ones."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Make a backup (a new folder under --output).")
        create.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "var" / "backups"),
            help="The folder to make the backup in (default: %(default)s).",
        )
        restore = sub.add_parser(
            "restore", help="Check a backup's checksums, then restore it into empty stores."
        )
        restore.add_argument("folder", help="The backup's folder (holding manifest.json).")
        restore.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database and data folder hold (they must be empty without).",
        )

    def handle(self, *args, subcommand: str, **options):
        try:
            with audit_context(channel=Channel.CLI):
                getattr(self, f"_{subcommand}")(**options)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

    def _create(self, *, output: str, **options):
        folder = create_backup(output=Path(output).resolve())
        manifest = read_manifest(folder)
        files = manifest["files"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {manifest['database']['engine']} database "
                f"({len(manifest['migrations'])} migrations applied, audit log to event "
                f"#{manifest['audit']['last_event_id']}) and {len(files) - 1:,} file(s) of the "
                f"data folder, {_size(sum(f['size'] for f in files))} in all, to {folder}"
            )
        )

    def _restore(self, *, folder: str, force: bool, **options):
        restored = restore_backup(folder=Path(folder).resolve(), force=force)
        manifest = restored.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup made {manifest['created_at']}: the "
                f"{manifest['database']['engine']} database and {restored.files:,} file(s) of "
                "the data folder."
            )
        )
        chain = restored.chain
        if not chain.ok:
            raise CommandError(
                f"The restored audit log does not verify: {chain.reason}. Check that "
                "SAFEHOLD_AUDIT_KEY is the key of the service the backup was made from."
            )
        self.stdout.write(
            f"Audit chain intact: {chain.checked} event(s) verified; the newest is "
            f"#{chain.last_event_id} (this restore)."
        )
        self.stdout.write("Then run `safehold migrate` if this Safehold is newer than the backup.")
