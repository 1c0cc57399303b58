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
Safehold's time includes opening the connection (the views and the geography), as every
command or API call does. Safehold and DuckDB both return their result as an Arrow table;
Safehold's rows come ordered by the keys (as the command line and API give them) and with LSOA
names, so it is timed ordered and unordered, and DuckDB is timed both ways too. pandas
returns the grouped Series. The locked pandas is 3.x (pyarrow-backed strings, several times
faster at this than 2.x); `--pandas-python` times the same pandas code in another interpreter
too, e.g. a venv with pandas 2.2, the version most analysts' machines still have.
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
started = time.perf_counter()
con = queries.connect()
opened = time.perf_counter()
table = queries.counts(con, group_by=["month", "crime_type", "lsoa"], ordered={ordered})
done = time.perf_counter()
print(json.dumps({{"seconds": done - started, "query": done - opened,
                  "groups": table.arrow.num_rows,
                  "rows": table.arrow.column("count").to_numpy().sum().item()}}))
"""

DUCKDB = """
import duckdb, json, time
started = time.perf_counter()
con = duckdb.connect(config={{"threads": 2}})
table = con.sql(
    "SELECT month, crime_type, lsoa_code, count(*) AS n FROM read_parquet({glob!r}, "
    "hive_partitioning=true) GROUP BY ALL {order}"
).to_arrow_table()
print(json.dumps({{"seconds": time.perf_counter() - started, "groups": table.num_rows,
                  "rows": table.column("n").to_numpy().sum().item()}}))
"""

PANDAS = """
import json, time
import pandas as pd
files = json.load(open({files!r}))
started = time.perf_counter()
frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
counts = frame.groupby(["Month", "Crime type", "LSOA code"], dropna=False).size()
print(json.dumps({{"seconds": time.perf_counter() - started, "groups": len(counts),
                  "rows": int(counts.sum())}}))
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
            f"  {label:20s} {t[label]:6.2f}s, peak {median(r, 'peak_mb'):,.0f} MB, "
            f"{out['groups']:,} groups of {out['rows']:,} rows"
        )
    q = sorted(r.output["query"] for r in runs["Safehold"])[repeat // 2]
    print(f"  (Safehold's ordered query alone, without opening the connection: {q:.2f}s)")
    print(
        f"  ratio Safehold / DuckDB on the same Parquet: "
        f"ordered rows {t['Safehold'] / t['DuckDB, ordered']:.2f}x, "
        f"unordered {t['Safehold, unordered'] / t['DuckDB']:.2f}x, "
        f"Safehold ordered against DuckDB unordered {t['Safehold'] / t['DuckDB']:.2f}x"
    )
    for label in (k for k in t if k.startswith("pandas")):
        print(
            f"  {label} / Safehold (target >= 20x faster): {t[label] / t['Safehold']:.1f}x "
            f"ordered, {t[label] / t['Safehold, unordered']:.1f}x unordered"
        )


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
