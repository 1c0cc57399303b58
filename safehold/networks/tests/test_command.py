"""`safehold networks analyse` and `export`: of the network the given user may see, audited."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command

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
