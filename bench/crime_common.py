"""What the crime benchmarks share: the data sets, a fresh process per measurement, and its
wall time and peak memory (from `os.wait4`, so each child's own peak)."""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SHARED = Path(os.environ.get("SAFEHOLD_SHARED_DATA", ROOT.parent.parent / "shared" / "data"))
if not SHARED.exists():
    SHARED = Path("/work/shared/data")
GENERATOR = SHARED.parent / "tools" / "gen_police_uk.py"
NATIONAL = SHARED / "national_2021-08_street"
ONS_FILES = [
    SHARED / "ew_lsoa11_lsoa21_lad22_lookup"
    / "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Best_Fit_Lookup_for_EW_(V2).csv",
    SHARED / "ew_lsoa11_ward17_lookup" / "lsoa-lookup-2011.csv",
    SHARED / "census2021_lsoa_population" / "census2021-ts001-lsoa.csv",
    SHARED / "imd2019" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv",
    SHARED / "lsoa11_pop_weighted_centroids"
    / "Lower_Layer_Super_Output_Areas_December_2011_Population_Weighted_Centroids.csv",
]  # fmt: skip


@dataclass(frozen=True)
class Run:
    wall: float  # the whole process, start to exit
    seconds: float  # the work itself, timed inside the process
    peak_mb: float
    output: dict

    @property
    def cpu(self) -> float:
        """The work's CPU time, every thread (if the child timed it)."""
        return self.output.get("cpu", float("nan"))


def measure(code: str, env: dict[str, str] | None = None, python: str = PYTHON) -> Run:
    """Run `code` in a fresh Python (this one unless another interpreter is given); it prints
    one JSON line with at least "seconds"."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [python, "-c", code],
        stdout=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode:
        sys.exit(f"a benchmark child failed (exit {child.returncode})")
    output = json.loads(out.decode().strip().splitlines()[-1])
    return Run(wall, output["seconds"], usage.ru_maxrss / 1024, output)


def median(runs: list[Run], attribute: str) -> float:
    return statistics.median(getattr(r, attribute) for r in runs)


def year_files(work: Path, rows: int) -> tuple[Path, Path]:
    """A generated England-and-Wales year: one CSV, and the same rows as police.uk files
    (`YYYY-MM/YYYY-MM-<force>-street.csv`, one per force and month). Made once, then reused."""
    work.mkdir(parents=True, exist_ok=True)
    single = work / f"ew_year_{rows}.csv"
    folder = work / f"ew_year_{rows}"
    if not single.exists():
        print(f"Generating {rows:,} rows with {GENERATOR.name} …", flush=True)
        subprocess.run(
            [PYTHON, str(GENERATOR), str(single), "--rows", str(rows), "--months", "12"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not folder.exists():
        # In a child process: a big parent would lend its peak memory to every child it
        # starts (Linux counts a forked child's peak from the parent's size at the fork).
        print("Splitting it into police.uk files (one per force and month) …", flush=True)
        subprocess.run([PYTHON, __file__, "split", str(single), str(folder)], check=True, cwd=ROOT)
    return single, folder


def split_into_police_files(source: Path, folder: Path) -> None:
    import duckdb

    sys.path.insert(0, str(ROOT))
    from safehold.crime.forces import slug_of

    temp = folder.with_name(folder.name + ".partial")
    shutil.rmtree(temp, ignore_errors=True)
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT *, "Month" AS m, "Falls within" AS f
            FROM read_csv('{source}', all_varchar=true))
        TO '{temp}' (FORMAT csv, PARTITION_BY (m, f), WRITE_PARTITION_COLUMNS false)"""  # noqa: S608
    ).fetchall()
    from urllib.parse import unquote

    for path in sorted(temp.glob("m=*/f=*/*.csv")):
        month, force = path.parent.parent.name[2:], unquote(path.parent.name[2:])
        target = folder / month / f"{month}-{slug_of(force)}-street.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    shutil.rmtree(temp)


def csv_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.csv"))


def size_mb(paths) -> float:
    return sum(Path(p).stat().st_size for p in paths) / 1e6


if __name__ == "__main__" and sys.argv[1:2] == ["split"]:
    split_into_police_files(Path(sys.argv[2]), Path(sys.argv[3]))
