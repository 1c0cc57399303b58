"""/api/v1/crime/incidents/heatmap|seasonal|hotspots/: the JSON of the downloads, the filters,
400 for bad ones, who may call them and the audit event of each call."""

import datetime

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.api import services
from safehold.audit.models import AuditEvent
from safehold.charts.maps import stockport_bounds_bng
from safehold.incidents import formats
from safehold.incidents.selectors import Filters, connect, heatmap, hotspots, seasonal
from safehold.incidents.tests.pages import cluster_rows, spread_rows, store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST)


@pytest.fixture
def bearer(db):
    """The headers of a partner system calling with a user's API token."""

    def make(user) -> dict[str, str]:
        _, key = services.create_token(user=user, name="Test partner system", by=None)
        return {"Authorization": f"Bearer {key}"}

    return make


@pytest.fixture(autouse=True)
def incidents(db):
    store(spread_rows(200))
    store(cluster_rows(60), source="Other Partner", prefix="C")


def test_the_heat_map_with_filters_is_the_json_of_the_analysis(client, analyst, bearer):
    params = {
        "from": "2023-02-01",
        "to": "2023-03-31",
        "type": ["Noise"],
        "source": ["example homes"],
    }
    response = client.get(reverse("api:crime-incidents-heatmap"), params, headers=bearer(analyst))
    assert response.status_code == 200
    with connect() as con:
        expected = heatmap(
            con, date_from=datetime.date(2023, 2, 1), date_to=datetime.date(2023, 3, 31),
            types=["Noise"], sources=["example homes"],
        )  # fmt: skip
    assert response.json() == formats.heatmap_dict(expected)
    assert 0 < response.json()["total"] < 200
    event = AuditEvent.objects.get(object_type="crime.incidents", action="consult")
    assert (event.action, event.actor, event.channel) == ("consult", analyst, "api")
    assert event.purpose == "incident heat map (json)"


def test_the_seasonal_profile_is_the_json_of_the_analysis(client, analyst, bearer):
    response = client.get(
        reverse("api:crime-incidents-seasonal"),
        {"source": "Other Partner"},
        headers=bearer(analyst),
    )
    with connect() as con:
        expected = seasonal(con, sources=["Other Partner"])
    assert response.json() == formats.seasonal_dict(expected)
    assert response.json()["total"] == 60


def test_the_hot_spots_are_geojson_of_the_cells(client, analyst, bearer):
    url = reverse("api:crime-incidents-hotspots")
    body = client.get(url, headers=bearer(analyst)).json()
    with connect() as con:
        analysis = hotspots(con, bounds=stockport_bounds_bng())
    assert body == formats.hotspots_geojson(analysis, filters=Filters())
    assert body["type"] == "FeatureCollection" and body["features"]
    assert {f["properties"]["class"] for f in body["features"]} <= {
        "hot spot 99%", "hot spot 95%", "hot spot 90%",
        "cold spot 99%", "cold spot 95%", "cold spot 90%",
    }  # fmt: skip
    every = client.get(
        url, {"all_cells": "true", "cell_size": 500, "area": "incidents"}, headers=bearer(analyst)
    ).json()
    rows, cols = every["safehold"]["shape"]
    assert len(every["features"]) == rows * cols and every["safehold"]["cell_size_m"] == 500


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("api:crime-incidents-heatmap", {"from": "2023-03-01", "to": "2023-02-01"}, "to"),
        ("api:crime-incidents-seasonal", {"from": "1 March 2023"}, "from"),
        ("api:crime-incidents-hotspots", {"cell_size": 123}, "cell_size"),
        ("api:crime-incidents-hotspots", {"radius": 9}, "radius"),
        ("api:crime-incidents-hotspots", {"area": "moon"}, "area"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(client, analyst, bearer, name, params, field):
    response = client.get(reverse(name), params, headers=bearer(analyst))
    assert response.status_code == 400
    assert field in response.json()
    assert not AuditEvent.objects.filter(object_type="crime.incidents", action="consult").exists()


@pytest.mark.parametrize(
    "name",
    ["api:crime-incidents-heatmap", "api:crime-incidents-seasonal", "api:crime-incidents-hotspots"],
)
def test_referrers_get_403_and_a_denied_access_event(client, bearer, name):
    referrer = UserFactory(role=Role.REFERRER)
    response = client.get(reverse(name), headers=bearer(referrer))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access_denied", actor=referrer).exists()
