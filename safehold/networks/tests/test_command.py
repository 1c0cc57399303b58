"""`safehold networks analyse` and `export`: of the network the given user may see, audited."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command

from safehold.accounts.tests.factories import AgencyFactory
from safehold.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("networks", *args, stdout=out)
    return out.getvalue()


def test_analyse_degree_and_communities_as_csv(police, phone_at_two_places, tmp_path, capsys):
    target = tmp_path / "degree.csv"
    _run("analyse", "--measure", "degree", "--user", police.email, "--output", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    degree = {row["entity_id"]: int(row["degree"]) for row in rows}
    assert degree[phone_at_two_places["phone"].entity_id] == 2
    _run("analyse", "--measure", "communities", "--user", police.email)
    header = capsys.readouterr().out.splitlines()[0]
    assert header == "entity_id,community"
    assert AuditEvent.objects.filter(purpose__contains="command line").count() == 2


def test_a_path_and_its_refusals(police, phone_at_two_places, capsys):
    start = f"location:{phone_at_two_places['second'].pk}"
    group = f"ocg:{phone_at_two_places['group'].pk}"
    _run("analyse", "--measure", "path", "--from", start, "--to", group, "--user", police.email)
    lines = capsys.readouterr().out.split()
    assert lines[0] == start and lines[1] == phone_at_two_places["phone"].entity_id
    assert lines[-1] == group
    with pytest.raises(CommandError, match="no entity with that id"):
        _run("analyse", "--measure", "path", "--from", "ocg:nope", "--to", group,
             "--user", police.email)  # fmt: skip
    with pytest.raises(CommandError, match="--user"):
        _run("analyse", "--measure", "degree")


def test_export_of_a_group_as_anx(police, phone_at_two_places, tmp_path):
    target = tmp_path / "group.anx"
    said = _run("export", "--format", "anx", "--ocg", "Alder Crew", "--output", str(target),
                "--user", police.email)  # fmt: skip
    root = ET.fromstring(target.read_bytes())
    ids = {e.get("EntityId") for e in root.iter("Entity")}
    assert f"ocg:{phone_at_two_places['group'].pk}" in ids
    assert phone_at_two_places["phone"].entity_id in ids
    assert f"{len(ids)} entities" in said
    with pytest.raises(CommandError, match="no group called"):
        _run("export", "--format", "anx", "--ocg", "Nobody", "--output", str(target),
             "--user", police.email)  # fmt: skip


def _files(tmp_path, entities: str, links: str):
    e, k = tmp_path / "entities.csv", tmp_path / "links.csv"
    e.write_text(entities, encoding="utf-8")
    k.write_text(links, encoding="utf-8")
    return str(e), str(k)


def test_import_adds_once_and_a_second_run_changes_nothing(police, phone_at_two_places, tmp_path):
    place = f"location:{phone_at_two_places['first'].pk}"
    entities, links = _files(
        tmp_path,
        "entity_id,type,label,date\n"
        f"{place},location,4 Alder Court,\n"
        "p1,phone,+44 7700 900123,\n"  # the fixture's phone, written another way
        "p2,phone,07700 900999,\n"
        "g1,ocg,Birch Boys,\n"
        "e1,seizure,Cash and phones seized,2026-03-02\n",
        "source_id,target_id,type,date,source,grading\n"
        f"p2,{place},seen_at,2026-03-01,INT-2026-0009,B2P\n"
        f"e1,{place},occurred_at,2026-03-02,,\n"
        "p1,g1,linked_to,,,\n",
    )  # fmt: skip
    said = _run("import", entities, links, "--user", police.email)
    assert "3 entities and 3 links added" in said  # p2, g1, e1; p1 was already the police's
    from safehold.networks.models import NetworkLink, NetworkObject

    assert NetworkObject.objects.filter(normalised="+447700900123").count() == 1
    before = NetworkLink.objects.count()
    assert "Nothing changed" in _run("import", entities, links, "--user", police.email)
    assert NetworkLink.objects.count() == before


def test_import_refuses_the_whole_pair_for_a_person_the_user_cannot_see(police, tmp_path):
    from safehold.networks.models import NetworkObject
    from safehold.people.tests.factories import PersonFactory

    hidden = PersonFactory(owning_agency=AgencyFactory())
    entities, links = _files(
        tmp_path,
        f"entity_id,type,label\nperson:{hidden.pk},person,Someone\np9,phone,07700 900555\n",
        f"source_id,target_id,type,date\nperson:{hidden.pk},p9,uses_phone,\n",
    )
    with pytest.raises(CommandError, match="not a person you can see"):
        _run("import", entities, links, "--user", police.email)
    assert not NetworkObject.objects.filter(normalised="+447700900555").exists()
    mine = PersonFactory(owning_agency=police.agency)  # the positive control: one they can see
    entities, links = _files(
        tmp_path,
        f"entity_id,type,label\nperson:{mine.pk},person,Someone\np9,phone,07700 900555\n",
        f"source_id,target_id,type,date\nperson:{mine.pk},p9,uses_phone,\n",
    )
    said = _run("import", entities, links, "--user", police.email)
    assert "1 entities and 1 links added" in said
    assert NetworkObject.objects.filter(normalised="+447700900555").exists()
