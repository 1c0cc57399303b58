"""Safehold's linkage model: Splink (Fellegi-Sunter) settings over the standard columns, trained
without labels, saved as JSON with its Splink version and training date; and `link`, which
scores the candidate pairs and clusters them at the default threshold (ADR 0054). Both run on
DuckDB in this process or, with engine="spark", on Spark with the same settings (ADR 0056)."""

import contextlib
import json
import logging
import math
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import splink
from splink import DuckDBAPI, Linker
from splink.internals.database_api import DatabaseAPI

from safehold.linkage.clusters import constrained_clusters
from safehold.linkage.columns import standardise

# A pair is the same person when the model gives it 9 to 1 or better. Chosen before any
# labelled figure was seen, from what the number means: one accepted link in ten may be wrong
# at the margin, and pairs below it but above PAIR_FLOOR are the clerical review's (issue 17,
# item 3), so a stricter accept threshold only moves work to the reviewers (ADR 0054).
DEFAULT_THRESHOLD = 0.9
# Pairs scored below this are not returned: too unlikely to be worth a reviewer's time.
PAIR_FLOOR = 0.5

# The household trap. A parent and child of the same name at one address agree on names,
# address, postcode and often sex; only the date of birth tells them apart, and EM would learn
# a weight for "far apart" that the agreeing fields outvote. So two dates of birth twelve
# years or more apart (and not one typing slip apart) are given a fixed, tiny chance among
# true matches: a Bayes factor near 2^-40, which no agreement can outvote. The clustering
# refuses to join two such records through a third too (clusters.py). One thing overrides it:
# the same national identifier on both (then the date of birth was recorded wrongly).
GENERATION_MONTHS = 144
GENERATION_M_PROBABILITY = 1e-12

# Training (no labels). The deterministic rules estimate the prior chance that two records
# match; we assume they find 70 % of true pairs (the rest differ by a typo, a move or a blank).
DETERMINISTIC_RULES = (
    "l.first_name = r.first_name and l.surname = r.surname and l.date_of_birth = r.date_of_birth",
)
ASSUMED_RECALL_OF_DETERMINISTIC_RULES = 0.7
# m is estimated by EM on pairs blocked by each of these in turn (each trains the comparisons
# it does not block on, so together they train them all).
# Not the postcode or address: pairs sharing a home are mostly households, and EM would learn
# "a household" rather than "one person" (a different date of birth would then count for a
# match).
TRAINING_BLOCKS = (
    "l.date_of_birth = r.date_of_birth",
    "l.first_name = r.first_name and l.surname = r.surname",
)
U_SAMPLE_PAIRS = 1e6
# EM learns from at most about this many pairs of each training block (Splink samples the
# records of both sides, seeded by a hash). At 1,000,000 people "same date of birth" is 49
# million pairs, of which a few million teach EM as much as all of them, in a tenth of the time.
EM_MAX_PAIRS = 3e6

# Candidate pairs: a pair is scored if any of these holds. Together they keep >= 99 % of true
# pairs on FEBRL4 (bench/linkage_febrl.py) and on 1,000,000 generated people, and each is
# narrow at that size: names spread as real names do (a few thousand "John Smith"s among a
# million people), so no rule is one value alone that many share. A date of birth, a
# postcode, an address or a birth year comes with (a letter of) a name; a postcode with the
# start of the address (the house number: FEBRL's duplicates with both names and the date of
# birth wrong share little else). At 1,000,000 people "same date of birth" alone is 49
# million pairs, "same postcode" 6 million, "same address" 7 million (ADR 0054).
BLOCKING_RULES = (
    "l.first_name = r.first_name and l.surname = r.surname",
    "l.first_name = r.surname and l.surname = r.first_name",
    "l.date_of_birth = r.date_of_birth and left(l.first_name, 1) = left(r.first_name, 1)",
    "l.date_of_birth = r.date_of_birth and left(l.surname, 1) = left(r.surname, 1)",
    "l.postcode = r.postcode and left(l.address, 4) = left(r.address, 4)",
    "l.postcode = r.postcode and left(l.first_name, 1) = left(r.first_name, 1)",
    "l.postcode = r.postcode and left(l.surname, 1) = left(r.surname, 1)",
    "l.postcode = r.postcode and l.birth_year = r.birth_year",
    "l.surname = r.surname and left(l.dob_text, 6) = left(r.dob_text, 6)",
    "l.surname = r.surname and l.birth_year = r.birth_year"
    " and left(l.first_name, 1) = left(r.first_name, 1)",
    "l.first_name = r.first_name and l.birth_year = r.birth_year"
    " and left(l.surname, 1) = left(r.surname, 1)",
    "l.uprn = r.uprn",
    "l.address = r.address and left(l.first_name, 1) = left(r.first_name, 1)",
    "l.address = r.address and l.birth_year = r.birth_year",
    # Without a date of birth on one side, a shared home and a mistyped name is all there
    # is; few records lack a date of birth, so these stay narrow.
    "l.postcode = r.postcode and (l.date_of_birth is null or r.date_of_birth is null)",
    "l.address = r.address and (l.date_of_birth is null or r.date_of_birth is null)",
    "l.identifier = r.identifier",
)

# Term frequencies: an exact match on a common name is weaker evidence than on a rare one. The
# model keeps the frequencies it was trained with, so a small batch (one referral at the front
# door) is scored as the whole data would score it; only terms seen at least this often are
# kept (the file lists no rare name: a rare name gets the average weight of an exact match).
TERM_FREQUENCY_COLUMNS = ("first_name", "surname")
MIN_TERM_COUNT = 5

# DuckDB's limits for a linkage run: a million records' candidate pairs must fit beside the
# Python process under 6 GB (issue 17), on the two cores the machine shares. Past the limit
# DuckDB spills to a temporary directory of the run's own (removed after), rather than fail.
DUCKDB_MEMORY_LIMIT = "3GB"
DUCKDB_THREADS = 2
# Where Splink runs: DuckDB in this process, or Spark (local or a cluster: spark.py).
ENGINES = ("duckdb", "spark")

MODEL_FORMAT = "safehold-linkage-model"
MODEL_FORMAT_VERSION = 1


def _level(sql: str, label: str, **extra) -> dict:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _null(*columns: str) -> dict:
    either = " or ".join(f"{c}_l is null or {c}_r is null" for c in columns)
    return _level(either, "Missing on either record", is_null_level=True)


ELSE = _level("ELSE", "All other comparisons")


def _name_comparison(column: str, other: str, description: str) -> dict:
    """Names: exact (weighted by how common the name is), one typing slip, close by
    Jaro-Winkler, the other record's other name (swapped first name and surname, an alias, a
    maiden name), loosely close, different."""
    jw = f"jaro_winkler_similarity({column}_l, {column}_r)"
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [
            _null(column),
            _level(
                f"{column}_l = {column}_r",
                "Exact",
                tf_adjustment_column=column,
                tf_adjustment_weight=1.0,
            ),
            _level(f"damerau_levenshtein({column}_l, {column}_r) <= 1", "One typing slip"),
            _level(f"{jw} >= 0.9", "Jaro-Winkler >= 0.9"),
            _level(
                f"({column}_l = {other}_r and {column}_r = {other}_l)"
                f" or list_contains(other_names_r, {column}_l)"
                f" or list_contains(other_names_l, {column}_r)",
                f"Swapped with {other.replace('_', ' ')} or one of the other names",
            ),
            _level(f"{jw} >= 0.8", "Jaro-Winkler >= 0.8"),
            ELSE,
        ],
    }


def _date_of_birth_comparison() -> dict:
    months_apart = "abs(date_diff('month', date_of_birth_l, date_of_birth_r))"
    return {
        "output_column_name": "date_of_birth",
        "comparison_description": "Date of birth",
        "comparison_levels": [
            _null("date_of_birth"),
            _level("date_of_birth_l = date_of_birth_r", "Exact"),
            _level(
                "year(date_of_birth_l) = year(date_of_birth_r)"
                " and day(date_of_birth_l) = month(date_of_birth_r)"
                " and month(date_of_birth_l) = day(date_of_birth_r)",
                "Day and month swapped",
            ),
            _level("damerau_levenshtein(dob_text_l, dob_text_r) <= 1", "One digit wrong"),
            _level(
                "year(date_of_birth_l) = year(date_of_birth_r)"
                " and month(date_of_birth_l) = month(date_of_birth_r)",
                "Same year and month",
            ),
            _level(f"{months_apart} <= 12", "Within a year"),
            _level(f"{months_apart} <= 60", "Within five years"),
            _level(
                f"{months_apart} >= {GENERATION_MONTHS}"
                " and (identifier_l is null or identifier_r is null or identifier_l <> identifier_r)",
                "A generation apart (twelve years or more)",
                m_probability=GENERATION_M_PROBABILITY,
                fix_m_probability=True,
            ),
            ELSE,
        ],
    }


def _home_comparison() -> dict:
    """Where the person lives: UPRN, address and postcode as one comparison. They are one piece
    of evidence (a shared UPRN, a shared address and a shared postcode all say "one home");
    counted as three, they outvote everything else, and a household's members, who share a
    home and a surname, were linked as one person (generated data, 100,000 people)."""
    jw = "jaro_winkler_similarity(address_l, address_r)"
    same_postcode = "postcode_l = postcode_r"
    return {
        "output_column_name": "home",
        "comparison_description": "Home: UPRN, address and postcode",
        "comparison_levels": [
            _level(
                "(uprn_l is null or uprn_r is null) and (address_l is null or address_r is null)"
                " and (postcode_l is null or postcode_r is null)",
                "Missing on either record",
                is_null_level=True,
            ),
            _level("uprn_l = uprn_r", "Same UPRN"),
            _level("uprn_l <> uprn_r", "Different UPRN"),
            _level(f"address_l = address_r and {same_postcode}", "Same address and postcode"),
            _level("address_l = address_r", "Same address"),
            _level(f"{jw} >= 0.92 and {same_postcode}", "Nearly the same address, same postcode"),
            _level(same_postcode, "Same postcode, another address"),
            _level(f"{jw} >= 0.92", "Nearly the same address (Jaro-Winkler >= 0.92)"),
            _level("postcode_sector_l = postcode_sector_r", "Same postcode sector"),
            _level(
                "postcode_district_l = postcode_district_r"
                " or damerau_levenshtein(postcode_l, postcode_r) <= 1",
                "Same postcode district, or a postcode one typing slip apart",
            ),
            ELSE,
        ],
    }


def _identifier_comparison() -> dict:
    return {
        "output_column_name": "identifier",
        "comparison_description": "National identifier",
        "comparison_levels": [
            _null("identifier"),
            _level("identifier_l = identifier_r", "Exact"),
            _level("damerau_levenshtein(identifier_l, identifier_r) <= 1", "One typing slip"),
            ELSE,
        ],
    }


def _sex_comparison() -> dict:
    return {
        "output_column_name": "sex",
        "comparison_description": "Sex",
        "comparison_levels": [_null("sex"), _level("sex_l = sex_r", "Same"), ELSE],
    }


def settings(*, present: set[str] | None = None) -> dict:
    """The untrained Splink settings. `present` names the columns that have any value in the
    training data: a comparison of a column that is always blank has nothing to learn from and
    is left out (FEBRL4 has no sex, for one)."""
    present = present if present is not None else {"sex", "address", "postcode", "uprn"}
    comparisons = [
        _name_comparison("first_name", "surname", "First name"),
        _name_comparison("surname", "first_name", "Surname"),
        _date_of_birth_comparison(),
    ]
    if present & {"postcode", "address", "uprn"}:
        comparisons.append(_home_comparison())
    if "sex" in present:
        comparisons.append(_sex_comparison())
    if "identifier" in present:
        comparisons.append(_identifier_comparison())
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in BLOCKING_RULES
        ],
        "comparisons": comparisons,
        "additional_columns_to_retain": ["source", "record_id"],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
    }


@dataclass
class TrainedModel:
    """A trained model: Splink's settings with their m and u probabilities, the Splink version
    that trained them and when (a model is retrained, never silently reused across versions)."""

    settings: dict
    splink_version: str
    trained_at: datetime
    trained_on_records: int
    threshold: float = DEFAULT_THRESHOLD
    notes: dict = field(default_factory=dict)
    term_frequencies: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "splink_version": self.splink_version,
            "trained_at": self.trained_at.isoformat(),
            "trained_on_records": self.trained_on_records,
            "threshold": self.threshold,
            "notes": self.notes,
            "settings": self.settings,
            "term_frequencies": self.term_frequencies,
        }

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.as_json(), indent=1, sort_keys=True) + "\n")

    @classmethod
    def from_json(cls, data: dict) -> "TrainedModel":
        if data.get("format") != MODEL_FORMAT or data.get("format_version") != MODEL_FORMAT_VERSION:
            raise ValueError("Not a Safehold linkage model of a version this Safehold reads")
        return cls(
            settings=data["settings"],
            splink_version=data["splink_version"],
            trained_at=datetime.fromisoformat(data["trained_at"]),
            trained_on_records=data["trained_on_records"],
            threshold=data["threshold"],
            notes=data.get("notes", {}),
            term_frequencies=data.get("term_frequencies", {}),
        )

    @classmethod
    def load(cls, path: Path) -> "TrainedModel":
        return cls.from_json(json.loads(Path(path).read_text()))

    def weights(self) -> dict[str, dict[str, float]]:
        """Each comparison level's match weight (log2 of m/u), for people to read."""
        out = {}
        for comparison in self.settings["comparisons"]:
            levels = {}
            for level in comparison["comparison_levels"]:
                m, u = level.get("m_probability"), level.get("u_probability")
                if not level.get("is_null_level") and m and u:
                    levels[level["label_for_charts"]] = round(math.log2(m / u), 2)
            out[comparison["output_column_name"]] = levels
        return out


@dataclass
class LinkResult:
    """Scored pairs (match_probability >= PAIR_FLOOR, with each comparison's level) and the
    clusters at the model's threshold: one row per record (source, record_id, cluster_id,
    match_probability)."""

    pairs: pa.Table
    clusters: pa.Table


@contextlib.contextmanager
def _connect() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection with the linkage limits, spilling to its own temporary
    directory, closed (and the directory removed) on leaving."""
    with tempfile.TemporaryDirectory(prefix="safehold-linkage-") as spill:
        con = duckdb.connect(
            config={
                "memory_limit": DUCKDB_MEMORY_LIMIT,
                "threads": DUCKDB_THREADS,
                "temp_directory": spill,
                "preserve_insertion_order": False,
            }
        )
        try:
            yield con
        finally:
            con.close()


def _linker(
    con: duckdb.DuckDBPyConnection, table: str, settings_dict: dict, engine: str
) -> tuple[Linker, DatabaseAPI]:
    """A linker over the standardised `table` of `con` on the engine, and its API (for lookups)."""
    if engine not in ENGINES:
        raise ValueError(f"No linkage engine {engine!r}: one of {', '.join(ENGINES)}")
    if engine == "spark":
        return _spark().linker(con.table(table).to_arrow_table(), settings_dict)
    api = DuckDBAPI(con)
    return Linker(api.register(table), settings_dict, log_level=logging.WARNING), api


def _rule(rule: str, engine: str) -> str | dict:
    return _spark().rule(rule) if engine == "spark" else rule


def _spark():
    """safehold.linkage.spark, imported when Spark is asked for (pyspark takes half a second)."""
    from safehold.linkage import spark

    return spark


def register_term_frequencies(linker: Linker, api: DatabaseAPI, model: TrainedModel) -> None:
    """Give the linker the term frequencies the model was trained with (a small batch is then
    scored as the whole data would score it)."""
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


def _present_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    columns = ("sex", "address", "postcode", "uprn", "identifier")
    counts = con.sql(
        f"select {', '.join(f'count({c})' for c in columns)} from {table}"  # noqa: S608
    ).fetchall()[0]
    return {c for c, n in zip(columns, counts, strict=True) if n}


def train(
    records: pa.Table,
    *,
    seed: int = 17,
    u_sample_pairs: float = U_SAMPLE_PAIRS,
    engine: str = "duckdb",
) -> TrainedModel:
    """Train the model on `records` (the standard columns) without labels: the prior from the
    deterministic rules, u by random sampling, m by EM on each training block. On Spark the
    records are cleaned by DuckDB all the same, and the model is saved in DuckDB's SQL."""
    with _connect() as con:
        standardise(con, records, name="records")
        present = _present_columns(con, "records")
        untrained = settings(present=present)
        linker, _ = _linker(con, "records", untrained, engine)
        linker.training.estimate_probability_two_random_records_match(
            [_rule(rule, engine) for rule in DETERMINISTIC_RULES],
            recall=ASSUMED_RECALL_OF_DETERMINISTIC_RULES,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=u_sample_pairs, seed=seed)
        for block in TRAINING_BLOCKS:
            linker.training.estimate_parameters_using_expectation_maximisation(
                _rule(block, engine), estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
            )
        trained = linker.misc.save_model_to_json()
        if engine == "spark":
            trained = _spark().duckdb_settings(trained, untrained)
            _spark().release()
        trained = _no_worse_than_disagreement(trained)
        frequencies = _term_frequencies(con, "records", present)
    return TrainedModel(
        settings=trained,
        splink_version=splink.__version__,
        trained_at=datetime.now(UTC),
        trained_on_records=records.num_rows,
        notes={
            "assumed_recall_of_deterministic_rules": ASSUMED_RECALL_OF_DETERMINISTIC_RULES,
            "u_sample_pairs": u_sample_pairs,
            "em_max_pairs": EM_MAX_PAIRS,
            "seed": seed,
            "min_term_count": MIN_TERM_COUNT,
            "engine": engine,
        },
        term_frequencies=frequencies,
    )


def _term_frequencies(
    con: duckdb.DuckDBPyConnection, table: str, present: set[str]
) -> dict[str, dict[str, float]]:
    out = {}
    for column in TERM_FREQUENCY_COLUMNS:
        rows = con.sql(
            f"""select {column}, count(*) / sum(count(*)) over () as frequency, count(*) as n
                from {table} where {column} is not null group by 1"""  # noqa: S608 (our names)
        ).fetchall()
        out[column] = {term: f for term, f, n in sorted(rows) if n >= MIN_TERM_COUNT}
    return out


def _no_worse_than_disagreement(trained: dict) -> dict:
    """A partial agreement is never stronger evidence against a match than full disagreement.
    EM, given few true pairs at a level (two digits of a day of birth wrong, say), can learn an
    m near zero and so a weight below the "all other" level's; such a level is given the
    "all other" level's Bayes factor instead. Fixed levels (the household trap) keep theirs."""
    for comparison in trained["comparisons"]:
        levels = comparison["comparison_levels"]
        other = levels[-1]
        m_other, u_other = other.get("m_probability"), other.get("u_probability")
        if not (m_other and u_other):
            continue
        for level in levels[:-1]:
            if level.get("is_null_level") or level.get("fix_m_probability"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is not None and u and m / u < m_other / u_other:
                level["m_probability"] = u * m_other / u_other
    return trained


def link(
    records: pa.Table,
    *,
    model: TrainedModel | None = None,
    threshold: float | None = None,
    pair_floor: float = PAIR_FLOOR,
    same: Iterable[tuple[str, str]] = (),
    different: Iterable[tuple[str, str]] = (),
    engine: str = "duckdb",
) -> LinkResult:
    """Score the candidate pairs of `records` and cluster them. Without a model, one is trained
    on the records themselves; the threshold is the model's unless given. Pairs scored below
    `pair_floor` are left out (0 keeps every candidate pair: the benchmark's blocking recall).
    `same` and `different` are people's decisions (pairs of unique_ids), which the clustering
    obeys whatever the model says (the pairs returned are the model's own). The engine scores
    the pairs; the clustering is Safehold's, in this process, on either."""
    model = model or train(records, engine=engine)
    threshold = model.threshold if threshold is None else threshold
    with _connect() as con:
        standardise(con, records, name="records")
        linker, api = _linker(con, "records", model.settings, engine)
        register_term_frequencies(linker, api, model)
        predictions = linker.inference.predict(
            threshold_match_probability=min(pair_floor, threshold) or None
        )
        pairs = predictions.as_pyarrow_table()
        if engine == "spark":
            _spark().release()
        people = con.sql(
            "select unique_id, source, record_id, dob_text, identifier from records"
            " order by unique_id"
        ).to_arrow_table()
    clusters = constrained_clusters(
        people,
        pairs,
        threshold=threshold,
        apart=_generation_apart,
        same=same,
        different=different,
    )
    return LinkResult(pairs=pairs, clusters=clusters)


def _generation_apart(x: tuple, y: tuple) -> bool:
    """Two records (date of birth as YYYYMMDD, identifier) the model holds to be two people:
    both dates known, twelve years or more apart, not one digit apart (a slip in the year is
    not a generation), and no national identifier in common (as the comparison's level)."""
    (a, id_a), (b, id_b) = x, y
    if not a or not b or (id_a and id_a == id_b):
        return False
    months = abs((int(a[:4]) * 12 + int(a[4:6])) - (int(b[:4]) * 12 + int(b[4:6])))
    return months >= GENERATION_MONTHS and not _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    """Whether two strings of one length differ by one character or one swap of neighbours."""
    if len(a) != len(b):
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) <= 1:
        return True
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]]
