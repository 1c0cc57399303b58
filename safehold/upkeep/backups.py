"""Backups and restore (ADR 0062): the relational database and the data folder, copied
consistently, with a manifest of checksums that a restore checks before it touches anything.

A backup is a folder `safehold-backup-<UTC time>/` holding

    manifest.json        what is in it (docs/formats/backup-manifest.md)
    database.sqlite3     SQLite's online backup of the database (the embedded default), or
    database.dump        PostgreSQL's `pg_dump -Fc` of it
    data/…               the data folder (DATA_DIR): the analytics store's Parquet files
                         (police.uk, incident logs, partner extracts, linkage runs), uploaded
                         documents and the kept files of queued imports; not its cache

Consistency: the analytics stores' locks are held (shared: writers wait, readers do not)
from before the database is copied until the last file is copied. A store's writer renames
its file into place before committing the row that names it, so every row in the copy of the
database names a file that was there when the files were copied.
"""

import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from safehold import audit
from safehold.analytics.store import data_dir, lock
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditChainHead, AuditEvent
from safehold.audit.services import ChainReport, verify_chain
from safehold.core import maintenance
from safehold.sharing import rls

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
DATA = "data"
OBJECT_TYPE = "safehold.backup"
# The stores whose writers hold `analytics.store.lock(DATA_DIR/<name>)` while they replace a
# file: police.uk and the geography layers, incident logs, partner extracts.
LOCKED_STORES = ("crime", "incidents", "partners")
# Not copied: the imports' progress cache (rebuilt as runs go), the stores' lock files, files
# still being written (hidden `.name.tmp`) and the maintenance flag.
SKIPPED_FOLDERS = {"cache"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup's manifest, the files copied, and the audit chain's
    verification after the restore's own event."""

    manifest: dict
    files: int
    chain: ChainReport


# --- Where things are ----------------------------------------------------------------------


def engine() -> str:
    """ "sqlite" or "postgresql": the database in use."""
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _database() -> dict:
    return settings.DATABASES["default"]


def postgres_program(name: str) -> str:
    """pg_dump, pg_restore or createdb: from SAFEHOLD_POSTGRES_BIN, else the newest
    /usr/lib/postgresql/<version>/bin (Debian's), else the PATH."""
    folder = os.environ.get("SAFEHOLD_POSTGRES_BIN") or getattr(
        settings, "SAFEHOLD_POSTGRES_BIN", ""
    )
    candidates = [Path(folder)] if folder else []
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: -int(p.name))]
    for candidate in candidates:
        if (candidate / name).exists():
            return str(candidate / name)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"Cannot find the PostgreSQL program {name}: install the PostgreSQL client "
            "(postgresql-client-15) or set SAFEHOLD_POSTGRES_BIN to the folder holding it."
        )
    return found


def postgres_arguments() -> tuple[list[str], dict]:
    """The PostgreSQL programs' connection options (the server and user of the settings) and
    their environment (the password, if there is one)."""
    db = _database()
    arguments = ["--no-password"]
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return arguments, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 -- our own arguments
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _sha256_copy(source: Path, target: Path) -> tuple[int, str]:
    """Copy a file, returning the size and SHA-256 of the bytes written."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as read, open(target, "wb") as write:
        while block := read.read(CHUNK):
            digest.update(block)
            write.write(block)
            size += len(block)
        write.flush()
        os.fsync(write.fileno())
    return size, digest.hexdigest()


def _sha256(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as read:
        while block := read.read(CHUNK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _kept(relative: Path) -> bool:
    """Whether a file of the data folder belongs in a backup."""
    if relative.parts[0] in SKIPPED_FOLDERS or relative.name == maintenance.FLAG_FILE:
        return False
    name = relative.name
    return not (name.endswith(".lock") or (name.startswith(".") and name.endswith(".tmp")))


def data_files(root: Path, *, leave_out: Path | None = None) -> Iterator[Path]:
    """The files of the data folder a backup copies, relative to it, in a stable order."""
    if not root.exists():
        return
    for folder, names, files in os.walk(root):
        here = Path(folder)
        names[:] = sorted(
            n for n in names if leave_out is None or (here / n).resolve() != leave_out.resolve()
        )
        for name in sorted(files):
            relative = (here / name).relative_to(root)
            if _kept(relative):
                yield relative


@contextmanager
def stores_locked() -> Iterator[None]:
    """Hold every analytics store's lock (shared), in one fixed order: no store's file is
    replaced meanwhile, and readers are not held up."""
    with ExitStack() as stack:
        for name in LOCKED_STORES:
            stack.enter_context(lock(data_dir() / name, shared=True))
        yield


# --- Making one ----------------------------------------------------------------------------


def _version() -> dict:
    try:
        version = importlib.metadata.version("safehold")
    except importlib.metadata.PackageNotFoundError:
        version = ""
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"],  # noqa: S607 -- git from the PATH, if there is one
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    return {"version": version, "commit": done.stdout.strip() if done.returncode == 0 else ""}


def applied_migrations() -> list[str]:
    """The migrations applied to the database, as "app.name", sorted."""
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def _copy_sqlite(target: Path) -> None:
    connection.ensure_connection()  # Django's own: it knows how to open the file (or memory)
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # SQLite's online backup: one consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()


def _dump_postgres(target: Path) -> None:
    arguments, env = postgres_arguments()
    _run(
        [postgres_program("pg_dump"), "--format=custom", "--file", str(target), *arguments,
         "--dbname", _database()["NAME"]],
        env,
    )  # fmt: skip


def create_backup(*, output: Path) -> Path:
    """Copy the database and the data folder into a new folder under `output`, with the
    manifest; returns the folder. The backup's own audit event is in the copy."""
    created = timezone.now()
    folder = output / f"safehold-backup-{created:%Y%m%dT%H%M%S%fZ}"
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise BackupError(f"Cannot make the backup folder {folder}: {exc.strerror}") from exc
    with transaction.atomic():
        audit.record(
            action=Action.CONSULT,
            object_type=OBJECT_TYPE,
            object_ids=[folder.name],
            purpose="backup: a copy of the whole database and data folder",
            channel=Channel.CLI,
        )
    root = data_dir()
    files = []
    with stores_locked():
        # Read before the copy: the copy holds this event and any appended after it.
        head = AuditChainHead.objects.get(pk=1)
        if engine() == "sqlite":
            _copy_sqlite(folder / SQLITE_FILE)
            database_file = SQLITE_FILE
        else:
            _dump_postgres(folder / POSTGRES_FILE)
            database_file = POSTGRES_FILE
        for relative in data_files(root, leave_out=folder):
            size, sha = _sha256_copy(root / relative, folder / DATA / relative)
            files.append({"path": f"{DATA}/{relative.as_posix()}", "size": size, "sha256": sha})
    size, sha = _sha256(folder / database_file)
    files.insert(0, {"path": database_file, "size": size, "sha256": sha})
    manifest = {
        "format": FORMAT,
        "safehold": _version(),
        "created_at": created.isoformat(),
        "database": {"engine": engine(), "file": database_file},
        "migrations": applied_migrations(),
        "audit": {"last_event_id": head.last_event_id, "last_hash": head.last_hash},
        "files": files,
    }
    temporary = folder / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=2) + "\n")
    os.replace(temporary, folder / MANIFEST)  # no manifest, no backup: written last
    return folder


# --- Checking one --------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{folder} is not a Safehold backup: it has no {MANIFEST} (a backup without one "
            "was not finished)."
        )
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, OSError) as exc:
        raise BackupError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup manifest of format {FORMAT}.")
    return manifest


def problems_in(folder: Path, manifest: dict) -> list[str]:
    """Every file missing, changed or not listed, checked against the manifest's sizes and
    SHA-256 sums; empty if the backup is whole."""
    problems = []
    listed = set()
    for entry in manifest.get("files", []):
        relative = entry["path"]
        listed.add(relative)
        path = folder / relative
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            problems.append(f"{relative}: a path outside the backup")
        elif not path.is_file():
            problems.append(f"{relative}: missing")
        else:
            size, sha = _sha256(path)
            if size != entry["size"]:
                problems.append(f"{relative}: {size:,} bytes, the manifest says {entry['size']:,}")
            elif sha != entry["sha256"]:
                problems.append(f"{relative}: its SHA-256 is not the manifest's")
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative != MANIFEST and relative not in listed:
            problems.append(f"{relative}: not in the manifest")
    return problems


def known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _database_has_tables() -> bool:
    return bool(connection.introspection.table_names())


def target_problems() -> list[str]:
    """What is already in the database and the data folder a restore would write to."""
    problems = []
    if _database_has_tables():
        problems.append(f"the database {_database()['NAME']} is not empty")
    existing = list(data_files(data_dir()))
    if existing:
        problems.append(
            f"the data folder {data_dir()} is not empty ({len(existing):,} file(s), "
            f"e.g. {existing[0]})"
        )
    return problems


# --- Restoring one -------------------------------------------------------------------------


def _postgres_database_exists() -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_database()["NAME"]])
        return cursor.fetchone() is not None


def _create_postgres_database() -> None:
    arguments, env = postgres_arguments()
    _run([postgres_program("createdb"), *arguments, _database()["NAME"]], env)


def _restore_postgres(dump: Path, *, force: bool) -> None:
    with connection.cursor() as cursor:
        if force:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        # The role row-level security restricts belongs to the cluster, not the dump (sharing
        # migration 0002 makes it); its grants and policies are in the dump.
        cursor.execute(rls.CREATE_ROLE)
    connections.close_all()
    arguments, env = postgres_arguments()
    _run(
        [postgres_program("pg_restore"), "--no-owner", "--exit-on-error",
         "--single-transaction", *arguments, "--dbname", _database()["NAME"], str(dump)],
        env,
    )  # fmt: skip


def _restore_sqlite(copy: Path) -> None:
    target = Path(_database()["NAME"])
    connections.close_all()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(copy)
    restored = sqlite3.connect(target)
    try:
        source.backup(restored)
    finally:
        restored.close()
        source.close()


def _clear_data_folder(root: Path) -> None:
    for relative in list(data_files(root)):
        (root / relative).unlink()


def restore_backup(*, folder: Path, force: bool = False) -> Restored:
    """Check the backup whole, then restore it into this empty database and data folder (or,
    with `force`, over what they hold). Refuses, touching nothing, on any problem."""
    manifest = read_manifest(folder)
    problems = problems_in(folder, manifest)
    if problems:
        raise BackupError(
            "The backup does not match its manifest; nothing was restored:\n"
            + "\n".join(f"  {p}" for p in problems)
        )
    made_on = manifest["database"]["engine"]
    if made_on != engine():
        raise BackupError(
            f"The backup is of a {made_on} database and this Safehold uses {engine()}: restore "
            "it with DATABASE_URL naming a database of the same kind. Nothing was restored."
        )
    unknown = sorted(set(manifest["migrations"]) - known_migrations())
    if unknown:
        raise BackupError(
            "The backup was made by a newer Safehold (its database has migrations this one "
            f"does not know: {', '.join(unknown[:5])}). Restore it with the Safehold of commit "
            f"{manifest['safehold'].get('commit') or 'that made it'}. Nothing was restored."
        )
    if engine() == "postgresql" and not _postgres_database_exists():
        _create_postgres_database()
    occupied = target_problems()
    if occupied and not force:
        raise BackupError(
            "A backup is restored into an empty database and data folder, and "
            + " and ".join(occupied)
            + ". Nothing was restored. Point DATABASE_URL and DATA_DIR at empty ones, or add "
            "--force to replace what they hold."
        )
    root = data_dir()
    if force:
        _clear_data_folder(root)
    database_file = folder / manifest["database"]["file"]
    if engine() == "sqlite":
        _restore_sqlite(database_file)
    else:
        _restore_postgres(database_file, force=force)
    copied = 0
    for entry in manifest["files"]:
        if entry["path"].startswith(f"{DATA}/"):
            relative = entry["path"][len(DATA) + 1 :]
            size, sha = _sha256_copy(folder / entry["path"], root / relative)
            if (size, sha) != (entry["size"], entry["sha256"]):
                raise BackupError(f"{entry['path']} changed while it was being restored.")
            copied += 1
    last = manifest["audit"]
    if last["last_event_id"]:
        restored = AuditEvent.objects.filter(pk=last["last_event_id"]).first()
        if restored is None or restored.hash != last["last_hash"]:
            raise BackupError(
                f"The restored audit log does not hold event #{last['last_event_id']} as the "
                "backup's manifest records it."
            )
    with transaction.atomic():
        audit.record(
            action=Action.ALTER,
            object_type=OBJECT_TYPE,
            object_ids=[folder.name],
            purpose=f"restore: the database and data folder from the backup made "
            f"{manifest['created_at']}",
            channel=Channel.CLI,
        )
    return Restored(manifest=manifest, files=copied, chain=verify_chain())
