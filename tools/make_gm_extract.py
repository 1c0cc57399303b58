"""Cut the Greater Manchester geography extract shipped in safehold/geography/data/gm/.

Run from the project root with ../shared/data beside it:
    .venv/bin/python tools/make_gm_extract.py ../shared/data
Sources (Open Government Licence v3.0) and what was done to them are in the extract's README.md.
"""

import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from shapely.geometry import shape

OUT = Path(__file__).resolve().parent.parent / "safehold" / "geography" / "data" / "gm"
GM_LADS = {f"E080000{n:02d}" for n in range(1, 11)}
IMD_LSOAS = 32_844  # English LSOAs ranked by the IMD 2019: decile d holds ranks up to d/10 of them
V2 = "ew_lsoa11_lsoa21_lad22_lookup/LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Best_Fit_Lookup_for_EW_(V2).csv"


def read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def write(name: str, header: list[str], rows) -> int:
    rows = list(rows)
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return len(rows)


def rounded(coords, places=5):
    if isinstance(coords[0], (int, float)):
        return [round(c, places) for c in coords]
    return [rounded(c, places) for c in coords]


def main(shared: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lsoas = read(shared / "gm_lookups/lsoa21_wd22/lsoa_to_ward_best-fit_lookup.csv")
    lsoas.sort(key=lambda r: r["lsoa21cd"])
    assert {r["lad22cd"] for r in lsoas} == GM_LADS
    population = {
        r["geography code"]: r["Residence type: Total; measures: Value"]
        for r in read(shared / "census2021_lsoa_population/census2021-ts001-lsoa.csv")
    }
    imd = {
        r["LSOA code (2011)"]: (
            int(r["Index of Multiple Deprivation (IMD) Rank"]),
            int(r["Index of Multiple Deprivation (IMD) Decile"]),
        )
        for r in read(shared / "imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv")
    }
    best_fit = [r for r in read(shared / V2) if r["LAD22CD"] in GM_LADS]
    best_fit.sort(key=lambda r: r["LSOA11CD"])
    gm_lsoa21 = {r["lsoa21cd"] for r in lsoas}
    assert {r["LSOA21CD"] for r in best_fit} <= gm_lsoa21

    # The 2011 LSOAs each 2021 LSOA comes from: the best-fit lookup names the 2011 LSOAs that
    # became (or merged into) it; a 2021 LSOA split off another has no row there, so its parent
    # is the 2011 LSOA whose boundary holds a point inside it.
    parents: dict[str, list[str]] = defaultdict(list)
    for r in best_fit:
        parents[r["LSOA21CD"]].append(r["LSOA11CD"])
    orphans = sorted(gm_lsoa21 - set(parents))
    if orphans:
        polygons11 = [
            (f["properties"]["area_code"], shape(f["geometry"]))
            for f in json.loads(
                (shared / "gm_boundaries/lsoa_2011/gm_lsoa_generalised.geojson").read_text()
            )["features"]
        ]
        features21 = {
            f["properties"]["area_code"]: shape(f["geometry"])
            for f in json.loads(
                (shared / "gm_boundaries/lsoa_2021/gm_lsoa_generalised.geojson").read_text()
            )["features"]
        }
        for code in orphans:
            point = features21[code].representative_point()
            parents[code] = [c for c, polygon in polygons11 if polygon.contains(point)][:1]

    def carried_imd(code: str) -> tuple[str, str, str]:
        found = [imd[c] for c in parents.get(code, []) if c in imd]
        if not found:
            return "", "", ""
        if len(found) == 1:
            rank, decile = found[0]
        else:  # a merge of 2011 LSOAs: their mean rank, and the decile that rank falls in
            rank = round(sum(r for r, _ in found) / len(found))
            decile = math.ceil(rank * 10 / IMD_LSOAS)
        return str(rank), str(decile), ";".join(parents[code])

    n_lsoa = write(
        "lsoa21.csv",
        [
            "lsoa21_code", "lsoa21_name", "ward_code", "ward_name", "lad_code", "lad_name",
            "population_2021", "imd2019_rank", "imd2019_decile", "imd2019_from_lsoa11",
        ],
        (
            [
                r["lsoa21cd"], r["lsoa21nm"], r["wd22cd"], r["wd22nm"], r["lad22cd"],
                r["lad22nm"], population[r["lsoa21cd"]], *carried_imd(r["lsoa21cd"]),
            ]
            for r in lsoas
        ),
    )  # fmt: skip
    n_lsoa11 = write(
        "lsoa11.csv",
        ["lsoa11_code", "lsoa11_name", "lsoa21_code", "imd2019_rank", "imd2019_decile"],
        (
            [r["LSOA11CD"], r["LSOA11NM"], r["LSOA21CD"], *imd.get(r["LSOA11CD"], ("", ""))]
            for r in best_fit
        ),
    )
    mid2017 = json.loads((shared / "ons_population_mid2017/population.json").read_text())
    wards = sorted(
        read(shared / "gm_lookups/lsoa21_wd22/administrative_lookup.csv"),
        key=lambda r: r["wd22cd"],
    )
    n_wards = write(
        "wards.csv",
        ["ward_code", "ward_name", "lad_code", "lad_name", "population_mid2017"],
        (
            [
                r["wd22cd"], r["wd22nm"], r["lad22cd"], r["lad22nm"],
                mid2017.get(r["wd22cd"], {}).get("population", ""),
            ]
            for r in wards
        ),
    )  # fmt: skip

    data = json.loads((shared / "gm_boundaries/lsoa_2021/gm_lsoa_generalised.geojson").read_text())
    features = [
        {
            "type": "Feature",
            "properties": {k: f["properties"][k] for k in ("area_code", "area_name")},
            "geometry": dict(f["geometry"], coordinates=rounded(f["geometry"]["coordinates"])),
        }
        for f in sorted(data["features"], key=lambda f: f["properties"]["area_code"])
    ]
    (OUT / "lsoa21_boundaries.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    )
    print(
        f"{n_lsoa} LSOAs 2021 ({len(orphans)} split off a 2011 LSOA), {n_lsoa11} LSOAs 2011, "
        f"{n_wards} wards, {len(features)} boundaries written to {OUT}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
