"""Helpers for the incident page tests: logs built by hand (and core's reader of a page's
tables, named here too)."""

import datetime

from safehold.core.tests.tables import number, table
from safehold.incidents.services import import_incidents

__all__ = ["cluster_rows", "log_csv", "number", "spread_rows", "store", "table"]

HEADER = "reference,occurred_at,type,latitude,longitude,source\n"
# Near Stockport's town centre, and a spot in Brinnington 2 km away.
CENTRE = (53.40912, -2.15804)
BRINNINGTON = (53.42741, -2.13240)


def log_csv(rows, *, source="Example Homes", prefix="P") -> str:
    """A log from (occurred_at, type, (latitude, longitude)) rows."""
    lines = [
        f"{prefix}-{i:05d},{when},{kind},{lat},{lon},{source}"
        for i, (when, kind, (lat, lon)) in enumerate(rows, start=1)
    ]
    return HEADER + "\n".join(lines) + "\n"


def spread_rows(n: int, *, start=datetime.datetime(2023, 1, 2, 8, 0), kind="Noise"):
    """`n` incidents, one every 7 hours 13 minutes (so every weekday and hour gets some),
    scattered over a few kilometres of Stockport."""
    rows = []
    for i in range(n):
        when = start + datetime.timedelta(minutes=433 * i)
        lat = CENTRE[0] + ((i * 37) % 41 - 20) * 0.0009
        lon = CENTRE[1] + ((i * 53) % 43 - 21) * 0.0012
        rows.append((when.strftime("%Y-%m-%dT%H:%M"), kind, (round(lat, 5), round(lon, 5))))
    return rows


def cluster_rows(n: int, *, place=BRINNINGTON, kind="Anti-social behaviour"):
    """`n` incidents on Saturday evenings within a few metres of one place."""
    start = datetime.datetime(2023, 2, 4, 21, 0)  # a Saturday
    return [
        (
            (start + datetime.timedelta(days=7 * (i % 40), minutes=i % 50)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            kind,
            (round(place[0] + (i % 5) * 0.0001, 5), round(place[1] + (i % 3) * 0.0001, 5)),
        )
        for i in range(n)
    ]


def store(rows, **kwargs):
    return import_incidents(data=log_csv(rows, **kwargs), file_name="log.csv")
