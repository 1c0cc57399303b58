"""Write the GMP burglary points (`gmp_derived/gmp_bur.csv`) as police.uk street files.

    .venv/bin/python tools/gmp_bur_to_police_uk.py ../shared/data/gmp_derived/gmp_bur.csv OUT
    .venv/bin/python tools/gmp_bur_to_police_uk.py ../shared/data/gmp_derived/gmp_bur.csv \
        --local-authority E08000007 --zip safehold/crime/data/stockport_burglary_2016-02_2019-01.zip

The source (92,666 Greater Manchester burglaries, 2016-02..2019-01, from the University of
Manchester's crime mapping textbook) is not police.uk format: it has only Month, Crime.type,
Longitude and Latitude. Each row becomes a police.uk street row with those four values,
`Reported by` and `Falls within` "Greater Manchester Police", and everything else empty: no
Crime ID, no Location, no LSOA code or name, no last outcome, no context. Safehold places such
rows by their coordinates when they are imported. One file per month, named as police.uk names
them (`YYYY-MM/YYYY-MM-greater-manchester-street.csv`), in OUT or in one zip.

With --local-authority only the points inside that local authority's LSOAs (2021, by the
generalised boundaries shipped in safehold/geography/data/gm/) are kept.
Contains public sector information licensed under the Open Government Licence v3.0.
"""

import argparse
import csv
import io
import json
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

GM = Path(__file__).resolve().parent.parent / "safehold" / "geography" / "data" / "gm"
HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
FORCE = "Greater Manchester Police"


def inside(local_authority: str, longitude: np.ndarray, latitude: np.ndarray) -> np.ndarray:
    """Which points fall in one of the local authority's LSOA 2021 boundaries."""
    with open(GM / "lsoa21.csv", newline="", encoding="utf-8") as f:
        codes = {r["lsoa21_code"] for r in csv.DictReader(f) if r["lad_code"] == local_authority}
    features = json.loads((GM / "lsoa21_boundaries.geojson").read_text())["features"]
    polygons = [shape(f["geometry"]) for f in features if f["properties"]["area_code"] in codes]
    tree = shapely.STRtree(polygons)
    hits, _ = tree.query(shapely.points(longitude, latitude), predicate="within")
    keep = np.zeros(len(longitude), dtype=bool)
    keep[hits] = True
    return keep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path, nargs="?", help="Folder to write the month files to.")
    parser.add_argument("--zip", type=Path, help="Write one zip archive instead of a folder.")
    parser.add_argument("--local-authority", help="Keep only points in this LAD (e.g. E08000007).")
    args = parser.parse_args()
    if (args.out is None) == (args.zip is None):
        parser.error("give an output folder or --zip, not both")
    with open(args.source, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if args.local_authority:
        longitude = np.array([float(r["Longitude"]) for r in rows])
        latitude = np.array([float(r["Latitude"]) for r in rows])
        keep = inside(args.local_authority, longitude, latitude)
        rows = [r for r, k in zip(rows, keep, strict=True) if k]
    by_month: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_month[r["Month"]].append(r)
    files = {}
    for month, month_rows in sorted(by_month.items()):
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(HEADER)
        for r in month_rows:
            w.writerow(
                ["", month, FORCE, FORCE, r["Longitude"], r["Latitude"], "", "", "",
                 r["Crime.type"], "", ""]
            )  # fmt: skip
        files[f"{month}/{month}-greater-manchester-street.csv"] = out.getvalue()
    if args.zip:
        args.zip.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(args.zip, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for name, text in files.items():
                info = zipfile.ZipInfo(name, date_time=(2019, 2, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, text)
        where = args.zip
    else:
        for name, text in files.items():
            path = args.out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        where = args.out
    print(f"{len(rows):,} rows in {len(files)} monthly files written to {where}")


if __name__ == "__main__":
    main()
