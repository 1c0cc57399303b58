"""Benchmark: Safehold's linkage against raw Splink on generated people records (issue 17's second
quality budget: 1,000,000 records, whole dedupe <= 1.2x raw Splink's time, F1 >= raw Splink's,
under 6 GB). A skeleton so far: run it at 100,000 first.

    .venv/bin/python bench/linkage_generated.py [--people 100000] [--only safehold|splink]

The records come from safehold/linkage/generate.py (households; each person recorded by one to
three sources with typing slips, swapped names, swapped day and month, nicknames, missing dates
of birth, moves; parents and children of one name at one address), seeded. Each tool runs in a
fresh process (bench/crime_common.py's `measure` is not used: one process each is enough at this
size), trained on the records without labels and deduplicating them whole; the truth is read
only to score. Reported: pairwise precision, recall and F1 of the clusters at p >= 0.9 (the
pairs they imply), best pairwise F1 over the scored pairs, blocking recall, wall time and peak
memory (ru_maxrss).

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
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def implied(groups) -> set[tuple[str, str]]:
    return {
        (m[i], m[j]) if m[i] < m[j] else (m[j], m[i])
        for m in groups.values()
        if len(m) > 1
        for i in range(len(m))
        for j in range(i + 1, len(m))
    }


def score(found: set, true: set) -> dict:
    tp = len(found & true)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(true)
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if tp else 0.0,
    }


def best_f1(pairs: list[tuple[str, str, float]], true: set) -> float:
    tp = fp = 0
    top = 0.0
    for a, b, _p in sorted(pairs, key=lambda x: -x[2]):
        if ((a, b) if a < b else (b, a)) in true:
            tp += 1
        else:
            fp += 1
        top = max(top, 2 * tp / (2 * tp + fp + (len(true) - tp)))
    return round(top, 4)


def run_safehold(records: pa.Table) -> tuple[dict, list, float]:
    from safehold.linkage.model import link, train

    started = time.perf_counter()
    model = train(records)
    result = link(records, model=model, pair_floor=0.0)
    seconds = time.perf_counter() - started
    c = result.clusters
    clusters = dict(
        zip(
            [
                f"{s}/{r}"
                for s, r in zip(
                    c.column("source").to_pylist(), c.column("record_id").to_pylist(), strict=True
                )
            ],
            c.column("cluster_id").to_pylist(),
            strict=True,
        )
    )
    p = result.pairs
    pairs = list(
        zip(
            p.column("unique_id_l").to_pylist(),
            p.column("unique_id_r").to_pylist(),
            p.column("match_probability").to_pylist(),
            strict=True,
        )
    )
    return clusters, pairs, seconds


def run_splink(records: pa.Table) -> tuple[dict, list, float]:
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
    p = predictions.as_pyarrow_table()
    pairs = list(
        zip(
            p.column("unique_id_l").to_pylist(),
            p.column("unique_id_r").to_pylist(),
            p.column("match_probability").to_pylist(),
            strict=True,
        )
    )
    clusters = dict(
        zip(
            clustered.column("unique_id").to_pylist(),
            clustered.column("cluster_id").to_pylist(),
            strict=True,
        )
    )
    return clusters, pairs, seconds


def child(tool: str, work: Path) -> None:
    """Run one tool in this process and write its scores to work/tool.json."""
    records = pq.read_table(work / "records.parquet")
    truth = json.loads((work / "truth.json").read_text())
    clusters, pairs, seconds = (run_safehold if tool == "safehold" else run_splink)(records)
    by_cluster, by_person = defaultdict(list), defaultdict(list)
    for record, cluster in clusters.items():
        by_cluster[cluster].append(record)
    for record, person in truth.items():
        by_person[person].append(record)
    true = implied(by_person)
    candidates = {(a, b) if a < b else (b, a) for a, b, _ in pairs}
    out = {
        "tool": tool,
        "records": records.num_rows,
        "clusters_at_0.9": score(implied(by_cluster), true),
        "best_pairwise_f1": best_f1(pairs, true),
        "blocking_recall": round(len(candidates & true) / len(true), 4),
        "candidate_pairs": len(candidates),
        "seconds": round(seconds, 1),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
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
    started = time.perf_counter()
    records, truth = generate(args.people, household_traps=args.people // 100)
    pq.write_table(records, args.work / "records.parquet")
    (args.work / "truth.json").write_text(json.dumps(truth))
    print(
        f"{records.num_rows} records of {args.people} people in {time.perf_counter() - started:.1f} s"
    )
    for tool in [args.only] if args.only else ["safehold", "splink"]:
        subprocess.run(
            [sys.executable, __file__, "--child", tool, "--work", str(args.work)], check=True
        )
        print(json.dumps(json.loads((args.work / f"{tool}.json").read_text())))


if __name__ == "__main__":
    main()
