"""Loading geography lookups: the Stockport extract shipped with Safehold."""

import csv
from pathlib import Path

from django.db import transaction

from safehold.geography.models import LocalAuthority, Lsoa, NeighbourhoodArea, Ward

STOCKPORT_DIR = Path(__file__).resolve().parent / "data" / "stockport"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def load_stockport_extract(directory: Path = STOCKPORT_DIR) -> dict[str, int]:
    """Load (or refresh) Stockport's wards, LSOAs and neighbourhoods.

    Running it twice changes nothing.
    """
    ward_rows = _rows(directory / "wards.csv")
    lsoa_rows = _rows(directory / "lsoas.csv")
    neighbourhood_rows = _rows(directory / "neighbourhoods.csv")
    for row in ward_rows:
        authority, _ = LocalAuthority.objects.update_or_create(
            code=row["lad_code"], defaults={"name": row["lad_name"]}
        )
        Ward.objects.update_or_create(
            code=row["ward_code"], defaults={"name": row["ward_name"], "local_authority": authority}
        )
    for row in lsoa_rows:
        Lsoa.objects.update_or_create(
            code=row["lsoa21_code"],
            defaults={
                "name": row["lsoa21_name"],
                "ward_id": row["ward_code"],
                "population": int(row["population_2021"]),
            },
        )
    wards_by_name = {
        w.name: w for w in Ward.objects.filter(code__in=[r["ward_code"] for r in ward_rows])
    }
    authority = LocalAuthority.objects.get(code=ward_rows[0]["lad_code"])
    for row in neighbourhood_rows:
        area, _ = NeighbourhoodArea.objects.update_or_create(
            name=row["neighbourhood"], defaults={"local_authority": authority}
        )
        area.wards.set([wards_by_name[name] for name in row["ward_names"].split(";")])
    return {
        "wards": len(ward_rows),
        "lsoas": len(lsoa_rows),
        "neighbourhoods": len(neighbourhood_rows),
    }
