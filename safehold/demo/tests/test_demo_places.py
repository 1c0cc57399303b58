"""The demo's places are at real postcodes of their LSOA, so each is on its map (ADR 0037);
the people living there are invented."""

from safehold.demo import partnership
from safehold.geography.postcodes import lsoa_codes_at, shipped_points
from safehold.people.models import Location


def test_every_demo_place_is_at_a_shipped_postcode_inside_its_own_lsoa(db):
    partnership.load(seed=2022)
    places = list(Location.objects.all())
    assert places and all(p.postcode in shipped_points() for p in places)
    assert all(p.latitude is not None and p.longitude is not None for p in places)
    found = lsoa_codes_at([float(p.longitude) for p in places], [float(p.latitude) for p in places])
    assert found == [p.lsoa_id for p in places]
