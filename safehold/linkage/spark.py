"""Safehold's linkage model on Spark (ADR 0056): the Spark session, and the model's settings, which
are written in DuckDB's SQL, translated so that every comparison level means on Spark exactly what
it means on DuckDB. model.py trains and links; this module only gives it a Splink linker over
Spark instead of DuckDB. The records are cleaned by DuckDB (columns.py) before they get here, so
there is one cleaning code path whichever engine compares them.

Where the two dialects differ:
- Jaro-Winkler: the Spark function in Splink's jar is another implementation, and on 457,488 name
  and address pairs it gave a different similarity for 22,792 of them (by up to 0.13), enough to
  move pairs across the 0.8, 0.9 and 0.92 levels. So Spark calls DuckDB's own
  `jaro_winkler_similarity` through an Arrow UDF (each Python worker runs it on its batch).
- Damerau-Levenshtein: the jar's function gives the same distances (every one of those pairs)
  and "one slip" (<= 1) is the same under either definition of the distance; it returns 100 for
  a blank rather than a blank, so it is wrapped to keep DuckDB's blank.
- `date_diff('month', a, b)` counts month boundaries in DuckDB, whole months in Spark
  (31 March to 1 April is 1 and 0): it becomes the difference of year * 12 + month, DuckDB's
  meaning, in both.
Any other function is refused until someone has checked that it means the same on both
(UntranslatableSQL), so that a new level cannot quietly score differently on Spark."""

import copy
import logging
import os
import sys
import uuid

import pyarrow as pa
import sqlglot
from pyspark.sql import SparkSession
from pyspark.sql.functions import arrow_udf
from pyspark.sql.types import DoubleType
from splink import Linker
from splink.backends.spark import SparkAPI, similarity_jar_location
from sqlglot import exp

# Where Spark runs: a cluster's master URL (spark://host:7077, yarn, k8s://...) or local mode on
# this machine's cores (the default, and what CI runs).
MASTER_ENV = "SAFEHOLD_SPARK_MASTER"
DEFAULT_MASTER = "local[*]"
# Memory of the driver (this process's JVM) in local mode; on a cluster, spark-defaults.conf.
DRIVER_MEMORY_ENV = "SAFEHOLD_SPARK_DRIVER_MEMORY"
DEFAULT_DRIVER_MEMORY = "2g"

# Local mode on a small machine (2 cores): few shuffle partitions (Spark's default of 200 makes
# 200 tiny tasks of every join), no web UI, nothing listening beyond the loopback address.
LOCAL_CONFIG = {
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
    "spark.ui.enabled": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}
CONFIG = {
    "spark.app.name": "safehold-linkage",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
}

# Functions that mean the same in DuckDB and Spark on the values the standard columns hold
# (lower-case ASCII names, digits, upper-case postcodes, dates), as sqlglot names them.
SAME_ON_BOTH = {"ABS", "YEAR", "MONTH", "DAY", "LEFT", "ARRAY_CONTAINS", "LENGTH", "COALESCE"}
JARO_WINKLER = "jaro_winkler_similarity"  # DuckDB's, called from Spark (below)
DAMERAU_LEVENSHTEIN = "damerau_levenshtein"  # Splink's jar


class UntranslatableSQL(ValueError):
    """A level or rule uses SQL whose meaning on Spark has not been checked against DuckDB's."""


def session(master: str | None = None) -> SparkSession:
    """The Spark session linkage runs in (one per process, created on first use): `master`, else
    SAFEHOLD_SPARK_MASTER, else local mode. Splink's similarity jar ships inside its wheel and
    is handed to Spark from there: nothing is downloaded."""
    master = master or os.environ.get(MASTER_ENV) or DEFAULT_MASTER
    builder = SparkSession.builder.master(master).config("spark.jars", similarity_jar_location())
    for key, value in CONFIG.items():
        builder = builder.config(key, value)
    if master.startswith("local"):
        for key, value in LOCAL_CONFIG.items():
            builder = builder.config(key, value)
        builder = builder.config(
            "spark.driver.memory", os.environ.get(DRIVER_MEMORY_ENV, DEFAULT_DRIVER_MEMORY)
        )
        # The Python workers that run DuckDB's Jaro-Winkler are this interpreter (its venv):
        # pyspark reads the variable when it starts the context.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    spark.udf.register(JARO_WINKLER, _jaro_winkler_udf())
    return spark


def linker(records: pa.Table, settings: dict) -> tuple[Linker, SparkAPI]:
    """A Splink linker over `records` (standardised, as columns.py makes them) in Spark, with the
    model's `settings` (DuckDB's SQL) translated for Spark; and the API that registers other
    tables (term-frequency lookups) beside them."""
    release()
    api = SparkAPI(spark_session=session(), break_lineage_method="persist")
    table = api.register(records, table_name=f"records_{uuid.uuid4().hex}")
    return Linker(table, spark_settings(settings), log_level=logging.WARNING), api


def rule(sql: str) -> dict:
    """A blocking rule in DuckDB's SQL (training's), as Splink takes it for Spark."""
    return {"blocking_rule": to_spark_sql(sql), "sql_dialect": "spark"}


def release() -> None:
    """Drop what a training or a linkage left in the session (Splink persists its intermediate
    tables; the records and lookups are views), so that the next one starts afresh."""
    spark = session()
    spark.catalog.clearCache()
    for table in spark.catalog.listTables():
        if table.isTemporary:
            spark.catalog.dropTempView(table.name)


def spark_settings(settings: dict) -> dict:
    """The Splink settings with every comparison level and blocking rule in Spark's SQL."""
    out = copy.deepcopy(settings)
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"].strip().upper() != "ELSE":
                level["sql_condition"] = to_spark_sql(level["sql_condition"])
    out["blocking_rules_to_generate_predictions"] = [
        rule(_rule_sql(blocking)) for blocking in out["blocking_rules_to_generate_predictions"]
    ]
    out.pop("sql_dialect", None)
    return out


def duckdb_settings(trained: dict, untrained: dict) -> dict:
    """Settings trained on Spark, written back in DuckDB's SQL (the model's one dialect): the
    trained probabilities with `untrained`'s levels and rules, position by position."""
    out = copy.deepcopy(trained)
    for comparison, original in zip(out["comparisons"], untrained["comparisons"], strict=True):
        levels = zip(comparison["comparison_levels"], original["comparison_levels"], strict=True)
        for level, original_level in levels:
            level["sql_condition"] = original_level["sql_condition"]
    out["blocking_rules_to_generate_predictions"] = copy.deepcopy(
        untrained["blocking_rules_to_generate_predictions"]
    )
    out["sql_dialect"] = "duckdb"
    return out


def to_spark_sql(sql: str) -> str:
    """A condition in DuckDB's SQL as a Spark condition with the same meaning (module docstring);
    UntranslatableSQL for a function not known to mean the same on both."""
    tree = sqlglot.parse_one(sql, read="duckdb").transform(_same_meaning_on_spark)
    for function in tree.find_all(exp.Func):
        name = function.name if isinstance(function, exp.Anonymous) else function.sql_name()
        if isinstance(function, (exp.Connector, exp.Case, exp.If)):
            continue
        if name.upper() not in SAME_ON_BOTH and name not in (JARO_WINKLER, DAMERAU_LEVENSHTEIN):
            raise UntranslatableSQL(
                f"{name.lower()} in «{sql}» has not been checked to mean the same on Spark as on DuckDB;"
                " add it to safehold/linkage/spark.py once it is (ADR 0056)"
            )
    return tree.sql(dialect="spark")


def _same_meaning_on_spark(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.JarowinklerSimilarity):
        return exp.Anonymous(this=JARO_WINKLER, expressions=[node.this, node.expression])
    if isinstance(node, exp.Anonymous) and node.name.lower() == DAMERAU_LEVENSHTEIN:
        left, right = node.expressions
        either_blank = exp.or_(
            exp.Is(this=left.copy(), expression=exp.Null()),
            exp.Is(this=right.copy(), expression=exp.Null()),
        )
        return exp.Case(
            ifs=[exp.If(this=either_blank, true=exp.Null())],
            default=exp.Anonymous(this=DAMERAU_LEVENSHTEIN, expressions=[left, right]),
        )
    if isinstance(node, exp.DateDiff):
        unit = node.args.get("unit")
        if unit is None or unit.name.lower() not in ("month", "months"):
            raise UntranslatableSQL(
                f"date_diff by {unit.name if unit else 'day'} is not translated for Spark"
            )
        return exp.paren(exp.Sub(this=_months(node.this), expression=_months(node.expression)))
    return node


def _months(date: exp.Expression) -> exp.Expression:
    """year * 12 + month of a date: DuckDB's date_diff('month', a, b) is the difference."""
    return exp.paren(
        exp.Add(
            this=exp.Mul(this=exp.Year(this=date.copy()), expression=exp.Literal.number(12)),
            expression=exp.Month(this=date.copy()),
        )
    )


def _rule_sql(rule) -> str:
    if isinstance(rule, dict):
        if rule.get("sql_dialect", "duckdb") != "duckdb":
            raise UntranslatableSQL(f"Blocking rule not in DuckDB's SQL: {rule}")
        return rule["blocking_rule"]
    return rule


def _jaro_winkler_udf():
    """DuckDB's jaro_winkler_similarity as a Spark (Arrow) UDF. The function is defined here, not
    at module level, so that Spark ships it by value: an executor needs DuckDB and PyArrow, not
    Safehold."""

    def jaro_winkler_similarity(left: pa.Array, right: pa.Array) -> pa.Array:
        import duckdb  # imported where the function runs: on the executor
        import pyarrow

        # One thread keeps the rows in the batch's order (and the worker to its core).
        con = duckdb.connect(config={"threads": 1})
        con.register("batch", pyarrow.table({"l": left, "r": right}))
        result = con.sql("select jaro_winkler_similarity(l, r) from batch").to_arrow_table()
        con.close()
        return result.column(0).combine_chunks()

    return arrow_udf(jaro_winkler_similarity, DoubleType())
