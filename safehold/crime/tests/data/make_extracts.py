"""Cut the small police.uk and ONS extracts the crime tests use from ../shared/data.

    .venv/bin/python safehold/crime/tests/data/make_extracts.py ../shared/data

See README.md beside this file for what each extract is and where it comes from.
"""

import csv
import io
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent
# Cleveland LSOAs (2011): Middlesbrough ones with few rows, and five whose code changed in 2021: E01011973 and
# E01011976 merged into E01035188; the others each became a new code.
CLEVELAND_LSOAS = {
    "E01011973", "E01011976", "E01012064", "E01033478", "E01032553",
    "E01012073", "E01012063", "E01012062", "E01012032", "E01012067", "E01012052",
    "E01012066", "E01012071", "E01012023", "E01012053", "E01012055", "E01012008",
}  # fmt: skip
GM_LADS = {f"E080000{n:02d}" for n in range(1, 11)}
V2 = "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Best_Fit_Lookup_for_EW_(V2).csv"


def read_text(path: Path) -> tuple[str, list[str]]:
    """The header line (with any byte order mark) and the data lines, as in the file."""
    raw = path.read_bytes().decode("utf-8")
    lines = raw.splitlines(keepends=True)
    return lines[0], lines[1:]


def rows_where(path: Path, keep) -> tuple[str, list[str]]:
    header, lines = read_text(path)
    names = next(csv.reader([header.lstrip("\ufeff")]))
    kept = [
        line for line in lines if keep(dict(zip(names, next(csv.reader([line])), strict=False)))
    ]
    return header, kept


def write(path: Path, header: str, lines: list[str]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((header + "".join(lines)).encode("utf-8"))
    return len(lines)


def main(shared: Path) -> None:
    police = OUT / "police"
    counts = {}
    for month in ("2023-02", "2023-03"):
        name = f"{month}-cleveland-street.csv"
        header, lines = rows_where(
            shared / "cleveland_street" / name, lambda r: r["LSOA code"] in CLEVELAND_LSOAS
        )
        counts[name] = write(police / name, header, lines)
    gm_lsoas = set()
    with open(shared / "gm_lookups/lsoa11_wd17/lsoa_to_ward_best-fit_lookup.csv") as f:
        gm_lsoas = {r["lsoa11cd"] for r in csv.DictReader(f) if r["lad17cd"] in GM_LADS}
    name = "2020-01-btp-street.csv"
    header, lines = rows_where(shared / "btp_street" / name, lambda r: r["LSOA code"] in gm_lsoas)
    counts[name] = write(police / name, header, lines)
    # No outcomes file could be obtained: this one is made from the March street rows that have
    # a Crime ID, with their last outcome as the outcome type, in the outcomes file's columns.
    header, lines = read_text(police / "2023-03-cleveland-street.csv")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
         "Location", "LSOA code", "LSOA name", "Outcome type"]
    )  # fmt: skip
    n = 0
    for row in csv.reader(lines):
        if row[0] and row[10]:
            w.writerow([*row[:9], row[10]])
            n += 1
    (police / "2023-03-cleveland-outcomes.csv").write_text(out.getvalue(), encoding="utf-8")
    counts["2023-03-cleveland-outcomes.csv"] = n
    name = "2018-09-greater-manchester-stop-and-search.csv"
    header, lines = read_text(shared / "gmp_stop_search" / name)
    counts[name] = write(police / name, header, lines[:40])

    # ONS files in their own shapes, cut to the Cleveland LSOAs above.
    # (The ONS files are the geography tests': safehold/geography/tests/data/ons.)
    ons = OUT.parent.parent.parent / "geography" / "tests" / "data" / "ons"
    header, fit = rows_where(shared / "ew_lsoa11_lsoa21_lad22_lookup" / V2,
                             lambda r: r["LSOA11CD"] in CLEVELAND_LSOAS)  # fmt: skip
    lsoa21 = {next(csv.reader([line]))[3] for line in fit}
    counts[V2] = write(ons / V2, header, fit)
    header, lines = rows_where(
        shared / "ew_lsoa11_ward17_lookup/lsoa-lookup-2011.csv",
        lambda r: r["LSOA11CD"] in CLEVELAND_LSOAS,
    )
    wards = {next(csv.reader([line]))[2] for line in lines}
    counts["lsoa-lookup-2011.csv"] = write(ons / "lsoa-lookup-2011.csv", header, lines)
    header, lines = rows_where(
        shared / "census2021_lsoa_population/census2021-ts001-lsoa.csv",
        lambda r: r["geography code"] in lsoa21,
    )
    counts["census2021-ts001-lsoa.csv"] = write(ons / "census2021-ts001-lsoa.csv", header, lines)
    name = "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
    header, lines = rows_where(
        shared / "imd2019" / name, lambda r: r["LSOA code (2011)"] in CLEVELAND_LSOAS
    )
    counts[name] = write(ons / name, header, lines)
    name = "Lower_Layer_Super_Output_Areas_December_2011_Population_Weighted_Centroids.csv"
    header, lines = rows_where(
        shared / "lsoa11_pop_weighted_centroids" / name,
        lambda r: r["lsoa11cd"] in CLEVELAND_LSOAS,
    )
    counts[name] = write(ons / name, header, lines)
    population = json.loads((shared / "ons_population_mid2017/population.json").read_text())
    keep = {c: population[c] for c in sorted(wards | {"E06000002"}) if c in population}
    (ons / "population.json").write_text(json.dumps(keep, indent=3) + "\n")
    counts["population.json"] = len(keep)
    for name, n in counts.items():
        print(f"{n:5d}  {name}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
