"""The read-only maintenance flag (ADR 0062): a file in the data folder, `DATA_DIR/maintenance`,
seen by every web process and worker that shares the folder (they must share it anyway: the
analytics store and the documents are there). While it is there, pages and the API refuse
every write (`safehold.upkeep.middleware`) and workers take no new job; reading goes on.

A file rather than a row: checking it is one `stat` per request and adds no query to any page
(the pages' query counts are tested), and it can be switched with the database away.
"""

import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

FLAG_FILE = "maintenance"
# How long a refused request is told to wait before trying again (Retry-After, seconds).
RETRY_AFTER_SECONDS = 300


@dataclass(frozen=True)
class Status:
    """Whether the service is read-only, since when, and why (as the operator wrote it)."""

    on: bool
    since: datetime | None = None
    reason: str = ""


def flag_path() -> Path:
    return Path(settings.DATA_DIR) / FLAG_FILE


def is_on() -> bool:
    return flag_path().exists()


def status() -> Status:
    path = flag_path()
    try:
        details = json.loads(path.read_text())
    except FileNotFoundError:
        return Status(on=False)
    except ValueError:
        details = {}  # written by hand (`touch`): on, with nothing more said
    since = details.get("since")
    return Status(
        on=True,
        since=datetime.fromisoformat(since) if since else None,
        reason=str(details.get("reason", "")),
    )


def switch_on(*, reason: str = "") -> Status:
    """Put the service into read-only maintenance (kept if it is on already)."""
    current = status()
    if current.on:
        return current
    path = flag_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    since = datetime.now(UTC)
    temporary = path.with_name(f".{FLAG_FILE}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"since": since.isoformat(), "reason": reason}))
    os.replace(temporary, path)
    return Status(on=True, since=since, reason=reason)


def switch_off() -> bool:
    """Let writes through again; False if maintenance was not on."""
    try:
        flag_path().unlink()
    except FileNotFoundError:
        return False
    return True


def wait_until_off(*, poll_seconds: float) -> None:
    """Return when the service is not in maintenance, looking every `poll_seconds` (a worker,
    before it starts a job)."""
    while is_on():
        time.sleep(poll_seconds)
