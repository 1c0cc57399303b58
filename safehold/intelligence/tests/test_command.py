"""`safehold intelligence list`: as the pages, each row as much as the user may see."""

import io

import pytest
from django.core.management import CommandError, call_command

from safehold.audit.choices import Channel
from safehold.audit.models import AuditEvent
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
