"""`safehold risk list`: CSV and JSON, a ward, and a user's view (docs/formats/risk-list.md)."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ExploitationType
from safehold.cases.tests.factories import CaseFactory
from safehold.geography.models import Ward
from safehold.geography.postcodes import look_up
from safehold.geography.services import load_stockport_extract
from safehold.people.tests.factories import LocationFactory
from safehold.risk.tests.factories import AS_OF, extract, flagged, tenancy

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("risk", "list", "--as-of", AS_OF.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def homes():
    homes = AgencyFactory(name="Stockport Homes")
    extract(homes, "people", [("H-1", "Ada", "Lovelace", "", "SK1 1EB", "")])
    extract(
        homes,
        "tenancies",
        [tenancy("T-1", "H-1", weeks="10", start="2026-05-01")],
    )
    return homes


def test_the_csv_has_a_row_per_subject_with_its_score_and_indicators(homes):
    person = flagged("mental_health", "care_leaver")
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv"))))
    by_ref = {r["subject_ref"]: r for r in rows}
    tenant = by_ref[f"{homes.pk}/H-1"]
    assert tenant["score"] == "3"
    assert tenant["indicators"] == "arrears_weeks:2;new_tenancy:1"
    assert "Tenancy T-1: 10 weeks of rent in arrears" in tenant["evidence"]
    assert tenant["as_of"] == AS_OF.isoformat() and tenant["indicators_version"] == "1"
    flagged_row = by_ref[f"safehold/{person.pk}"]
    assert flagged_row["indicators"] == "care_leaver:2;mental_health:2"
    assert [r["subject_ref"] for r in rows] == [f"safehold/{person.pk}", f"{homes.pk}/H-1"]
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.channel == "cli" and event.action == "consult"
    assert f"{homes.pk}/H-1" in event.object_ids


def test_the_json_gives_each_reason_with_its_evidence(homes, tmp_path):
    path = tmp_path / "list.json"
    run("--format", "json", "--output", str(path))
    made = json.loads(path.read_text())
    assert made["as_of"] == AS_OF.isoformat() and made["indicators_version"] == 1
    (entry,) = made["entries"]
    assert entry["score"] == sum(i["weight"] for i in entry["indicators"]) == 3
    weeks = next(r for r in entry["reasons"] if r["code"] == "arrears_weeks")
    assert weeks["evidence"] == [
        {
            "agency": "Stockport Homes",
            "full": True,
            "record": f"{homes.pk}/tenancy/T-1",
            "date": AS_OF.isoformat(),
            "what": "Tenancy T-1: 10 weeks of rent in arrears",
            "request_access": None,
        }
    ]


def test_a_ward_limits_the_list_to_the_subjects_living_in_it(homes):
    load_stockport_extract()
    ward = look_up("SK1 1EB").ward
    elsewhere = Ward.objects.exclude(pk=ward.pk).first()
    person = flagged("mental_health")
    CaseFactory(
        subject=person,
        location=LocationFactory(ward=elsewhere),
        exploitation_type=ExploitationType.FINANCIAL,
    )
    rows = list(csv.DictReader(io.StringIO(run("--area", ward.name))))
    assert [(r["subject_ref"], r["ward"]) for r in rows] == [(f"{homes.pk}/H-1", ward.code)]
    rows = list(csv.DictReader(io.StringIO(run("--area", elsewhere.code))))
    assert [r["subject_ref"] for r in rows] == [f"safehold/{person.pk}"]


def test_an_unknown_ward_is_a_clear_error(homes):
    load_stockport_extract()
    with pytest.raises(CommandError, match="is not a ward"):
        run("--area", "Atlantis")


def test_with_a_user_the_list_is_what_that_user_may_see(homes):
    police = AgencyFactory(name="Greater Manchester Police")
    analyst = UserFactory(agency=homes, role=Role.ANALYST, email="analyst@homes.example")
    stranger = UserFactory(agency=police, role=Role.ANALYST, email="analyst@police.example")
    mine = list(csv.DictReader(io.StringIO(run("--user", analyst.email))))
    assert [r["name"] for r in mine] == ["Ada Lovelace"]
    assert list(csv.DictReader(io.StringIO(run("--user", stranger.email)))) == []


def test_top_writes_only_the_first_entries(homes):
    flagged("learning_disability", "previous_exploitation")
    rows = list(csv.DictReader(io.StringIO(run("--top", "1"))))
    assert [r["score"] for r in rows] == ["6"]
    with pytest.raises(CommandError, match="--top must be 1 or more"):
        run("--top", "0")
