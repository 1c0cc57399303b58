"""The demo incident log: invented, inside Stockport, shaped like a real ASB log (evenings,
weekends, summer, Halloween, Bonfire Night, clusters), and loaded once."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command

from safehold.audit.models import AuditEvent
from safehold.charts import maps
from safehold.demo import incidents as demo
from safehold.hotspots.grid import to_wgs84
from safehold.incidents.selectors import connect, heatmap, hotspots, seasonal, summary
from safehold.incidents.store import dataset_path

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return list(csv.DictReader(io.StringIO(demo.incident_log(2022))))


def test_the_log_is_a_few_hundred_invented_incidents_inside_stockports_wards(rows):
    assert 400 <= len(rows) <= 800
    assert all(r["reference"].startswith("DEMO-ASB-") for r in rows)
    assert len({r["reference"] for r in rows}) == len(rows)
    wards = maps.wards_at(
        [float(r["longitude"]) for r in rows], [float(r["latitude"]) for r in rows]
    )
    assert None not in wards
    assert len(set(wards)) >= 15  # spread over the borough, not only the clusters
    # Every cluster's centre lies in the ward it is named after.
    for ward, (e, n), _ in demo.CLUSTERS:
        lon, lat = to_wgs84(e, n)
        assert maps.wards_at([float(lon)], [float(lat)]) == [ward]


def test_the_log_is_the_same_for_the_same_seed(rows):
    assert demo.incident_log(2022) == demo.incident_log(2022)
    assert demo.incident_log(7) != demo.incident_log(2022)


@pytest.fixture
def demo_log_stored(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return demo.load()


def test_the_demo_shows_the_peaks_the_partnership_looks_for(demo_log_stored):
    with connect() as con:
        h = heatmap(con)
        s = seasonal(con)
        spots = hotspots(con, bounds=maps.stockport_bounds_bng())
    evening = sum(row[hour] for row in h.counts for hour in range(18, 24))
    assert evening / h.total > 0.45
    days = dict(zip(h.days, h.day_totals, strict=True))
    assert days["Saturday"] > 1.5 * days["Tuesday"]
    assert s.summer.ratio > 1.2
    call_outs = {d.label: d for d in s.call_outs}
    assert call_outs["Halloween"].ratio > 2 and call_outs["Bonfire Night"].ratio > 2
    assert call_outs["Halloween"].occurrences == 2  # 2024 and 2025
    hot = [c for c in spots.cells() if c.classification.startswith("hot")]
    assert {w for w in maps.wards_at([c.centre_lon for c in hot], [c.centre_lat for c in hot])} >= {
        "Brinnington and Central",
        "Edgeley and Cheadle Heath",
    }


def test_demo_load_imports_the_log_once(capsys):
    call_command("demo", "load")
    first = capsys.readouterr().out
    assert f"for {demo.SOURCE}." in first and "Loaded the demo incident log" in first
    event = AuditEvent.objects.get(object_type="crime.incidents")
    assert event.actor.email == demo.IMPORTER and event.action == "collect"
    stored = dataset_path(demo.SOURCE).stat().st_mtime_ns
    call_command("demo", "load")
    assert "The demo incident log is already loaded." in capsys.readouterr().out
    assert AuditEvent.objects.filter(object_type="crime.incidents").count() == 1
    assert dataset_path(demo.SOURCE).stat().st_mtime_ns == stored
    with connect() as con:
        (source,) = summary(con)
    assert source.source == demo.SOURCE and source.first.date() >= datetime.date(2024, 1, 1)
