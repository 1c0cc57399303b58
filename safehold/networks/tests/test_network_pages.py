"""The chart, analysis and path pages and the chart's downloads: computed over the user's visible
network only (each "must not see" with the owner seeing it on the same URL), audited, and the
ANX download holds the same entities and links as the chart."""

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _chart(client, around, **more):
    return client.get(reverse("networks:chart"), {"around": around, "steps": 2, **more})


def test_the_chart_around_the_phone_joins_two_addresses_and_the_group(
    client, police, phone_at_two_places
):
    client.force_login(police)
    response = _chart(client, phone_at_two_places["phone"].entity_id)
    assert response.status_code == 200
    chart = response.context["chart"]
    labels = {e.label for e in chart.graph.entities}
    assert "07700 900123" in labels and "Alder Crew" in labels
    assert any("4 Alder Court" in label for label in labels)
    assert any("9 Birch Walk" in label for label in labels)
    page = response.content.decode()
    assert "Links in the chart" in page and "INT-2026-0004 (B2P)" in page
    event = AuditEvent.objects.filter(purpose__startswith="network chart").latest("id")
    assert str(phone_at_two_places["first"].pk) in event.object_ids


def test_another_agency_gets_an_empty_chart_where_the_owner_sees_it(
    client, police, phone_at_two_places
):
    around = phone_at_two_places["phone"].entity_id
    client.force_login(UserFactory(role=Role.CASEWORKER, agency=AgencyFactory()))
    response = _chart(client, around)
    assert response.status_code == 200
    assert response.context["chart"].graph.entities == ()
    assert "9 Birch Walk" not in response.content.decode()
    assert "nothing you can see to chart" in response.content.decode()
    client.force_login(police)  # the positive control, on the same URL
    assert "9 Birch Walk" in _chart(client, around).content.decode()


def test_the_anx_download_holds_the_charts_entities_and_links(client, police, phone_at_two_places):
    client.force_login(police)
    around = phone_at_two_places["phone"].entity_id
    chart = _chart(client, around).context["chart"]
    response = _chart(client, around, format="anx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    root = ET.fromstring(response.content)
    entity_ids = {e.get("EntityId") for e in root.iter("Entity")}
    assert entity_ids == {e.id for e in chart.graph.entities}
    assert len([i for i in root.iter("Link")]) == len(chart.graph.links)
    assert AuditEvent.objects.filter(channel="export", purpose__contains="anx").exists()


def test_every_download_of_the_chart_is_a_file(client, police, phone_at_two_places):
    client.force_login(police)
    around = phone_at_two_places["phone"].entity_id
    assert _chart(client, around, format="svg").content.startswith(b"<svg")
    assert _chart(client, around, format="png").content[:4] == b"\x89PNG"
    assert b"graphml" in _chart(client, around, format="graphml").content[:400]
    names = zipfile.ZipFile(io.BytesIO(_chart(client, around, format="csv").content)).namelist()
    assert sorted(names) == ["entities.csv", "links.csv"]


def test_links_filtered_by_type(client, police, phone_at_two_places):
    client.force_login(police)
    chart = _chart(client, phone_at_two_places["phone"].entity_id, types="linked_to").context[
        "chart"
    ]
    assert {k.type for k in chart.graph.links} == {"linked_to"}


def test_the_analysis_counts_only_what_the_user_sees(client, police, phone_at_two_places):
    client.force_login(police)
    response = client.get(reverse("networks:analysis"), {"measure": "degree"})
    rows = {e.label: v for e, _, v in response.context["rows"]}
    assert rows["07700 900123"] == 2
    shared = response.context["shared"]
    assert [(item.label, name) for item, name, _ in shared] == [("07700 900123", "Phone")]
    csv = client.get(reverse("networks:analysis"), {"measure": "communities", "format": "csv"})
    assert csv.content.decode("utf-8-sig").splitlines()[0] == "entity_id,type,label,community"
    client.force_login(UserFactory(role=Role.CASEWORKER, agency=AgencyFactory()))
    response = client.get(reverse("networks:analysis"), {"measure": "degree"})
    assert response.context["rows"] == [] and response.context["shared"] == []


def test_the_path_from_an_address_to_the_group(client, police, phone_at_two_places):
    client.force_login(police)
    start = f"location:{phone_at_two_places['second'].pk}"
    to = f"ocg:{phone_at_two_places['group'].pk}"
    response = client.get(reverse("networks:path"), {"from": start, "to": to})
    steps = [e.label for e, _ in response.context["steps"]]
    assert steps[1] == "07700 900123" and steps[-1] == "Alder Crew" and len(steps) == 4
    client.force_login(UserFactory(role=Role.CASEWORKER, agency=AgencyFactory()))
    response = client.get(reverse("networks:path"), {"from": start, "to": to})
    assert response.context["path"] is None and "Alder Crew" not in response.content.decode()


def test_an_intelligence_report_offers_its_reference_and_grade_as_a_links_source(client, db):
    """The police analyst, who reads the report in full, is offered to record it in the network
    (and a link form has its reference and grade filled in); the submitting landlord, who sees
    its status only, is not."""
    from safehold.intelligence.services import grade_intelligence
    from safehold.intelligence.tests.factories import IntelligenceFactory, police_analyst

    analyst = police_analyst()
    intelligence = grade_intelligence(
        intelligence=IntelligenceFactory(), by=analyst, source_evaluation="2", assessment="B",
        handling_code="P", sanitised_text="A flat is used to deal drugs.",
    )  # fmt: skip
    client.force_login(analyst)
    page = client.get(reverse("intelligence:detail", args=[intelligence.pk])).content.decode()
    assert "0 links in the network cite it" in page
    assert reverse("networks:from-intelligence", args=[intelligence.pk]) in page
    form = client.get(
        reverse("networks:link-create"),
        {"source": intelligence.reference, "grading": intelligence.grading.replace("/", "")},
    ).context["form"]
    assert form.initial["source_reference"] == intelligence.reference
    client.force_login(intelligence.submitted_by)
    page = client.get(reverse("intelligence:detail", args=[intelligence.pk])).content.decode()
    assert "in the network" not in page
