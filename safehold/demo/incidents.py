"""The demo incident log: an invented ASB log of a few hundred incidents in Stockport.

Deterministic for a seed, with the shape real logs have: more in the evening and at night,
more at weekends and in summer, and peaks on Halloween and Bonfire Night (fireworks); places
are coordinates drawn inside Stockport's wards, with a few clusters so the hot-spot map has
something to find. References are invented (`DEMO-ASB-…`); nothing is a real incident. It is
imported through the same import as a partner's file, so it is validated and audited.
"""

import csv
import datetime
import io
import math
import random
from zoneinfo import ZoneInfo

from safehold.accounts.models import User
from safehold.charts import maps
from safehold.hotspots.grid import to_wgs84
from safehold.incidents.services import ImportResult, import_incidents
from safehold.incidents.store import dataset_path

SOURCE = "Stockport Homes ASB team (demo)"
IMPORTER = "performance@council.demo.safehold.test"  # the partnership's performance officer
FILE_NAME = "demo-asb-log.csv"
FIRST_DAY, LAST_DAY = datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)
UK = ZoneInfo("Europe/London")
# Incidents a day on an ordinary weekday outside summer.
BASE_RATE = 0.62
WEEKDAY_FACTOR = (0.85, 0.8, 0.85, 0.95, 1.3, 1.7, 1.3)  # Monday first
SUMMER_FACTOR = 1.45  # June to August
# Relative likelihood of each hour of the day (UK time): quiet mornings, busy evenings.
HOUR_WEIGHTS = (
    4, 3, 2, 1, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 10, 12, 13, 13, 11, 7,
)  # fmt: skip
TYPES = (
    ("Anti-social behaviour", 46),
    ("Noise", 24),
    ("Criminal damage", 12),
    ("Drug-related", 10),
    ("Fireworks", 8),
)
# Where incidents gather (BNG metres, about 200 m across): estates in four wards.
CLUSTERS = (
    ("Brinnington and Central", (391300.0, 392300.0), 0.17),
    ("Edgeley and Cheadle Heath", (388900.0, 389300.0), 0.11),
    ("Reddish North", (389700.0, 394000.0), 0.09),
    ("Offerton", (392800.0, 388500.0), 0.06),
)
CLUSTER_SPREAD_M = 170.0


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small daily means here."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _day_rate(day: datetime.date) -> float:
    rate = BASE_RATE * WEEKDAY_FACTOR[day.weekday()]
    if day.month in (6, 7, 8):
        rate *= SUMMER_FACTOR
    if (day.month, day.day) == (10, 31):
        rate *= 8.0
    elif (day.month, day.day) == (11, 5):
        rate *= 10.0
    elif (10, 28) <= (day.month, day.day) <= (11, 8):
        rate *= 1.6  # fireworks season around the two nights
    return rate


def _hour(rng: random.Random, day: datetime.date) -> int:
    if (day.month, day.day) in ((10, 31), (11, 5)):
        return rng.choice((17, 18, 19, 19, 20, 20, 20, 21, 21, 22))
    return rng.choices(range(24), weights=HOUR_WEIGHTS)[0]


def _type(rng: random.Random, day: datetime.date) -> str:
    if (day.month, day.day) == (11, 5) or (
        (10, 28) <= (day.month, day.day) <= (11, 8) and rng.random() < 0.5
    ):
        return "Fireworks" if rng.random() < 0.7 else "Anti-social behaviour"
    names, weights = zip(*TYPES, strict=True)
    return rng.choices(names, weights=weights)[0]


def _place(rng: random.Random) -> tuple[float, float]:
    """A (latitude, longitude) inside Stockport: near a cluster, or anywhere in the borough."""
    outline = maps.borough_outline()
    west, south, east, north = outline.bounds
    pick = rng.random()
    threshold = 0.0
    for _, (e, n), share in CLUSTERS:
        threshold += share
        if pick < threshold:
            for _ in range(100):
                lon, lat = to_wgs84(rng.gauss(e, CLUSTER_SPREAD_M), rng.gauss(n, CLUSTER_SPREAD_M))
                if maps.wards_at([float(lon)], [float(lat)])[0]:
                    return round(float(lat), 5), round(float(lon), 5)
    while True:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if maps.wards_at([lon], [lat])[0]:
            return round(lat, 5), round(lon, 5)


def incident_log(seed: int = 2022) -> str:
    """The demo log as CSV text in the partner format (docs/formats/incidents-csv.md)."""
    rng = random.Random(f"demo incident log {seed}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reference", "occurred_at", "type", "latitude", "longitude"])
    number, day = 0, FIRST_DAY
    while day <= LAST_DAY:
        times = sorted(
            (_hour(rng, day), rng.randrange(60)) for _ in range(_poisson(rng, _day_rate(day)))
        )
        for hour, minute in times:
            local = datetime.datetime.combine(day, datetime.time(hour, minute))
            if local.replace(tzinfo=UK).astimezone(datetime.UTC).astimezone(UK).hour != hour:
                continue  # the hour the clocks skip in spring did not happen
            number += 1
            latitude, longitude = _place(rng)
            writer.writerow(
                [
                    f"DEMO-ASB-{day.year}-{number:05d}",
                    local.strftime("%Y-%m-%dT%H:%M"),
                    _type(rng, day),
                    f"{latitude:.5f}",
                    f"{longitude:.5f}",
                ]
            )
        day += datetime.timedelta(days=1)
    return out.getvalue()


def is_loaded() -> bool:
    return dataset_path(SOURCE).exists()


def load(*, seed: int = 2022, by: User | None = None) -> ImportResult | None:
    """Import the demo log for its invented source, unless it is already stored (None)."""
    if is_loaded():
        return None
    return import_incidents(data=incident_log(seed), source=SOURCE, by=by, file_name=FILE_NAME)
