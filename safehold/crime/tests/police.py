"""A police.uk store for the dashboard and analysis page tests: the committed Stockport
burglary cut (36 months of real, anonymised points without LSOA codes) and a small invented
British Transport Police file, so that Stockport has several crime types, places with a
police.uk description and rows with no location."""

import csv
import zipfile
from pathlib import Path

from safehold.crime.tests.conftest import STOCKPORT_BURGLARY

STREET_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
BTP = "British Transport Police"
# Invented rows at two Stockport stations (coordinates of the stations' forecourts) and two
# without a location, in June and December 2018.
STATIONS = {
    "On or near Stockport (Station)": (-2.163980, 53.405430),
    "On or near Heaton Chapel (Station)": (-2.179290, 53.425440),
}
BTP_ROWS = {
    "2018-06": [
        ("On or near Stockport (Station)", "Anti-social behaviour", 9),
        ("On or near Stockport (Station)", "Theft from the person", 4),
        ("On or near Heaton Chapel (Station)", "Public order", 3),
        ("No location", "Public order", 2),
    ],
    "2018-12": [
        ("On or near Stockport (Station)", "Anti-social behaviour", 6),
        ("On or near Heaton Chapel (Station)", "Theft from the person", 2),
    ],
}


def write_btp(folder: Path) -> list[Path]:
    """The invented British Transport Police street files, one a month."""
    paths = []
    for month, rows in BTP_ROWS.items():
        path = folder / f"{month}-btp-street.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(STREET_HEADER)
            for location, kind, n in rows:
                lon, lat = STATIONS.get(location, ("", ""))
                for i in range(n):
                    writer.writerow(
                        [f"BTP-{month}-{kind[:4]}-{i}", month, BTP, BTP, lon, lat, location,
                         "", "", kind, "Under investigation", ""]
                    )  # fmt: skip
        paths.append(path)
    return paths


def burglary_rows() -> list[dict[str, str]]:
    """Every row of the committed burglary cut, read straight from its CSVs."""
    rows = []
    with zipfile.ZipFile(STOCKPORT_BURGLARY) as z:
        for name in sorted(z.namelist()):
            if name.endswith(".csv"):
                text = z.read(name).decode("utf-8-sig").splitlines()
                rows += list(csv.DictReader(text))
    return rows


def btp_rows() -> list[dict[str, str]]:
    return [
        {"Month": month, "Crime type": kind, "Location": location,
         "Longitude": str(STATIONS.get(location, ("", ""))[0]),
         "Latitude": str(STATIONS.get(location, ("", ""))[1])}
        for month, rows in BTP_ROWS.items()
        for location, kind, n in rows
        for _ in range(n)
    ]  # fmt: skip
