"""Benchmark: `safehold crime import` against DuckDB's own CSV -> Parquet of the same files.

    .venv/bin/python bench/crime_ingest.py [--rows 6000000] [--repeat 3] [--work /tmp/…]
        [--only national|year]

Two data sets: the 40-force national month in ../shared/data/national_2021-08_street, and a
generated England-and-Wales year (../shared/tools/gen_police_uk.py, split into police.uk files,
one per force and month, made once under --work). Each measurement is a fresh process, the
two alternating, `--repeat` times; medians are printed with their ratio (target: import within
1.5x of DuckDB, peak memory under 2 GB). The import is timed inside its process (Django's
start-up is not counted there; the whole-process time is printed too) into an empty store that
already holds the Greater Manchester geography, as a store does after first use.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crime_common import (
    NATIONAL,
    PYTHON,
    ROOT,
    csv_files,
    measure,
    median,
    size_mb,
    year_files,
)

DUCKDB = """
import duckdb, json, time
files = json.load(open({files!r}))
started = time.perf_counter()
con = duckdb.connect(config={{"threads": 2}})
listed = "[" + ", ".join("'" + f + "'" for f in files) + "]"
con.execute(f"COPY (SELECT * FROM read_csv({{listed}})) TO {out!r} (FORMAT parquet, COMPRESSION zstd)").fetchall()
seconds = time.perf_counter() - started
rows = con.execute(f"SELECT count(*) FROM read_parquet({out!r})").fetchall()[0][0]
print(json.dumps({{"seconds": seconds, "rows": rows}}))
"""

SAFEHOLD = """
import json, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
from safehold.crime.ingest import import_police_files
started = time.perf_counter()
result = import_police_files(paths=[{folder!r}])
seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds, "rows": result.rows, "files": len(result.files),
                  "placed": result.placed, "unplaced": result.unplaced}}))
"""


def bench(name: str, folder: Path, work: Path, repeat: int, env: dict, geography: Path) -> None:
    files = csv_files(folder)
    listing = work / f"{name}-files.json"
    listing.write_text(json.dumps(files))
    print(f"\n{name}: {len(files)} files, {size_mb(files):,.0f} MB of CSV", flush=True)
    duck, ours = [], []
    for i in range(repeat):
        out = work / f"{name}-duckdb.parquet"
        out.unlink(missing_ok=True)
        duck.append(measure(DUCKDB.format(files=str(listing), out=str(out))))
        store = work / f"{name}-store-{i}"
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(geography, store / "crime" / "geography")
        ours.append(measure(SAFEHOLD.format(folder=str(folder)), {**env, "DATA_DIR": str(store)}))
        print(
            f"  run {i + 1}: DuckDB {duck[-1].seconds:.2f}s {duck[-1].peak_mb:,.0f} MB | "
            f"Safehold {ours[-1].seconds:.2f}s {ours[-1].peak_mb:,.0f} MB",
            flush=True,
        )
        shutil.rmtree(store)
    assert ours[-1].output["rows"] == duck[-1].output["rows"], "row counts differ"
    d, s = median(duck, "seconds"), median(ours, "seconds")
    print(f"  rows: {ours[-1].output['rows']:,} (both)")
    print(f"  DuckDB COPY … TO parquet (zstd): {d:.2f}s, peak {median(duck, 'peak_mb'):,.0f} MB")
    print(
        f"  safehold crime import:           {s:.2f}s, peak {median(ours, 'peak_mb'):,.0f} MB "
        f"(whole process {median(ours, 'wall'):.2f}s)"
    )
    print(f"  ratio import / DuckDB: {s / d:.2f}x (target <= 1.5x); peak under 2 GB: "
          f"{'yes' if max(r.peak_mb for r in ours) < 2048 else 'NO'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=6_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "safehold-bench-crime"
    )
    parser.add_argument("--only", choices=("national", "year"))
    args = parser.parse_args()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    env = {
        "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    subprocess.run(
        [PYTHON, "-m", "safehold.cli", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True,
        env={**__import__("os").environ, **env},
    )  # fmt: skip
    geography = work / "geography"
    if not geography.exists():
        subprocess.run(
            [PYTHON, "-m", "safehold.cli", "geography", "load-gm"], cwd=ROOT, check=True,
            env={**__import__("os").environ, **env, "DATA_DIR": str(work / "geo")},
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        shutil.move(work / "geo" / "crime" / "geography", geography)
    if args.only in (None, "national"):
        bench("national month 2021-08", NATIONAL, work, args.repeat, env, geography)
    if args.only in (None, "year"):
        _, folder = year_files(work, args.rows)
        bench(f"generated year ({args.rows:,} rows)", folder, work, args.repeat, env, geography)


if __name__ == "__main__":
    main()
