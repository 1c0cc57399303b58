"""Distances, the walking order and the letter language, against known answers."""

import pytest

from safehold.geography.postcodes import shipped_points, to_wgs84
from safehold.reassurance import geometry, letters


def test_a_postcode_point_projects_to_degrees_and_back_to_the_same_metre():
    east, north = shipped_points()["SK1 1AA"]  # 389357, 390095 in Code-Point Open
    lon, lat = to_wgs84([east], [north])
    back = geometry.to_bng(float(lat[0]), float(lon[0]))
    assert back == pytest.approx((east, north), abs=0.1)


def test_distances_are_metres_on_the_national_grid():
    assert geometry.distance_m((389357, 390095), (389657, 390495)) == pytest.approx(500.0)
    # Two shipped postcodes: SK1 1AA and SK1 1AL, 102.6 m apart on Code-Point Open's grid.
    a, b = shipped_points()["SK1 1AA"], shipped_points()["SK1 1AL"]
    assert geometry.distance_m(a, b) == pytest.approx(((97**2) + (257**2)) ** 0.5)


def test_a_grid_kilometre_is_a_kilometre_on_the_ground_to_within_half_a_metre():
    """The ellipsoid's distance (pyproj's geodesic) of a grid kilometre near Stockport: the
    grid's scale there is 0.9996, so 1000.4 m; the haversine on a sphere is within 0.5%."""
    import math

    from pyproj import Geod

    start, end = (389357, 390095), (390357, 390095)
    (lat1, lon1), (lat2, lon2) = geometry.to_wgs84(*start), geometry.to_wgs84(*end)
    _, _, ground = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    assert ground == pytest.approx(1000.4, abs=0.5)
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    haversine = 2 * 6_371_008.8 * math.asin(math.sqrt(h))
    assert haversine == pytest.approx(1000, rel=0.005)


def test_the_circle_is_the_radius_from_its_centre_all_round():
    ring = geometry.circle((389357, 390095), 250)
    assert len(ring) == geometry.CIRCLE_POINTS + 1 and ring[0] == ring[-1]
    for lon, lat in ring[:-1]:
        assert geometry.distance_m((389357, 390095), geometry.to_bng(lat, lon)) == pytest.approx(
            250, abs=0.2
        )


def test_the_walking_list_sorts_by_street_then_house_number_as_a_number():
    lines = ["10 Mill Lane", "2 Mill Lane", "12A Mill Lane", "12 Mill Lane", "1 Acre Road",
             "Flat 3, 11 Mill Lane", "Rose Cottage, Mill Lane", "13 Mill Lane"]  # fmt: skip
    ordered = sorted(lines, key=lambda line: geometry.street_key(line, "", line))
    assert ordered == ["1 Acre Road", "2 Mill Lane", "10 Mill Lane", "Flat 3, 11 Mill Lane",
                       "12 Mill Lane", "12A Mill Lane", "13 Mill Lane", "Rose Cottage, Mill Lane"]  # fmt: skip


def test_a_street_and_number_are_found_in_the_second_line_too():
    assert geometry.street_and_number("Flat 2", "7B High Street") == ("High Street", 7, "B")
    assert geometry.street_and_number("The Old Mill", "") == ("The Old Mill", None, "")


def test_a_template_with_only_known_fields_has_no_problems():
    assert letters.problems("Dear resident at {{ address }},\n\n{{officer_name}}") == []


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("Hello {{ tenant_name }}", "{{ tenant_name }}"),
        ("{% load static %}Hello", "not {% %}"),
        ("{{ address.pk }}", "not closed"),
        ("{{ address|upper }}", "not closed"),
        ("{# a comment #}", "not {% %}"),
        ("   ", "Enter the text"),
    ],
)
def test_a_template_with_anything_else_is_refused_naming_it(body, named):
    found = letters.problems(body)
    assert found and named in found[0]


def test_a_letter_escapes_the_text_and_every_value_and_keeps_paragraphs():
    html = letters.render_html(
        "Dear <b>resident</b> at {{ address }},\n\nWe are {{ agency }}.\nThanks",
        {"address": "1 <script>alert(1)</script> Road", "agency": "Police & Co"},
    )
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert html.count("<p>") == 2 and "Police &amp; Co.<br>Thanks" in html
