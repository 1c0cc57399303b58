"""Every kind of run killed with SIGKILL before, inside and after its commit or its swap
(ADR 0063): real processes on a database file and a data folder of their own.

For each kind a run is started and committed as its page does it; an uninterrupted worker
imports a copy (the reference, counting its write steps); then, on fresh copies, a worker is
paused at a crash point and killed there: before its Nth write step (N from a seeded random,
safehold.core.testhooks) or at a named point of its own (the police.uk swap). What it left must
be all of the run or none of it; the next worker takes the run over and finishes it with the
same data as the reference, and the audit chain verifies.

SAFEHOLD_CRASH_SEED changes the points (the default is fixed, so CI is repeatable);
SAFEHOLD_CRASH_POINTS=n kills each kind at n random points (default 1) and at all its named
points (default: one, chosen by the seed).
"""

import json
import os
import random
import subprocess

import pytest

from tests.crash.harness import VERIFY as VERIFY_CODE
from tests.crash.harness import steps_of, worker
from tests.crash.kinds import KINDS, Kind, snapshot

pytestmark = pytest.mark.database_free  # its own database files: once, in the SQLite pass

SEED = int(os.environ.get("SAFEHOLD_CRASH_SEED", "63"))
# A number of random points per kind, or the points themselves ("write:7,swapping").
POINTS = os.environ.get("SAFEHOLD_CRASH_POINTS", "1")
RUN = (
    "SELECT status, total_rows, processed_rows, created_cases, unchanged_cases, errors, result "
    "FROM cases_importrun"
)
VOLATILE = ("seconds", "extract_id", "linkage_run_id", "run")  # differ between any two runs


def run_of(place) -> list[tuple]:
    """The run's status and figures, as its page shows them."""
    rows = []
    for *figures, result in place.query(RUN):
        kept = {k: v for k, v in json.loads(result).items() if k not in VOLATILE}
        rows.append((*figures, kept))
    return rows


TASKS_LEFT = (
    "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
)


def crash_points(kind: Kind, steps: int) -> list[str]:
    if not POINTS.isdigit():
        return POINTS.split(",")
    rng = random.Random(f"{SEED}:{kind.name}")
    points = [f"write:{rng.randint(1, steps)}" for _ in range(int(POINTS))]
    if kind.named_points:
        points += kind.named_points if int(POINTS) > 1 else [rng.choice(kind.named_points)]
    return list(dict.fromkeys(points + list(kind.pinned)))


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_run_killed_at_any_point_is_all_there_or_not_and_finishes_the_same(
    kind, template, tmp_path
):
    base = template.copy_to(tmp_path / "base")
    base.finish(kind.start, log="start")
    nothing = snapshot(kind, base)

    reference = base.copy_to(tmp_path / "reference")
    steps = steps_of(reference.finish(worker(verify=True), log="reference", count=True))
    expected = snapshot(kind, reference)
    expected_run = run_of(reference)
    assert expected_run[0][0] == "done", (expected_run, reference.logs)
    assert expected != nothing  # the run writes something: a crash can lose it

    for n, point in enumerate(crash_points(kind, steps)):
        place = base.copy_to(tmp_path / f"crash-{n}")
        paused = place.crash_at(worker(), point, log=f"crash-{n}")
        where = f"{kind.name} killed at {point} of {steps} (seed {SEED})"
        if kind.settle:  # as a page reading the store would, first
            place.finish(kind.settle, log=f"settle-{n}")
        left = snapshot(kind, place, visible=True)
        if kind.name != "police":  # police.uk: ADR 26's pending run, settled by recovery below
            visible = (snapshot(kind, base, visible=True), snapshot(kind, reference, visible=True))
            assert left in visible, where
        if left == snapshot(kind, reference, visible=True) and paused:
            # All there: then the run says so too, or is still running (to be taken over).
            assert run_of(place)[0][0] in ("done", "validating", "importing"), where

        output = place.finish(worker(recover=True, verify=True), log=f"after-{n}")
        assert "Audit chain intact" in output, where
        assert snapshot(kind, place) == expected, where
        assert run_of(place) == expected_run, where
        assert place.one(TASKS_LEFT) == (0,), where  # no task left queued or "running"
        assert not list((place.data / "imports").glob("*")), where  # the kept file is gone


BUNDLE_START = """
    from safehold.accounts.tests.factories import AgencyFactory
    from safehold.enforcement.tests.factories import bundle_action
    print("CASE", bundle_action(AgencyFactory()).case.reference, flush=True)
"""
BUNDLE_BUILD = """
    from django.core.management import call_command
    call_command("enforcement", "bundle", {reference!r}, "--output", {output!r})
"""


def pages_of(path) -> int:
    """The pages of a whole PDF (poppler reads it, or the assertion fails)."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path
    done = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=data, capture_output=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.count(b"\f")


def test_a_bundle_build_killed_at_any_point_leaves_the_whole_pdf_or_none(template, tmp_path):
    """`safehold enforcement bundle` (a build is not a run: it writes its disclosure's audit
    event, then the PDF): killed before, at or after the commit, or between writing the PDF
    and renaming it into place, there is the whole bundle under its name or nothing, the audit
    chain verifies, and building again gives a bundle of as many pages."""
    base = template.copy_to(tmp_path / "base")
    reference_name = base.finish(BUNDLE_START, log="start").split("CASE ")[1].split()[0]
    reference = base.copy_to(tmp_path / "reference")
    out = tmp_path / "reference.pdf"
    build = BUNDLE_BUILD.format(reference=reference_name, output=str(out))
    steps = steps_of(reference.finish(build + VERIFY_CODE, log="reference", count=True))
    pages = pages_of(out)
    assert pages > 1
    rng = random.Random(f"{SEED}:bundle")
    points = (
        POINTS.split(",")
        if not POINTS.isdigit()
        else [f"write:{rng.randint(1, steps)}" for _ in range(int(POINTS))] + ["bundle-written"]
    )
    for n, point in enumerate(points):
        place = base.copy_to(tmp_path / f"crash-{n}")
        output = tmp_path / f"bundle-{n}.pdf"
        build = BUNDLE_BUILD.format(reference=reference_name, output=str(output))
        place.crash_at(build, point, log=f"crash-{n}")
        where = f"bundle build killed at {point} of {steps} (seed {SEED})"
        assert not output.exists() or pages_of(output) == pages, where
        output.unlink(missing_ok=True)
        verified = place.finish(build + VERIFY_CODE, log=f"after-{n}")
        assert "Audit chain intact" in verified, where
        assert pages_of(output) == pages, where
