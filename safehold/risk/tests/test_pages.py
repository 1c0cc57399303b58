"""The list page, its downloads and its API read: each entry's score and reasons with their
evidence as `list_for` gives it, another agency's evidence withheld with its access request,
the catalogue version named, a fixed number of queries, one audit event per read."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.tests.readable import text_of
from safehold.risk.tests.factories import AS_OF, extract, flagged, tenancy

pytestmark = pytest.mark.django_db

LIST = reverse("risk:list")


def _list(client, user, **query):
    client.force_login(user)
    return client.get(LIST, {"as_of": AS_OF.isoformat(), **query})


def test_the_list_shows_each_reason_with_its_evidence_and_the_version(client, world):
    council = UserFactory(agency=world["council"], role=Role.SUPERVISOR)
    page = text_of(_list(client, council))
    assert "Learning disability" in page
    assert "indicators version 1</a>" in page
    # The landlord's tenancy is withheld from the council: its agency, and no detail.
    assert "An indicator from Stockport Homes' data" in page
    assert "T-1" not in page
    # The list leads to its backtest and fairness report.
    response = _list(client, council)
    for name in ("risk:backtest", "risk:fairness"):
        assert f'href="{reverse(name)}"' in response.content.decode()


def test_withheld_evidence_links_to_the_access_request_and_its_holder_sees_it_in_full(
    client, world
):
    landlord = UserFactory(agency=world["homes"], role=Role.ANALYST)
    response = _list(client, landlord)
    page = text_of(response)
    assert "An indicator from Stockport Council's data" in page
    assert "/request-access/" in response.content.decode()
    assert "Learning disability" not in page
    # The positive control: the landlord's own tenancy in full, with its source and date.
    assert "Rent arrears above a number of weeks" in page
    assert "Source: Stockport Homes" in page
    assert world["cluster"] in page


def test_a_referrer_does_not_see_the_list(client, world):
    client.force_login(UserFactory(agency=world["homes"], role=Role.REFERRER))
    assert client.get(LIST).status_code == 403


def test_an_unknown_ward_is_a_clear_error(client, world):
    response = _list(client, UserFactory(agency=world["homes"], role=Role.ANALYST), area="Nowhere")
    assert response.status_code == 200
    assert "“Nowhere” is not a ward: give its name or its ONS code" in text_of(response)
    assert 'id="entries"' not in response.content.decode()


def test_reading_the_page_is_one_consult_event_naming_the_entries_shown(client, world):
    council = UserFactory(agency=world["council"], role=Role.SUPERVISOR)
    client.force_login(council)
    before = AuditEvent.objects.count()
    client.get(LIST, {"as_of": AS_OF.isoformat()})
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [e.object_type for e in events] == ["risk.entry"]
    assert events[0].object_ids.split() == [world["cluster"]]
    assert str(world["person"].pk) in events[0].subject_ids


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_downloads_have_the_command_lines_columns(client, world, fmt):
    landlord = UserFactory(agency=world["homes"], role=Role.ANALYST)
    response = _list(client, landlord, format=fmt)
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode())))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            [("" if c is None else str(c)) for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    assert rows[0][:3] == ["subject_ref", "score", "indicators"]
    assert rows[1][:3] == [world["cluster"], "5", "withheld:3;arrears_weeks:2"]
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.channel == "export" and event.object_ids == world["cluster"]


def test_a_name_that_looks_like_a_formula_is_neutralised_in_the_downloads(client, world):
    homes = world["homes"]
    extract(homes, "people", [("H-9", "=HYPERLINK(1)", "X", "", "SK1 3XE", "")])
    extract(homes, "tenancies", [tenancy("T-9", "H-9", weeks="10")])
    landlord = UserFactory(agency=homes, role=Role.ANALYST)
    body = _list(client, landlord, format="csv").content.decode()
    assert "'=HYPERLINK(1) X" in body
    assert ",=HYPERLINK" not in body


def test_the_page_makes_the_same_number_of_queries_for_3_and_for_30_entries(client, world):
    mine = world["homes"]
    landlord = UserFactory(agency=mine, role=Role.ANALYST)
    client.force_login(landlord)
    day = AS_OF + datetime.timedelta(days=1)

    def entries(n: int, on: datetime.date) -> int:
        extract(
            mine, "tenancies", [tenancy(f"T-{i}", f"H-{i}", weeks="10") for i in range(n)], on=on
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"as_of": on.isoformat()})
        assert response.content.decode().count('data-subject="') == n
        return len(queries.captured_queries)

    # Each date's list reads its own extract (the latest on or before it): 3 entries, then 30.
    three = entries(3, day)
    thirty = entries(30, day + datetime.timedelta(days=1))
    assert three == thirty


def test_the_api_gives_the_list_as_the_caller_may_see_it(client, world):
    landlord = UserFactory(agency=world["homes"], role=Role.ANALYST)
    client.force_login(landlord)
    answer = client.get(reverse("api:risk-list"), {"as_of": AS_OF.isoformat()}).json()
    assert answer["indicators_version"] == 1
    (entry,) = answer["entries"]
    assert entry["subject_ref"] == world["cluster"] and entry["score"] == 5
    withheld = [r for r in entry["reasons"] if r["code"] is None]
    assert withheld[0]["name"] == "An indicator from Stockport Council's data"
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.channel == "api" and event.object_ids == world["cluster"]


def test_the_api_refuses_an_unknown_ward_with_a_field_error(client, world):
    client.force_login(UserFactory(agency=world["homes"], role=Role.ANALYST))
    response = client.get(reverse("api:risk-list"), {"area": "Nowhere"})
    assert response.status_code == 400 and "area" in response.json()


def test_the_catalogue_is_read_by_every_list_reader_and_changed_only_by_administrators(client, db):
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    page = client.get(reverse("risk:indicators"))
    assert "Learning disability" in text_of(page) and "Save a new version" not in text_of(page)
    assert client.post(reverse("risk:indicators"), {"reason": "x"}).status_code == 403
    flagged("learning_disability")
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    form = client.get(reverse("risk:indicators")).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v not in (False, None)}
    data["learning_disability__weight"] = 5
    data["reason"] = "The board raised it"
    response = client.post(reverse("risk:indicators"), data, follow=True)
    assert "Indicators version 2 has been saved." in text_of(response)
    from safehold.risk.services import current_version

    version = current_version()
    assert version.number == 2 and version.settings["learning_disability"]["weight"] == 5
    assert version.settings["mental_health"] == form.settings["mental_health"]
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.action == "alter" and "learning_disability" in event.purpose


def test_a_change_without_a_reason_is_refused_and_makes_no_version(client, db):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(reverse("risk:indicators"), {"learning_disability__weight": "7"})
    assert "Enter the reason for the change" in text_of(response)
    from safehold.risk.models import IndicatorVersion

    assert IndicatorVersion.objects.count() == 1


def test_a_ward_is_found_by_a_part_of_its_name_only_when_one_ward_has_it(db):
    from safehold.geography.models import LocalAuthority, Ward
    from safehold.risk.engine import UnknownArea, ward_of

    la = LocalAuthority.objects.get_or_create(code="E08999999", name="Testshire")[0]
    Ward.objects.create(code="E05999991", name="Brinnowby and Central", local_authority=la)
    Ward.objects.create(code="E05999992", name="Reddish North", local_authority=la)
    Ward.objects.create(code="E05999993", name="Reddish South", local_authority=la)
    assert ward_of("brinnowby").code == "E05999991"
    assert ward_of("Reddish North").code == "E05999992"
    with pytest.raises(UnknownArea, match="several wards"):
        ward_of("Reddish")
    with pytest.raises(UnknownArea, match="is not a ward"):
        ward_of("Nowhere at all")
