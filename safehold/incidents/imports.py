"""Importing a partner's incident log (docs/formats/incidents-csv.md): all rows or none.

`import_incidents` validates the whole file (safehold.incidents.validation), then merges
the rows into the source's Parquet dataset by reference (new references added, changed ones
replaced, identical ones left alone) and replaces the dataset in one rename, with one audit
event. Re-importing the same file changes nothing.
"""

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import User
from safehold.analytics.store import connect
from safehold.audit.choices import Action
from safehold.core.csvfiles import ImportInvalid
from safehold.incidents import store
from safehold.incidents.validation import ImportPlan, validate_incidents


@dataclass(frozen=True)
class ImportResult:
    """What an import did to the source's dataset."""

    source: str
    added: int
    replaced: int
    unchanged: int
    kept: int  # incidents already stored that the file does not mention
    total: int  # incidents of the source after the import

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced)


def _table(plan: ImportPlan, source: str, imported_at: datetime.datetime) -> pa.Table:
    rows = plan.rows
    return pa.table(
        {
            "source": [source] * len(rows),
            "reference": [r.reference for r in rows],
            "type": [r.type for r in rows],
            "occurred_at": [r.occurred_at for r in rows],
            "latitude": [r.latitude for r in rows],
            "longitude": [r.longitude for r in rows],
            "easting": [r.easting for r in rows],
            "northing": [r.northing for r in rows],
            "postcode": [r.postcode for r in rows],
            "located_by": [r.located_by for r in rows],
            "imported_at": [imported_at] * len(rows),
        },
        schema=store.SCHEMA,
    )


def _changed(left: str, right: str) -> str:
    return " OR ".join(f"{left}.{c} IS DISTINCT FROM {right}.{c}" for c in store.CONTENT_COLUMNS)


def import_incidents(
    *,
    data: bytes | str,
    source: str | None = None,
    by: User | None = None,
    file_name: str = "",
    now: datetime.datetime | None = None,
    data_dir: Path | None = None,
) -> ImportResult:
    """Validate the whole file, then merge it into its source's dataset; raises ImportInvalid
    (storing nothing) if any row is wrong. `by` is the user importing (None from the command
    line without --user). One audit event per import, even when nothing changed."""
    plan = validate_incidents(
        data=data, source=source, file_name=file_name, now=now, data_dir=data_dir
    )
    if plan.errors:
        raise ImportInvalid(plan.errors)
    return apply_plan(plan=plan, by=by, now=now, data_dir=data_dir)


def apply_plan(
    *,
    plan: ImportPlan,
    by: User | None = None,
    now: datetime.datetime | None = None,
    data_dir: Path | None = None,
) -> ImportResult:
    """Merge a valid plan into the source's dataset (see import_incidents)."""
    if plan.errors:
        raise ImportInvalid(plan.errors)
    imported_at = now or timezone.now()
    final = store.dataset_path(plan.source, data_dir)
    final.parent.mkdir(parents=True, exist_ok=True)
    with store.locked(data_dir):
        store.settle_interrupted(final)
        con = connect()
        if final.exists():
            existing = pq.read_table(final).cast(store.SCHEMA)
        else:
            existing = store.SCHEMA.empty_table()
        # A source keeps the spelling of its first import.
        source = existing["source"][0].as_py() if existing.num_rows else plan.source
        con.register("existing", existing)
        con.register("incoming", _table(plan, source, imported_at))
        changed = _changed("i", "e")
        ((added, replaced),) = con.execute(
            "SELECT count(*) FILTER (WHERE e.reference IS NULL), "  # noqa: S608 -- column names
            f"count(*) FILTER (WHERE e.reference IS NOT NULL AND ({changed})) "
            "FROM incoming i LEFT JOIN existing e USING (reference)"
        ).fetchall()
        kept = existing.num_rows - (len(plan.rows) - added)
        result = ImportResult(
            source=source,
            added=added,
            replaced=replaced,
            unchanged=len(plan.rows) - added - replaced,
            kept=kept,
            total=kept + len(plan.rows),
        )
        temporary = store.temporary_path(final)
        try:
            if result.changed:
                columns = ", ".join(store.SCHEMA.names)
                merged = con.sql(
                    f"""
                    SELECT {columns} FROM existing
                    WHERE reference NOT IN (SELECT reference FROM incoming)
                    UNION ALL
                    SELECT e.* FROM existing e JOIN incoming i USING (reference)
                    WHERE NOT ({changed})
                    UNION ALL
                    SELECT i.* FROM incoming i LEFT JOIN existing e USING (reference)
                    WHERE e.reference IS NULL OR ({changed})
                    ORDER BY occurred_at, reference
                    """  # noqa: S608 -- column names
                ).to_arrow_table()
                pq.write_table(merged.cast(store.SCHEMA), temporary)
                store.fsync_file(temporary)
            # The event is appended at once (not in a view's batch) and committed with the
            # rename: the file is never replaced without its event in the database.
            with transaction.atomic(), audit.immediately():
                audit.record(
                    action=Action.ALTER if result.replaced else Action.COLLECT,
                    actor=by,
                    object_type="crime.incidents",
                    object_ids=[store.source_key(source), f"sha256:{plan.sha256}"],
                    purpose=(
                        f"incident log {plan.file_name or 'import'} for {source}: "
                        f"{len(plan.rows):,} rows, {result.added:,} added, "
                        f"{result.replaced:,} replaced, {result.unchanged:,} unchanged"
                    ),
                )
                if result.changed:
                    # Until the event commits, the file it replaces is kept beside it: a
                    # process killed in between is undone by the next import (below).
                    mark = store.interrupted_path(final, plan.sha256, existed=final.exists())
                    if final.exists():
                        os.link(final, mark)
                    else:
                        mark.touch()
                    store.replace(temporary, final)
                    transaction.on_commit(lambda: mark.unlink(missing_ok=True))
        finally:
            temporary.unlink(missing_ok=True)
            con.close()
    return result
