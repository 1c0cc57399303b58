"""Benchmark: a month x crime type x LSOA summary over the stored data, against DuckDB on the
same Parquet and against the analyst's route today, pandas `read_csv` + `groupby` of the CSVs.

    .venv/bin/python bench/crime_summary.py [--rows 6000000] [--repeat 3] [--work /tmp/…]
        [--only national|year] [--pandas-python /path/to/other/venv/bin/python]

The stores are made once under --work (with the England and Wales lookups from
../shared/data, so LSOA codes are mapped to 2021 LSOAs as they are in use). Each measurement
is a fresh process, the three alternating, `--repeat` times; medians and ratios are printed
(target: Safehold at least 20x faster than pandas). Safehold answers from the counts each import
keeps and the monthly summary files made from them (docs/adr/0038-crime-counts-kept-at-import.md),
DuckDB and pandas scan the rows; a store imported before the counts were kept is counted first
(`safehold crime recover`), and the monthly files are made before the timed runs (one untimed
run), as the import makes them.

What each side does (the same question: street rows counted by month, crime type and LSOA):
- Safehold opens its connection (DuckDB, the geography's and police.uk's views, unbound until
  used, and the list of what is loaded: what every command or API call does, and timed), checks
  each month's summary file against the counts files and geography it was made from, and reads
  the twelve files (Arrow IPC, LZ4; docs/adr/0046-crime-summary-read-as-arrow.md) into one
  Arrow table, ordered by month, crime type and LSOA, with each 2021 LSOA's name; its text
  columns are dictionary-encoded (each value held once, as pandas' MultiIndex holds its levels).
  LSOA codes are those of the 2021 LSOAs the rows' codes map to (so a few 2011 LSOAs merged or
  split in 2021 give slightly fewer groups than the raw codes do).
- DuckDB groups the rows of the same store's Parquet files by their raw LSOA code (no names,
  no mapping), timed unordered and ordered.
- pandas reads the generated CSV (the analyst's route today: `read_csv` + `groupby`, which
  sorts by the keys) and returns the grouped Series, raw LSOA codes, no names.
All three are timed from inside a fresh process (wall time, and CPU time of every thread), the
imports before the clock. After the timed runs, one untimed check compares the answers: pandas'
counts, its LSOA codes mapped to 2021 as Safehold maps them and summed, must equal Safehold's
rows exactly, Safehold's rows must be in key order and its names those of the geography, and
DuckDB's groups must equal pandas'; the benchmark stops if they are not. The locked pandas is 3.x
(pyarrow-backed strings, several times faster at this than 2.x); `--pandas-python` times the
same pandas code in another interpreter too, e.g. a venv with pandas 2.2, the version most
analysts' machines still have.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crime_common import (
    NATIONAL,
    ONS_FILES,
    PYTHON,
    ROOT,
    csv_files,
    measure,
    median,
    year_files,
)

SAFEHOLD = """
import json, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
from safehold.crime import queries
started, cpu = time.perf_counter(), time.process_time()
con = queries.connect()
opened = time.perf_counter()
table = queries.counts(con, group_by=["month", "crime_type", "lsoa"], ordered={ordered})
done = time.perf_counter()
print(json.dumps({{"seconds": done - started, "query": done - opened,
                  "cpu": time.process_time() - cpu,
                  "groups": table.arrow.num_rows,
                  "rows": table.arrow.column("count").to_numpy().sum().item()}}))
"""

DUCKDB = """
import duckdb, json, time
started, cpu = time.perf_counter(), time.process_time()
con = duckdb.connect(config={{"threads": 2}})
table = con.sql(
    "SELECT month, crime_type, lsoa_code, count(*) AS n FROM read_parquet({glob!r}, "
    "hive_partitioning=true) GROUP BY ALL {order}"
).to_arrow_table()
print(json.dumps({{"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                  "groups": table.num_rows,
                  "rows": table.column("n").to_numpy().sum().item()}}))
"""

PANDAS = """
import json, time
import pandas as pd
files = json.load(open({files!r}))
started, cpu = time.perf_counter(), time.process_time()
frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
counts = frame.groupby(["Month", "Crime type", "LSOA code"], dropna=False).size()
print(json.dumps({{"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                  "groups": len(counts),
                  "rows": int(counts.sum())}}))
"""

# Untimed: the three answers compared (see the docstring). Prints the differences found.
CHECK = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from safehold.crime import queries
files = json.load(open({files!r}))
con = queries.connect()
table = queries.counts(con, group_by=["month", "crime_type", "lsoa"])
safehold = pa.table([c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c
                     for c in table.arrow.columns], names=list(table.columns))
order = pc.sort_indices(
    safehold, sort_keys=[(k, "ascending", "at_end") for k in ("month", "crime_type", "lsoa")])
frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
grouped = frame.groupby(["Month", "Crime type", "LSOA code"], dropna=False).size()
theirs = pa.table({{"month": pa.array(grouped.index.get_level_values(0).astype(str), pa.string()),
                   "crime_type": pa.array(grouped.index.get_level_values(1).astype(str), pa.string()),
                   "lsoa": pa.array(grouped.index.get_level_values(2).to_numpy(dtype=object),
                                    pa.string(), from_pandas=True),
                   "n": pa.array(grouped.to_numpy(), pa.int64())}})
duck = duckdb.connect().sql(
    "SELECT month, crime_type, lsoa_code AS lsoa, count(*) AS n FROM read_parquet({glob!r}, "
    "hive_partitioning=true) GROUP BY ALL").to_arrow_table()
con.register("safehold_rows", safehold)
con.register("pandas_rows", theirs)
con.register("duckdb_rows", duck)
mapped = (
    "SELECT month, crime_type, coalesce(m.lsoa21_code, p.lsoa) AS lsoa, "
    "CAST(sum(p.n) AS BIGINT) AS count FROM pandas_rows p "
    "LEFT JOIN lsoa_codes m ON m.code = p.lsoa GROUP BY ALL")
ours = "SELECT month, crime_type, lsoa, count FROM safehold_rows"
differences = {{
    "Safehold rows not in pandas' (mapped)": f"SELECT count(*) FROM ({{ours}} EXCEPT ALL {{mapped}})",
    "pandas' rows (mapped) not in Safehold's": f"SELECT count(*) FROM ({{mapped}} EXCEPT ALL {{ours}})",
    "Safehold names not the geography's": (
        "SELECT count(*) FROM safehold_rows s LEFT JOIN lsoa21 g ON g.lsoa21_code = s.lsoa "
        "WHERE s.lsoa_name IS DISTINCT FROM g.lsoa21_name"),
    "DuckDB groups not pandas'": (
        "SELECT count(*) FROM (SELECT * FROM duckdb_rows EXCEPT ALL SELECT * FROM pandas_rows)"),
    "pandas groups not DuckDB's": (
        "SELECT count(*) FROM (SELECT * FROM pandas_rows EXCEPT ALL SELECT * FROM duckdb_rows)"),
}}
found = {{label: con.execute(sql).fetchone()[0] for label, sql in differences.items()}}
found["Safehold rows out of key order"] = int(pc.sum(pc.not_equal(
    order, pa.array(range(len(safehold)), pa.uint64()))).as_py() or 0)
print(json.dumps({{"seconds": 0, "groups": safehold.num_rows, "pandas groups": theirs.num_rows,
                  "differences": found}}))
"""


def prepare_store(store: Path, source: Path, env: dict) -> None:
    if (store / "crime" / "kind=street").exists():
        # A store imported before the counts were kept: count it (what recovery does).
        subprocess.run(
            [PYTHON, "-m", "safehold.cli", "crime", "recover"],
            cwd=ROOT, env={**os.environ, **env, "DATA_DIR": str(store)}, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return
    print(f"Importing {source} into {store} (once) …", flush=True)
    child_env = {**os.environ, **env, "DATA_DIR": str(store)}
    ons = [str(p) for p in ONS_FILES if p.exists()]
    if ons:
        subprocess.run(
            [PYTHON, "-m", "safehold.cli", "geography", "load", *ons],
            cwd=ROOT, env=child_env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    subprocess.run(
        [PYTHON, "-m", "safehold.cli", "crime", "import", str(source)],
        cwd=ROOT, env=child_env, check=True, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def bench(
    name: str,
    store: Path,
    raw: list[str],
    work: Path,
    repeat: int,
    env: dict,
    other_pandas: str | None = None,
) -> None:
    listing = work / f"{name.split()[0]}-raw.json"
    listing.write_text(json.dumps(raw))
    glob = str(store / "crime" / "kind=street" / "force=*" / "month=*" / "data.parquet")
    print(f"\n{name}", flush=True)
    routes = {
        "Safehold": (SAFEHOLD.format(ordered=True), {**env, "DATA_DIR": str(store)}),
        "Safehold, unordered": (SAFEHOLD.format(ordered=False), {**env, "DATA_DIR": str(store)}),
        "DuckDB": (DUCKDB.format(glob=glob, order=""), {}),
        "DuckDB, ordered": (
            DUCKDB.format(glob=glob, order="ORDER BY month, crime_type, lsoa_code"),
            {},
        ),
        "pandas": (PANDAS.format(files=str(listing)), {}),
    }
    pythons = {}
    if other_pandas:
        version = subprocess.run(
            [other_pandas, "-c", "import pandas; print(pandas.__version__)"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        label = f"pandas {version}"
        routes[label] = routes["pandas"]
        pythons[label] = other_pandas
    runs: dict[str, list] = {name: [] for name in routes}
    measure(routes["Safehold"][0], routes["Safehold"][1])  # the monthly files, made once
    for i in range(repeat):
        for label, (code, child_env) in routes.items():
            runs[label].append(measure(code, child_env, pythons.get(label, PYTHON)))
        print(
            f"  run {i + 1}: " + " | ".join(f"{k} {v[-1].seconds:.2f}s" for k, v in runs.items()),
            flush=True,
        )
    t = {label: median(r, "seconds") for label, r in runs.items()}
    for label, r in runs.items():
        out = r[-1].output
        print(
            f"  {label:20s} {t[label]:6.2f}s (CPU {median(r, 'cpu'):6.2f}s), "
            f"peak {median(r, 'peak_mb'):,.0f} MB, {out['groups']:,} groups of {out['rows']:,} rows"
        )
    q = sorted(r.output["query"] for r in runs["Safehold"])[repeat // 2]
    print(f"  (Safehold's ordered query alone, without opening the connection: {q:.2f}s)")
    print(
        f"  ratio Safehold / DuckDB on the same Parquet: "
        f"ordered rows {t['Safehold'] / t['DuckDB, ordered']:.2f}x, "
        f"unordered {t['Safehold, unordered'] / t['DuckDB']:.2f}x, "
        f"Safehold ordered against DuckDB unordered {t['Safehold'] / t['DuckDB']:.2f}x"
    )
    cpu = {label: median(r, "cpu") for label, r in runs.items()}
    for label in (k for k in t if k.startswith("pandas")):
        print(
            f"  {label} / Safehold (target >= 20x faster): {t[label] / t['Safehold']:.1f}x "
            f"ordered, {t[label] / t['Safehold, unordered']:.1f}x unordered; "
            f"CPU time {cpu[label] / cpu['Safehold']:.1f}x ordered"
        )
    print("  checking the answers are the same (untimed) …", flush=True)
    check = measure(
        CHECK.format(files=str(listing), glob=glob), {**env, "DATA_DIR": str(store)}
    ).output
    print(
        f"  Safehold {check['groups']:,} groups, pandas {check['pandas groups']:,} (raw codes); "
        + ", ".join(f"{k}: {v}" for k, v in check["differences"].items())
    )
    if any(check["differences"].values()):
        sys.exit("the answers differ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=6_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "safehold-bench-crime"
    )
    parser.add_argument("--only", choices=("national", "year"))
    parser.add_argument("--pandas-python", help="another interpreter to time pandas in too")
    args = parser.parse_args()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    env = {
        "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    subprocess.run(
        [PYTHON, "-m", "safehold.cli", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True,
        env={**os.environ, **env},
    )  # fmt: skip
    if args.only in (None, "national"):
        store = work / "summary-national"
        prepare_store(store, NATIONAL, env)
        bench(
            "national month 2021-08 (40 files)", store, csv_files(NATIONAL), work, args.repeat,
            env, args.pandas_python,
        )  # fmt: skip
    if args.only in (None, "year"):
        single, folder = year_files(work, args.rows)
        store = work / f"summary-year-{args.rows}"
        prepare_store(store, folder, env)
        bench(f"generated year ({args.rows:,} rows; pandas reads the one generated CSV)",
              store, [str(single)], work, args.repeat, env, args.pandas_python)  # fmt: skip


if __name__ == "__main__":
    main()
