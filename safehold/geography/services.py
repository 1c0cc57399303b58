"""Loading geography lookups: the Stockport extract shipped with Safehold."""

import csv
from pathlib import Path

from django.db import transaction

from safehold.geography.models import LocalAuthority, Lsoa, NeighbourhoodArea, Ward

STOCKPORT_DIR = Path(__file__).resolve().parent / "data" / "stockport"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _upsert(model, rows: dict, fields: list[str]) -> dict:
    """Make the table hold `rows` ({key: {field: value}}): one read of what is there, then the
    missing rows created and the changed ones updated in bulk (a few queries, not one or two per
    row: the test suite loads this extract in hundreds of tests). Returns the objects by key."""
    existing = model.objects.in_bulk(list(rows))
    missing, changed = [], []
    for key, values in rows.items():
        found = existing.get(key)
        if found is None:
            existing[key] = found = model(pk=key, **values)
            missing.append(found)
        elif any(getattr(found, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(found, name, value)
            changed.append(found)
    model.objects.bulk_create(missing)
    if changed:
        model.objects.bulk_update(changed, fields)
    return existing


@transaction.atomic
def load_stockport_extract(directory: Path = STOCKPORT_DIR) -> dict[str, int]:
    """Load (or refresh) Stockport's wards, LSOAs and neighbourhoods.

    Running it twice changes nothing.
    """
    ward_rows = _rows(directory / "wards.csv")
    lsoa_rows = _rows(directory / "lsoas.csv")
    neighbourhood_rows = _rows(directory / "neighbourhoods.csv")
    _upsert(LocalAuthority, {r["lad_code"]: {"name": r["lad_name"]} for r in ward_rows}, ["name"])
    wards = _upsert(
        Ward,
        {
            r["ward_code"]: {"name": r["ward_name"], "local_authority_id": r["lad_code"]}
            for r in ward_rows
        },
        ["name", "local_authority"],
    )
    _upsert(
        Lsoa,
        {
            r["lsoa21_code"]: {
                "name": r["lsoa21_name"],
                "ward_id": r["ward_code"],
                "population": int(r["population_2021"]),
            }
            for r in lsoa_rows
        },
        ["name", "ward", "population"],
    )
    wards_by_name = {w.name: w for w in wards.values()}
    authority = ward_rows[0]["lad_code"]
    areas = {
        a.name: a
        for a in NeighbourhoodArea.objects.filter(
            name__in=[r["neighbourhood"] for r in neighbourhood_rows]
        )
    }
    missing = [
        NeighbourhoodArea(name=r["neighbourhood"], local_authority_id=authority)
        for r in neighbourhood_rows
        if r["neighbourhood"] not in areas
    ]
    NeighbourhoodArea.objects.bulk_create(missing)
    areas = {
        a.name: a
        for a in NeighbourhoodArea.objects.filter(
            name__in=[r["neighbourhood"] for r in neighbourhood_rows]
        )
    }
    moved = [a for a in areas.values() if a.local_authority_id != authority]
    for area in moved:
        area.local_authority_id = authority
    NeighbourhoodArea.objects.bulk_update(moved, ["local_authority"])
    # The areas' wards: one read of the links, then only what differs added or removed.
    through = NeighbourhoodArea.wards.through
    wanted = {
        (areas[r["neighbourhood"]].pk, wards_by_name[name].pk)
        for r in neighbourhood_rows
        for name in r["ward_names"].split(";")
    }
    ids = [a.pk for a in areas.values()]
    held = set(
        through.objects.filter(neighbourhoodarea_id__in=ids).values_list(
            "neighbourhoodarea_id", "ward_id"
        )
    )
    for area_id, ward_id in held - wanted:
        through.objects.filter(neighbourhoodarea_id=area_id, ward_id=ward_id).delete()
    through.objects.bulk_create(
        [through(neighbourhoodarea_id=a, ward_id=w) for a, w in wanted - held]
    )
    return {
        "wards": len(ward_rows),
        "lsoas": len(lsoa_rows),
        "neighbourhoods": len(neighbourhood_rows),
    }
