"""The crime API: who may call it, that it gives the command line's JSON, and its errors."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.crime.ingest import import_police_files
from safehold.crime.tests.conftest import STOCKPORT_BURGLARY

pytestmark = pytest.mark.django_db
ANALYSES = ["summary", "trend", "compare", "top", "seasonal", "repeats"]


@pytest.fixture
def stockport(store):
    import_police_files(paths=[STOCKPORT_BURGLARY])
    return store


@pytest.mark.parametrize("name", ANALYSES)
def test_anonymous_callers_get_401(client, db, name):
    response = client.get(reverse(f"api:crime-{name}"), {"area": "E08000007"})
    assert response.status_code == 401


@pytest.mark.parametrize("role", [Role.REFERRER])
def test_roles_that_see_no_reports_are_refused(client, store, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("api:crime-summary")).status_code == 403


@pytest.mark.parametrize(
    "role",
    [Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR, Role.CASEWORKER, Role.IG_OFFICER],
)
@pytest.mark.parametrize("name", ANALYSES)
def test_every_analysis_answers_who_may_view_reports(client, stockport, role, name):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse(f"api:crime-{name}"), {"area": "E08000007"})
    assert response.status_code == 200, response.content
    assert response.json()["analysis"] == name


def test_the_api_gives_the_command_lines_json_and_records_the_call(client, stockport):
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    params = {"group_by": "ward,month", "from": "2017-01", "to": "2017-12", "rates": "true",
              "crime_type": "Burglary"}  # fmt: skip
    response = client.get(reverse("api:crime-summary"), params)
    out = io.StringIO()
    call_command(
        "crime", "summary", "--group-by", "ward,month", "--from", "2017-01", "--to", "2017-12",
        "--rates", "--crime-type", "Burglary", "--format", "json", stdout=out,
    )  # fmt: skip
    assert response.json() == json.loads(out.getvalue())
    assert len(response.json()["rows"]) == 21 * 12
    event = AuditEvent.objects.get(object_type="crime.summary", channel="api")
    assert event.actor == analyst and event.action == "consult"
    assert "group_by=ward,month" in event.purpose


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"group_by": "street"}, "group_by", "cannot group by “street”"),
        ({"area": "E05999999"}, "area", "is not an area Safehold knows"),
        ({"from": "2017-13"}, "from", ""),
        ({"rates": "true"}, "rates", "rates need an area"),
    ],
)
def test_bad_arguments_are_400_with_the_field_named(client, store, params, field, message):
    client.force_login(UserFactory(role=Role.ANALYST))
    response = client.get(reverse("api:crime-summary"), params)
    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_compare_needs_an_area(client, store):
    client.force_login(UserFactory(role=Role.ANALYST))
    response = client.get(reverse("api:crime-compare"))
    assert response.status_code == 400 and "area" in response.json()


def test_a_nul_in_a_filter_is_a_400_and_nothing_is_recorded(client, stockport):
    # On PostgreSQL the audit event naming the filter could not be written: a 500.
    client.force_login(UserFactory(role=Role.ANALYST))
    url = reverse("api:crime-summary")
    assert client.get(url, {"crime_type": "Burglary"}).status_code == 200  # the positive control
    events = AuditEvent.objects.count()
    response = client.get(f"{url}?crime_type=%00")
    assert response.status_code == 400
    assert "control character" in response.json()["non_field_errors"][0]
    assert AuditEvent.objects.count() == events
