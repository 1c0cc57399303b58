"""The same linkage on Spark as on DuckDB (issue 17, item 5; ADR 0056): a model trained once on
DuckDB scores every candidate pair of a generated partnership (with its household traps) on Spark
as on DuckDB, to 1e-9, and gives the same clusters; a model trained on Spark gives the same
clusters too; and every comparison level's SQL is translated to Spark with DuckDB's meaning.

Spark runs in local mode (one JVM for the module: the Spark test is one test function, so that
pytest-xdist cannot start a second session on another worker)."""

import math
from datetime import date

import duckdb
import pytest

from safehold.linkage import spark
from safehold.linkage.generate import generate
from safehold.linkage.model import link, settings, train

# Spark and DuckDB only: no database (CI's PostgreSQL pass leaves it out; ADR 0057).
pytestmark = pytest.mark.database_free


@pytest.fixture(scope="module")
def spark_session():
    session = spark.session()
    yield session
    session.stop()


def scored(result) -> dict[tuple[str, str], dict]:
    """Each scored pair's probability and comparison levels (gamma_*), by its two records."""
    rows = result.pairs.to_pylist()
    return {
        (row["unique_id_l"], row["unique_id_r"]): {
            "match_probability": row["match_probability"],
            "levels": {k: v for k, v in row.items() if k.startswith("gamma_")},
        }
        for row in rows
    }


def partition(result) -> set[frozenset[str]]:
    """The clusters as sets of records, whatever their ids."""
    groups: dict[str, set[str]] = {}
    for row in result.clusters.to_pylist():
        groups.setdefault(row["cluster_id"], set()).add(f"{row['source']}/{row['record_id']}")
    return {frozenset(group) for group in groups.values()}


def test_duckdb_and_spark_give_the_same_pairs_and_clusters(spark_session):
    records, truth = generate(300, seed=56, household_traps=6)
    assert records.num_rows > 400
    model = train(records, u_sample_pairs=2e5)

    # One model, two engines: every candidate pair (pair_floor 0) at the same comparison levels
    # and the same probability, so the same clusters, household traps and all.
    on_duckdb = link(records, model=model, pair_floor=0.0)
    on_spark = link(records, model=model, pair_floor=0.0, engine="spark")
    duckdb_pairs, spark_pairs = scored(on_duckdb), scored(on_spark)
    assert len(duckdb_pairs) > 500
    assert spark_pairs.keys() == duckdb_pairs.keys()
    for pair, expected in duckdb_pairs.items():
        assert spark_pairs[pair]["levels"] == expected["levels"], pair
        assert math.isclose(
            spark_pairs[pair]["match_probability"], expected["match_probability"], abs_tol=1e-9
        ), pair
    clusters = partition(on_duckdb)
    assert partition(on_spark) == clusters
    assert len(clusters) < records.num_rows * 0.8  # duplicates did join
    parents = {r for r, person in truth.items() if person.endswith("-parent")}
    children = {r for r, person in truth.items() if person.endswith("-child")}
    assert parents and children
    assert not any(group & parents and group & children for group in clusters)

    # Training on Spark: the same steps (u by random sampling there, EM there); the model is
    # saved in DuckDB's SQL, and its clusters are DuckDB's model's (scored on DuckDB: the engines
    # score a model alike, as above).
    trained_on_spark = train(records, u_sample_pairs=2e5, engine="spark")
    assert trained_on_spark.notes["engine"] == "spark"
    assert [c["comparison_levels"] for c in trained_on_spark.settings["comparisons"]] != [
        c["comparison_levels"] for c in model.settings["comparisons"]
    ]  # trained values of its own ...
    conditions = [
        [level["sql_condition"] for level in c["comparison_levels"]]
        for c in trained_on_spark.settings["comparisons"]
    ]
    assert conditions == [
        [level["sql_condition"] for level in c["comparison_levels"]]
        for c in model.settings["comparisons"]
    ]  # ... on the same levels, in DuckDB's SQL
    assert partition(link(records, model=trained_on_spark)) == clusters


def test_every_level_and_rule_of_the_model_translates_to_spark():
    every_column = settings(present={"sex", "address", "postcode", "uprn", "identifier"})
    translated = spark.spark_settings(every_column)
    conditions = [
        level["sql_condition"]
        for c in translated["comparisons"]
        for level in c["comparison_levels"]
    ]
    assert not any("date_diff" in c.lower() or "datediff" in c.lower() for c in conditions)
    assert any("JARO_WINKLER_SIMILARITY(" in c for c in conditions)  # DuckDB's, as a UDF
    assert all(
        rule["sql_dialect"] == "spark"
        for rule in translated["blocking_rules_to_generate_predictions"]
    )
    # Back from Spark: the levels and rules are the model's own again.
    assert (
        spark.duckdb_settings(translated, every_column)["comparisons"]
        == (every_column["comparisons"])
    )


def test_months_apart_on_spark_mean_what_date_diff_means_in_duckdb():
    """DuckDB's date_diff('month') counts month boundaries (31 March to 1 April is one month);
    Spark's would count whole months (none). The translation is DuckDB's meaning, written in SQL
    both accept: evaluated here by DuckDB against its own date_diff."""
    condition = spark.to_spark_sql("abs(date_diff('month', a, b))")
    dates = [
        (date(1970, 3, 31), date(1970, 4, 1)),
        (date(1970, 4, 1), date(1970, 3, 31)),
        (date(1998, 7, 2), date(1970, 3, 12)),
        (date(2000, 2, 29), date(2001, 2, 28)),
        (date(1985, 12, 31), date(1986, 1, 1)),
        (date(1985, 1, 1), date(1985, 1, 31)),
    ]
    con = duckdb.connect()
    for a, b in dates:
        expected, translated = con.execute(
            f"select abs(date_diff('month', $a, $b)), {condition} from (select $a as a, $b as b)",  # noqa: S608 (our own translation)
            {"a": a, "b": b},
        ).fetchone()
        assert translated == expected, (a, b)


def test_sql_not_checked_against_duckdb_is_refused():
    with pytest.raises(spark.UntranslatableSQL, match="levenshtein"):
        spark.to_spark_sql("levenshtein(first_name_l, first_name_r) <= 2")
    with pytest.raises(spark.UntranslatableSQL, match="date_diff by"):
        spark.to_spark_sql("date_diff('day', date_of_birth_l, date_of_birth_r) < 7")


def test_an_unknown_engine_is_refused():
    records, _ = generate(5, seed=1, household_traps=0)
    with pytest.raises(ValueError, match="No linkage engine 'polars'"):
        train(records, engine="polars")
