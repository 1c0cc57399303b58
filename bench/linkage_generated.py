"""Benchmark: Safehold's linkage against raw Splink on generated people records (issue 17's second
quality budget: 1,000,000 people, whole dedupe <= 1.2x raw Splink's time, F1 >= raw Splink's,
under 6 GB).

    .venv/bin/python bench/linkage_generated.py [--people 100000] [--only safehold|splink]
        [--work DIR]

The records come from safehold/linkage/generate.py (households; names as skewed as real ones;
each person recorded by one to three sources with typing slips, swapped names, swapped day and
month, nicknames, missing dates of birth, moves; parents and children of one name at one
address), seeded, written once to --work and reused by a later run with the same --people
(so `--only splink` scores the same records). Each tool runs in a fresh process, trained on the
records without labels and deduplicating them whole; the truth is read only to score, after
the clock and the peak memory were read. Reported: pairwise precision, recall and F1 of the
clusters at p >= 0.9 (the pairs they imply, counted from cluster sizes), best pairwise F1 over
the scored pairs, blocking recall, candidate pairs, wall time, peak memory (ru_maxrss) and the
ratio of the times. Scoring is SQL in DuckDB: no Python object per pair.

Safehold runs as the product does: `train`, then `link` (pairs from p >= 0.5, clusters at 0.9).
Its best F1 is therefore over the thresholds >= 0.5 (a lower bound of the best over every
threshold), and its blocking recall is its blocking rules evaluated on the true pairs (its
candidate pairs are counted by Splink's count_comparisons_from_blocking_rules). Raw Splink's
predict returns every candidate pair, so its figures come from them.

Raw Splink is its settings for a people dataset as its documentation writes them: NameComparison
on first name and surname (term-frequency adjusted), DateOfBirthComparison, PostcodeComparison,
LevenshteinAtThresholds on the address, ExactMatch on sex; blocking on first name and surname,
date of birth, postcode and surname, postcode and first name; prior from first name, surname and
date of birth at recall 0.7; u by random sampling (1 million pairs, as Safehold); m by EM on date of birth
and on first name and surname; connected components at 0.9.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def run_safehold(records: pa.Table, work: Path) -> tuple[pa.Table, pa.Table, float]:
    """Train and link as the product does (pairs from 0.5, clusters at the model's 0.9)."""
    from safehold.linkage.model import link, train

    started = time.perf_counter()
    model = train(records)
    result = link(records, model=model)
    seconds = time.perf_counter() - started
    c = result.clusters
    clusters = pa.table(
        {
            "unique_id": pc.binary_join_element_wise(c["source"], c["record_id"], "/"),
            "cluster_id": c["cluster_id"],
        }
    )
    pairs = result.pairs.select(["unique_id_l", "unique_id_r", "match_probability"])
    return clusters, pairs, seconds


def run_splink(records: pa.Table, work: Path) -> tuple[pa.Table, ds.Dataset, float]:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    con = duckdb.connect()
    con.register("raw", records)
    table = con.sql(
        """select source || '/' || record_id as unique_id, lower(first_name) as first_name,
                  lower(surname) as surname, try_cast(date_of_birth as date) as date_of_birth,
                  upper(sex) as sex, upper(postcode) as postcode, lower(address) as address
           from raw"""
    ).to_arrow_table()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("date_of_birth"),
            block_on("postcode", "surname"),
            block_on("postcode", "first_name"),
        ],
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=False),
            cl.PostcodeComparison("postcode"),
            cl.LevenshteinAtThresholds("address", [2, 5]),
            cl.ExactMatch("sex"),
        ],
    )
    api = DuckDBAPI(con)
    linker = Linker(api.register(table), settings, log_level=30)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=17)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    predictions = linker.inference.predict()
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.9
    ).as_pyarrow_table()
    seconds = time.perf_counter() - started
    # Every candidate pair, three columns, from Splink's table to a file by DuckDB (tens of
    # millions of rows here: through Python they would add gigabytes to its peak memory).
    path = work / "splink_pairs.parquet"
    con.execute(
        f"copy (select unique_id_l, unique_id_r, match_probability"  # noqa: S608
        f" from {predictions.physical_name}) to '{path}' (format parquet)"
    )
    return clustered.select(["unique_id", "cluster_id"]), ds.dataset(path), seconds


def safehold_blocking_recall(records: pa.Table, truth: pa.Table) -> tuple[float, int]:
    """The share of true pairs that some Safehold blocking rule keeps, by evaluating the rules
    on the true pairs themselves (link returns only the pairs worth a reviewer's time, p >= 0.5,
    so the candidate pairs are not at hand), and the number of candidate pairs Splink counts."""
    import duckdb
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from safehold.linkage.columns import standardise
    from safehold.linkage.model import BLOCKING_RULES

    con = duckdb.connect()
    standardise(con, records, name="records")
    con.register("truth", truth)
    any_rule = " or ".join(f"({rule})" for rule in BLOCKING_RULES)
    true, kept = con.sql(
        f"""with true_pairs as (
                select a.unique_id as l_id, b.unique_id as r_id from truth a join truth b
                on a.person = b.person and a.unique_id < b.unique_id)
            select count(*), count(*) filter (where {any_rule})
            from true_pairs join records l on l.unique_id = l_id
                join records r on r.unique_id = r_id"""  # noqa: S608 (our rules)
    ).fetchall()[0]
    counts = count_comparisons_from_blocking_rules(
        DuckDBAPI(con).register("records"),
        blocking_rules=list(BLOCKING_RULES),
        link_type="dedupe_only",
        record_sample_proportion=1.0,
    )
    con.close()
    return kept / true, counts[-1]["cumulative_comparison_count"]


def scores(clusters: pa.Table, pairs: pa.Table | ds.Dataset, truth: pa.Table) -> dict:
    """Pairwise scores in DuckDB (never a Python object per pair): the clusters' implied pairs
    counted from cluster and person sizes (a chained cluster of 100,000 records is 5 billion
    pairs), the best F1 over the scored pairs' thresholds, the true pairs among them."""
    import duckdb

    con = duckdb.connect()
    for name, table in (("clusters", clusters), ("pairs", pairs), ("truth", truth)):
        con.register(name, table)
    (true,) = con.sql(
        "select sum(n * (n - 1) // 2) from (select count(*) n from truth group by person)"
    ).fetchall()[0]
    found, tp = con.sql(
        """with j as (select cluster_id, person from clusters join truth using (unique_id))
           select (select sum(n * (n - 1) // 2) from
                      (select count(*) n from j group by cluster_id)),
                  (select sum(n * (n - 1) // 2) from
                      (select count(*) n from j group by cluster_id, person))"""
    ).fetchall()[0]
    precision, recall = (tp / found if found else 0.0), tp / true
    best, candidates, kept = con.sql(
        f"""with scored as (
                select match_probability as p, (a.person = b.person)::int as hit
                from pairs join truth a on a.unique_id = unique_id_l
                    join truth b on b.unique_id = unique_id_r),
            by_p as (select p, sum(hit) as tp, count(*) - sum(hit) as fp from scored group by p),
            running as (select sum(tp) over w as tp, sum(fp) over w as fp from by_p
                        window w as (order by p desc rows unbounded preceding))
            select (select max(2 * tp / (2 * tp + fp + ({true} - tp))) from running),
                   (select count(*) from scored), (select sum(hit) from scored)"""  # noqa: S608
    ).fetchall()[0]
    con.close()
    return {
        "clusters_at_0.9": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / (precision + recall), 4) if tp else 0.0,
        },
        "best_pairwise_f1": round(best, 4),
        "true_pairs": int(true),
        "scored_pairs": int(candidates),
        "true_pairs_scored": int(kept),
    }


def child(tool: str, work: Path) -> None:
    """Run one tool in this process and write its scores to work/tool.json. The peak memory is
    read as soon as the tool is done, before the scoring."""
    records = pq.read_table(work / "records.parquet")
    clusters, pairs, seconds = (run_safehold if tool == "safehold" else run_splink)(records, work)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    truth = pq.read_table(work / "truth.parquet")
    out = {"tool": tool, "records": records.num_rows} | scores(clusters, pairs, truth)
    if tool == "safehold":
        out["blocking_recall"], out["candidate_pairs"] = safehold_blocking_recall(records, truth)
        out["blocking_recall"] = round(out["blocking_recall"], 4)
    else:  # raw Splink's scored pairs are all its candidate pairs
        out["blocking_recall"] = round(out["true_pairs_scored"] / out["true_pairs"], 4)
        out["candidate_pairs"] = out["scored_pairs"]
    out |= {"seconds": round(seconds, 1), "peak_memory_mb": round(peak)}
    (work / f"{tool}.json").write_text(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--only", choices=["safehold", "splink"])
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "safehold-linkage-bench"
    )
    parser.add_argument("--child", choices=["safehold", "splink"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.work)
        return
    from safehold.linkage.generate import generate

    args.work.mkdir(parents=True, exist_ok=True)
    made = args.work / "people.txt"
    if not made.exists() or made.read_text() != str(args.people):
        # The same seed gives the same records: made once, reused by a later --only run.
        started = time.perf_counter()
        records, truth = generate(args.people, household_traps=args.people // 100)
        pq.write_table(records, args.work / "records.parquet")
        pq.write_table(
            pa.table({"unique_id": list(truth), "person": list(truth.values())}),
            args.work / "truth.parquet",
        )
        made.write_text(str(args.people))
        print(
            f"{records.num_rows} records of {args.people} people in "
            f"{time.perf_counter() - started:.1f} s"
        )
        del records, truth  # the children read them from the files
    for tool in [args.only] if args.only else ["safehold", "splink"]:
        subprocess.run(
            [sys.executable, __file__, "--child", tool, "--work", str(args.work)], check=True
        )
        print(json.dumps(json.loads((args.work / f"{tool}.json").read_text())))
    results = {
        tool: json.loads((args.work / f"{tool}.json").read_text())
        for tool in ("safehold", "splink")
        if (args.work / f"{tool}.json").exists()
    }
    print(
        f"\n{'tool':10} {'P@0.9':>7} {'R@0.9':>7} {'F1@0.9':>7} {'best F1':>8} {'blocking':>9}"
        f" {'pairs':>11} {'seconds':>8} {'peak MB':>8}"
    )
    for tool, r in results.items():
        c = r["clusters_at_0.9"]
        print(
            f"{tool:10} {c['precision']:7.4f} {c['recall']:7.4f} {c['f1']:7.4f}"
            f" {r['best_pairwise_f1']:8.4f} {r['blocking_recall']:9.4f}"
            f" {r['candidate_pairs']:11,} {r['seconds']:8.1f} {r['peak_memory_mb']:8,}"
        )
    if len(results) == 2:
        ratio = results["safehold"]["seconds"] / results["splink"]["seconds"]
        print(f"time ratio Safehold / raw Splink: {ratio:.2f} (budget 1.2)")


if __name__ == "__main__":
    main()
