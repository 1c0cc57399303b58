"""Hot-spot cells as CSV, one row each: the same columns for police.uk crime and partners'
incident logs (docs/formats/hotspots.md)."""

import io

from safehold.core.exports import csv_writer


def _wkt(ring) -> str:
    return "POLYGON((" + ", ".join(f"{x:.7f} {y:.7f}" for x, y in ring) + "))"


HOTSPOT_COLUMNS = (
    "row", "col", "class", "count", "z", "p", "q", "centre_lon", "centre_lat",
    "centre_easting", "centre_northing", "polygon_wkt",
)  # fmt: skip


def _cell_row(c) -> list:
    return [
        c.row, c.col, c.classification, c.count, f"{c.z:.6f}", f"{c.p:.6g}", f"{c.q:.6g}",
        f"{c.centre_lon:.7f}", f"{c.centre_lat:.7f}", f"{c.centre_easting:.1f}",
        f"{c.centre_northing:.1f}", _wkt(c.polygon),
    ]  # fmt: skip


def cells_csv(cells) -> str:
    """Cells (HotspotCell) as CSV, one row each."""
    return _rows_csv([list(HOTSPOT_COLUMNS)] + [_cell_row(c) for c in cells])


def _rows_csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
