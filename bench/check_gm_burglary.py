"""A larger real-data check (on demand, not a test): every Greater Manchester burglary of
February 2016 to January 2019 through Safehold's police.uk import, and Stockport's ward counts
checked against point-in-polygon on the true ward boundaries.

    .venv/bin/python bench/check_gm_burglary.py [--source …/gmp_derived/gmp_bur.csv]
        [--wards …/gm_boundaries/ward_2022/gm_ward_generalised.geojson] [--work DIR]

1. `tools/gmp_bur_to_police_uk.py` writes the 92,666 points of `gmp_derived/gmp_bur.csv` as 36
   police.uk street files (no LSOA codes: Safehold places every row by its coordinates).
2. `import_police_files` imports them into a fresh store and database under --work.
3. It prints the rows imported, those placed into a Greater Manchester LSOA and those not, and
   Stockport's count by ward as Safehold gives it: each point's 2021 LSOA (point in the
   generalised LSOA boundary), then that LSOA's best-fit 2022 ward.
4. Independently, with shapely, straight from the ward boundaries file: each point of the
   source CSV in the 2022 ward whose (generalised) boundary holds it. Stockport's wards are those
   whose representative point lies inside Stockport in the local authority boundaries file
   beside it, so the check uses no Safehold table.
5. The two are compared ward by ward; where they differ the script says by how much and why:
   a point in the part of an LSOA that lies in another ward than the LSOA's best fit
   (best-fit LSOA -> ward, by design), or a point by a boundary that the generalised LSOA and
   ward files draw slightly differently.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from crime_common import PYTHON, SHARED  # noqa: E402

STOCKPORT = "E08000007"
# An LSOA counts as straddling two wards when less than this share of its area lies in its
# best-fit ward (a little below 1 for the generalised boundaries' slivers).
WHOLLY_INSIDE = 0.99


def _setup(work: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'safehold.sqlite3'}"
    os.environ["DATA_DIR"] = str(work / "data")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _polygons(path: Path) -> tuple[list, list[dict]]:
    from shapely.geometry import shape

    features = json.loads(path.read_text())["features"]
    return [shape(f["geometry"]) for f in features], [f["properties"] for f in features]


def _independent_wards(source: Path, wards_file: Path, districts_file: Path):
    """(ward of each distinct point, Stockport's ward codes and names, rows by point), by
    point-in-polygon on the ward boundaries alone."""
    import numpy as np
    import shapely

    wards, props = _polygons(wards_file)
    districts, district_props = _polygons(districts_file)
    [stockport] = [g for g, p in zip(districts, district_props, strict=True)
                   if p["area_code"] == STOCKPORT]  # fmt: skip
    stockport_wards = {
        p["area_code"]: p["area_name"]
        for g, p in zip(wards, props, strict=True)
        if stockport.contains(g.representative_point())
    }
    rows_at: Counter = Counter()
    with open(source, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows_at[(float(r["Longitude"]), float(r["Latitude"]))] += 1
    points = list(rows_at)
    tree = shapely.STRtree(wards)
    geoms = shapely.points(np.array([p[0] for p in points]), np.array([p[1] for p in points]))
    point_index, ward_index = tree.query(geoms, predicate="within")
    ward_of: dict[tuple[float, float], str | None] = dict.fromkeys(points)
    for i, w in zip(point_index, ward_index, strict=True):
        ward_of[points[i]] = props[w]["area_code"]
    shapes = {p["area_code"]: (p["area_name"], g) for g, p in zip(wards, props, strict=True)}
    return ward_of, stockport_wards, rows_at, shapes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SHARED / "gmp_derived" / "gmp_bur.csv")
    parser.add_argument(
        "--wards",
        type=Path,
        default=SHARED / "gm_boundaries" / "ward_2022" / "gm_ward_generalised.geojson",
    )
    parser.add_argument(
        "--districts",
        type=Path,
        default=SHARED / "gm_boundaries" / "local_authority_2023"
        / "gm_local_authority_generalised.geojson",
    )  # fmt: skip
    parser.add_argument("--work", type=Path, help="Folder for the files, store and database.")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="safehold-gm-burglary-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    files = work / "police-uk"
    t = time.perf_counter()
    subprocess.run(
        [PYTHON, str(ROOT / "tools" / "gmp_bur_to_police_uk.py"), str(args.source), str(files)],
        check=True,
        cwd=ROOT,
    )
    converted = time.perf_counter() - t

    t = time.perf_counter()
    _setup(work)
    set_up = time.perf_counter() - t

    from safehold.analytics.store import run
    from safehold.crime import queries
    from safehold.crime.ingest import import_police_files

    t = time.perf_counter()
    result = import_police_files(paths=[files])
    imported = time.perf_counter() - t
    con = queries.connect()
    placed_gm, not_placed = run(
        con,
        """SELECT count(*) FILTER (WHERE g.lsoa21_code IS NOT NULL),
                  count(*) FILTER (WHERE g.lsoa21_code IS NULL)
        FROM street s LEFT JOIN lsoa21 g ON g.lsoa21_code = s.placed_lsoa_code""",
    )[0]
    gm_lads = run(
        con,
        "SELECT count(DISTINCT g.lad_code) FROM street s "
        "JOIN lsoa21 g ON g.lsoa21_code = s.placed_lsoa_code",
    )[0][0]
    by_ward = {
        code: (name, n)
        for code, name, n in queries.counts(con, group_by=["ward"], area=STOCKPORT).rows
    }
    safehold_at = {
        (lon, lat): (ward, lsoa)
        for lon, lat, ward, lsoa in run(
            con,
            "SELECT DISTINCT longitude, latitude, ward_code, lsoa21_code FROM crimes "
            "WHERE longitude IS NOT NULL",
        )
    }

    t = time.perf_counter()
    ward_of, stockport_wards, rows_at, ward_shapes = _independent_wards(
        args.source, args.wards, args.districts
    )
    independent = Counter()
    for point, n in rows_at.items():
        if ward_of[point] in stockport_wards:
            independent[ward_of[point]] += n
    checked = time.perf_counter() - t

    print(f"\nSource: {args.source} ({sum(rows_at.values()):,} rows)")
    print(f"Converted to {len(list(files.rglob('*.csv')))} police.uk files in {converted:.1f}s")
    print(f"Imported {result.rows:,} rows in {imported:.1f}s ({len(result.files)} force-months)")
    print(
        f"  placed by their coordinates into a Greater Manchester LSOA: {placed_gm:,} "
        f"(in {gm_lads} local authorities); not placed: {not_placed:,}"
    )
    print(f"  (the import's own count: {result.placed:,} placed, {result.unplaced:,} unplaced)")

    print(f"\nStockport ({STOCKPORT}) burglaries by 2022 ward")
    print(f"{'ward':<34}{'Safehold':>10}{'shapely':>10}{'diff':>7}")
    codes = sorted(set(by_ward) | set(stockport_wards), key=lambda c: stockport_wards.get(c, c))
    total_s = total_i = 0
    for code in codes:
        name = stockport_wards.get(code) or by_ward.get(code, (code, 0))[0]
        s, i = by_ward.get(code, ("", 0))[1], independent.get(code, 0)
        total_s, total_i = total_s + s, total_i + i
        print(f"{name:<34}{s:>10,}{i:>10,}{s - i:>+7,}")
    print(f"{'Stockport':<34}{total_s:>10,}{total_i:>10,}{total_s - total_i:>+7,}")

    # Why they differ: every point whose ward is not the same both ways, touching Stockport.
    lsoa_shapes = _lsoa_shapes()
    straddles: dict[tuple[str, str], bool] = {}
    reasons: Counter = Counter()
    moves: dict[tuple[str | None, str | None], int] = defaultdict(int)
    for point, n in rows_at.items():
        mine, lsoa = safehold_at.get(point, (None, None))
        theirs = ward_of[point]
        if mine == theirs or not ({mine, theirs} & set(stockport_wards)):
            continue
        moves[(mine, theirs)] += n
        if mine is None or theirs is None or lsoa is None:
            reasons["outside every boundary one way"] += n
            continue
        key = (lsoa, mine)
        if key not in straddles:
            shape_ = lsoa_shapes[lsoa]
            inside = shape_.intersection(ward_shapes[mine][1]).area / shape_.area
            straddles[key] = inside < WHOLLY_INSIDE
        reasons[
            "best-fit LSOA -> ward: the point is in the part of its LSOA in another ward"
            if straddles[key]
            else "on a boundary the generalised LSOA and ward files draw differently"
        ] += n
    differing = sum(moves.values())
    if total_s == total_i and not differing:
        print("\nThe two agree ward by ward.")
    else:
        off = sum(abs(by_ward.get(c, ("", 0))[1] - independent.get(c, 0)) for c in codes)
        print(
            f"\nThey differ: {differing:,} burglaries ({differing / max(total_i, 1):.1%} of "
            f"Stockport's by the ward boundaries) are in another ward one way than the other; "
            f"the ward counts differ by {off:,} in all (sum of |diff|), Stockport's total by "
            f"{total_s - total_i:+,}. Why:"
        )
        for reason, n in reasons.most_common():
            print(f"  {n:>6,}  {reason}")
        names = {code: name for code, (name, _) in ward_shapes.items()}
        print("  Largest moves (Safehold's ward <- the ward boundary's):")
        for (mine, theirs), n in sorted(moves.items(), key=lambda m: -m[1])[:8]:
            print(f"  {n:>6,}  {names.get(mine, mine or 'none')} <- {names.get(theirs, theirs)}")
    print(
        f"\nTime: {time.perf_counter() - started:.1f}s in all (conversion {converted:.1f}s, "
        f"database {set_up:.1f}s, import {imported:.1f}s, independent check {checked:.1f}s)"
    )
    print(f"Work folder: {work}")


def _lsoa_shapes() -> dict:
    """The generalised LSOA 2021 boundaries Safehold places points with, by code."""
    from safehold.geography.boundaries import GM_BOUNDARIES

    shapes, props = _polygons(GM_BOUNDARIES)
    return {p["area_code"]: g for g, p in zip(shapes, props, strict=True)}


if __name__ == "__main__":
    main()
