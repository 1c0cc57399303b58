"""The incident logs as a monthly series for an area (safehold/incidents/areas.py, ADR 45):
counts by UK month of the incidents whose point lies in the given LSOAs, and the months the
logs cover (each source from its first month to its last; a gap between sources is unknown)."""

import pytest
import shapely
from pyproj import Transformer

from safehold.geography.boundaries import shipped_in_metres
from safehold.incidents.areas import monthly_in_lsoas
from safehold.incidents.tests.pages import store

pytestmark = pytest.mark.django_db

TO_WGS84 = Transformer.from_crs(27700, 4326, always_xy=True)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _inside(codes, shapes, code):
    point = shapely.point_on_surface(shapes[codes.index(code)])
    lon, lat = TO_WGS84.transform(point.x, point.y)
    return round(lat, 6), round(lon, 6)


def test_counts_the_incidents_in_the_lsoas_by_month_over_the_months_the_logs_cover():
    codes, shapes = shipped_in_metres()
    ours, other = sorted(codes)[:2]
    here, there = _inside(codes, shapes, ours), _inside(codes, shapes, other)
    store(
        [
            ("2022-01-05T10:00", "Noise", here),
            ("2022-01-20T10:00", "Noise", here),
            ("2022-01-21T10:00", "Noise", there),
            ("2022-03-02T10:00", "Noise", here),
        ]
    )
    store([("2022-06-09T10:00", "Anti-social behaviour", here)], source="Second", prefix="S")
    found = monthly_in_lsoas(lsoas=[ours], first="2021-12", last="2022-07")
    # Covered: January to March (the first source) and June (the second), not the gap.
    assert found.covered == {"2022-01", "2022-02", "2022-03", "2022-06"}
    assert found.counts == {"2022-01": 2, "2022-02": 0, "2022-03": 1, "2022-06": 1}
    both = monthly_in_lsoas(lsoas=[ours, other], first="2022-01", last="2022-01")
    assert both.counts == {"2022-01": 3}


def test_with_no_log_nothing_is_covered():
    found = monthly_in_lsoas(lsoas=["E01005000"], first="2022-01", last="2022-12")
    assert found.covered == frozenset()
    assert found.counts == {}
