"""A new place found by its postcode (issue 14, item 18): type the postcode, the ward, LSOA and
coordinates are filled from the shipped postcode points, save, and the place's page shows its
map (Leaflet, served by Safehold itself) with the pages passing axe-core. And an administrator
adds postcodes of another area on the Postcode points page (defect 11)."""

import re

import pytest

from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser


def test_a_new_place_is_found_by_its_postcode_and_shown_on_its_map(server, page):
    problems = {}

    def sweep(name):
        if found := serious_accessibility_violations(page):
            problems[name] = found

    sign_in(page, server, "epo@homes.demo.safehold.test")
    page.goto(server.base_url + "/people/places/add/")
    page.get_by_label("Address line 1").fill("14 Journey Street")
    page.get_by_label("Postcode").fill("sk1 1eb")
    page.get_by_role("button", name="Find ward and LSOA").click()
    status = page.locator("#postcode-found")
    assert "SK1 1EB is in" in status.inner_text()
    assert page.get_by_label("Ward (optional)").input_value() != ""
    assert page.get_by_label("LSOA (optional)").input_value() != ""
    assert page.get_by_label("Latitude (optional)").input_value().startswith("53.4")
    assert page.get_by_label("Address line 1").input_value() == "14 Journey Street"
    sweep("place form, postcode found")

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/people/places/[0-9a-f-]{36}/$"))
    details = page.locator("#place-details").inner_text()
    assert "SK1 1EB" in details and "Not known" not in details.split("Ward")[1].split("\n")[1]
    # Leaflet replaced the server-drawn picture: it loaded from Safehold's static files.
    page.wait_for_selector("#place-map.leaflet-container", timeout=10_000)
    assert page.locator("#place-map .leaflet-interactive").count() >= 2  # ward and place
    sweep("place page with its map")
    assert problems == {}


def test_an_administrator_adds_the_postcodes_of_another_area(server, page, tmp_path):
    sign_in(page, server, "admin@homes.demo.safehold.test")
    page.goto(server.base_url + "/geography/postcodes/")
    assert "16,106 SK postcodes shipped with Safehold" in page.locator("main").inner_text()
    assert serious_accessibility_violations(page) == []
    upload = tmp_path / "wa.csv"
    upload.write_text(
        '"WA1 1AA",10,360750,388500,"E92000001","","","","",""\n'
        '"WA1 1AB",10,360800,388600,"E92000001","","","","",""\n',
        encoding="utf-8",
    )
    page.set_input_files("input[type=file]", str(upload))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_url(re.compile(r"/geography/postcodes/[0-9a-f-]{36}/$"))
    page.wait_for_selector(".govuk-panel--confirmation", timeout=30_000)
    assert "Loaded 2 postcodes from wa.csv" in page.locator("main").inner_text()
    assert serious_accessibility_violations(page) == []
