"""`safehold intelligence list`: as the pages, each row as much as the user may see."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from safehold.audit.choices import Channel
from safehold.audit.models import AuditEvent
from safehold.core.exports import is_formula_like
from safehold.intelligence.tests.helpers import SANITISED, grade, submit

pytestmark = pytest.mark.django_db


def _csv(*args) -> str:
    out = io.StringIO()
    call_command("intelligence", "list", *args, stdout=out)
    return out.getvalue()


def test_the_list_gives_each_user_what_the_pages_give(submitter, analyst, partner, stranger):
    graded = grade(submit(submitter), analyst)
    waiting = submit(submitter)
    police = _csv("--user", analyst.email)
    assert graded.reference in police and waiting.reference in police and SANITISED in police
    own = _csv("--user", submitter.email)
    assert graded.reference in own and SANITISED not in own and "2/B/P" not in own
    shared = _csv("--user", partner.email)
    assert SANITISED in shared and waiting.reference not in shared
    assert _csv("--user", stranger.email).strip() == ",".join(
        ["reference", "submitted_on", "status", "access", "grading", "handling_conditions",
         "sanitised_text"]
    )  # fmt: skip
    queue = _csv("--user", analyst.email, "--waiting")
    assert waiting.reference in queue and graded.reference not in queue
    assert AuditEvent.objects.filter(channel=Channel.CLI, purpose="intelligence list").exists()


def test_the_list_needs_a_user(db):
    with pytest.raises(CommandError):
        call_command("intelligence", "list")


def test_the_list_writes_formula_like_text_so_a_spreadsheet_does_not_run_it(submitter, analyst):
    """It was written by a plain csv.DictWriter, the one export that missed the shared
    neutraliser (ADR 0028, 0064)."""
    payload = '=HYPERLINK("http://x","y")'
    graded = grade(submit(submitter), analyst, sanitised_text=payload)
    rows = list(csv.reader(io.StringIO(_csv("--user", analyst.email))))
    (row,) = [r for r in rows if r[0] == graded.reference]
    assert row[6] == "'" + payload
    assert not [cell for r in rows for cell in r if is_formula_like(cell)]
