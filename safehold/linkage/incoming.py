"""Scoring records that arrived after a run against that run's records, with its trained model:
the front door's "who else knows this person?" (a referral in triage, a person added since the
run). Only pairs between the new records and the run's are scored, never the run's among
themselves, so one referral costs the blocking rules' joins, not a whole run."""

import logging
from pathlib import Path

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker

from safehold.linkage.columns import standardise
from safehold.linkage.model import TrainedModel


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


def score_new(
    new_records: pa.Table, *, existing: Path, model: TrainedModel, floor: float
) -> pa.Table:
    """Pairs (unique_id_l: a run's record, unique_id_r: a new record) scored at or above
    `floor`, with each comparison's level (gamma_*) and the match weight."""
    con = duckdb.connect()
    try:
        standardise(con, new_records, name="incoming")
        con.execute("create table existing as select * from read_parquet(?)", [str(existing)])
        api = DuckDBAPI(con)
        linker = Linker(api.register("existing"), model.settings, log_level=logging.WARNING)
        for column, frequencies in model.term_frequencies.items():
            lookup = pa.table(
                {
                    column: pa.array(list(frequencies), pa.string()),
                    f"tf_{column}": pa.array(list(frequencies.values()), pa.float64()),
                }
            )
            linker.table_management.register_term_frequency_lookup(
                api.register(lookup, table_name=f"tf_lookup_{column}"), column
            )
        scored = linker.inference.predict_between(
            api.register("existing"),
            api.register("incoming"),
            link_type="dedupe_only",
            threshold_match_probability=floor,
            warning_mode="never",
        )
        return scored.as_pyarrow_table()
    finally:
        con.close()
