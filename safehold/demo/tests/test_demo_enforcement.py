"""The demo's closure order (issue 15): on a demo case with incidents around its premises,
with its exhibits, so its application bundle builds with a chronology, a map and appended
pages; loaded once."""

import re

import pytest
from django.core.management import call_command

from safehold.cases.choices import EnforcementKind
from safehold.cases.models import EnforcementAction
from safehold.core.tests.readable import pdf_text
from safehold.demo import enforcement as demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closure_order_whose_bundle_builds(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "load")
    order = EnforcementAction.objects.get(
        kind=EnforcementKind.FULL_CLOSURE_ORDER, notes__startswith=demo.MARKER
    )
    assert order.documents.count() == 3
    assert order.case.enforcement.filter(kind=EnforcementKind.CLOSURE_NOTICE).count() == 1
    out = tmp_path / "bundle.pdf"
    call_command("enforcement", "bundle", order.case.reference, "--output", str(out))
    text = pdf_text(out.read_bytes())
    assert "Application for a closure order" in text
    assert "Exhibit D2: Photograph of the front door" in text
    # The chronology has the case's notes and the invented incident log near the premises.
    assert re.search(r"^\s*C1\s", text, re.M)
    # The premises has invented incidents on its map (chosen for having the most).
    assert "No incidents near the premises" not in text
    assert re.search(
        r"^\s*(Anti-social behaviour|Noise|Criminal damage|Drug-related)\s+\d+\s+\d+", text, re.M
    )
    # Loading again adds nothing.
    call_command("demo", "load")
    assert demo.load() is None
    assert EnforcementAction.objects.filter(notes__startswith=demo.MARKER).count() == 2
