"""Scoring records that arrived after a run against that run's records, with its trained model:
the front door's "who else knows this person?" (a referral in triage, a person added since the
run). Only pairs between the new records and the run's are scored, never the run's among
themselves, so one referral costs the blocking rules' joins, not a whole run."""

import logging
import threading
from pathlib import Path

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker

from safehold.linkage.columns import standardise
from safehold.linkage.model import TrainedModel, register_term_frequencies


def keep_standardised(records: pa.Table, path: Path) -> None:
    """Write `records` (the standard columns) standardised, as the run compared them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        standardise(con, records, name="records")
        temporary = path.with_name(f".{path.name}.tmp")
        con.sql(f"copy records to '{temporary}' (format parquet)")  # our own path
        temporary.replace(path)
    finally:
        con.close()


class _Scorer:
    """A run's records loaded once in a DuckDB connection, with the model's linker (its
    settings checked when it was trained, not again): what each front-door question reuses.
    One question at a time per scorer (a DuckDB connection is not for two threads at once)."""

    def __init__(self, existing: Path, model: TrainedModel):
        self.lock = threading.Lock()
        self.con = duckdb.connect()
        self.con.execute("create table existing as select * from read_parquet(?)", [str(existing)])
        self.api = DuckDBAPI(self.con)
        self.linker = Linker(
            self.api.register("existing"),
            model.settings,
            log_level=logging.WARNING,
            validate_settings=False,
        )
        register_term_frequencies(self.linker, self.api, model)
        self.existing = self.api.register("existing")

    def __call__(self, new_records: pa.Table, floor: float) -> pa.Table:
        with self.lock:
            standardise(self.con, new_records, name="incoming")
            scored = self.linker.inference.predict_between(
                self.existing,
                self.api.register("incoming"),
                link_type="dedupe_only",
                threshold_match_probability=floor,
                warning_mode="never",
            )
            try:
                return scored.as_pyarrow_table()
            finally:
                scored.drop_table_from_database_and_remove_from_cache()


_scorers: dict[tuple[str, float], _Scorer] = {}
_scorers_lock = threading.Lock()


def score_new(
    new_records: pa.Table, *, existing: Path, model: TrainedModel, floor: float
) -> pa.Table:
    """Pairs (unique_id_l: a run's record, unique_id_r: a new record) scored at or above
    `floor`, with each comparison's level (gamma_*) and the match weight. The run's records
    and linker are kept for the process (the latest run's only: a run's files never change)."""
    key = (str(existing), existing.stat().st_mtime)
    with _scorers_lock:
        scorer = _scorers.get(key)
        if scorer is None:
            for old in _scorers.values():
                old.con.close()
            _scorers.clear()
            scorer = _scorers[key] = _Scorer(existing, model)
    return scorer(new_records, floor)
