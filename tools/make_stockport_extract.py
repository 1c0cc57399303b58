"""Cut the Stockport-only geography extract shipped in safehold/geography/data/stockport/.

Run from the project root with ../shared/data beside it:
    .venv/bin/python tools/make_stockport_extract.py ../shared/data
Sources (Open Government Licence v3.0) are listed in the extract's README.md.
"""

import csv
import json
import sys
from pathlib import Path

LAD = "E08000007"  # Stockport
OUT = Path(__file__).resolve().parent.parent / "safehold" / "geography" / "data" / "stockport"


def rounded(coords, places=5):
    if isinstance(coords[0], (int, float)):
        return [round(c, places) for c in coords]
    return [rounded(c, places) for c in coords]


def main(shared: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(shared / "gm_lookups/lsoa21_wd22/administrative_lookup.csv", newline="") as f:
        wards = [r for r in csv.DictReader(f) if r["lad22cd"] == LAD]
    with open(OUT / "wards.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ward_code", "ward_name", "lad_code", "lad_name"])
        for r in sorted(wards, key=lambda r: r["wd22cd"]):
            w.writerow([r["wd22cd"], r["wd22nm"], r["lad22cd"], r["lad22nm"]])

    population = {}
    with open(shared / "census2021_lsoa_population/census2021-ts001-lsoa.csv", newline="") as f:
        for r in csv.DictReader(f):
            population[r["geography code"]] = r["Residence type: Total; measures: Value"]
    with open(shared / "gm_lookups/lsoa21_wd22/lsoa_to_ward_best-fit_lookup.csv", newline="") as f:
        lsoas = [r for r in csv.DictReader(f) if r["lad22cd"] == LAD]
    with open(OUT / "lsoas.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lsoa21_code", "lsoa21_name", "ward_code", "population_2021"])
        for r in sorted(lsoas, key=lambda r: r["lsoa21cd"]):
            w.writerow([r["lsoa21cd"], r["lsoa21nm"], r["wd22cd"], population[r["lsoa21cd"]]])

    ward_codes = {r["wd22cd"] for r in wards}
    lsoa_codes = {r["lsoa21cd"] for r in lsoas}
    for source, codes, name in (
        ("gm_boundaries/ward_2022/gm_ward_generalised.geojson", ward_codes, "wards_2022.geojson"),
        ("gm_boundaries/lsoa_2021/gm_lsoa_generalised.geojson", lsoa_codes, "lsoas_2021.geojson"),
    ):
        data = json.loads((shared / source).read_text())
        features = []
        for feature in data["features"]:
            if feature["properties"]["area_code"] in codes:
                geometry = dict(
                    feature["geometry"], coordinates=rounded(feature["geometry"]["coordinates"])
                )
                props = {k: feature["properties"][k] for k in ("area_code", "area_name")}
                features.append({"type": "Feature", "properties": props, "geometry": geometry})
        (OUT / name).write_text(
            json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
        )
    print(f"{len(wards)} wards, {len(lsoas)} LSOAs written to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
