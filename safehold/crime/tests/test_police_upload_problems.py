"""Uploading police.uk files on the web, part two: files of another shape and other problems
refused by name with nothing written, the progress page, and the two stores (Parquet files and
the audit log) kept together whatever the request does.

(The test's own transaction stands for the database: a view's request transaction is a
savepoint inside it, rolled back the same way. The worker needs committed data, so the browser
test exercises it against a real server.)"""

import functools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory
from django.urls import reverse

from safehold import audit
from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.tests.tables import table
from safehold.crime import store as crime_store
from safehold.crime.ingest import plan_police_files
from safehold.crime.ingest.uploads import describe_plan, start_upload
from safehold.crime.models import CrimeImport
from safehold.crime.store import Partition
from safehold.crime.tests.conftest import (
    CLEVELAND,
    stored_rows,
    zip_of,
)
from safehold.crime.tests.police_uploads import (
    STOP_AND_SEARCH,
    download_zip,
    latest_run,
    nothing_written,
    post,
    summary,
)
from safehold.crime.views import police_upload as views
from safehold.imports import services as runs
from safehold.imports.models import ImportRun

pytestmark = pytest.mark.django_db


# --- Refusals ---------------------------------------------------------------------------------


def refused_page(client, run) -> str:
    page = client.get(reverse("crime:police-upload-run", args=[run.pk])).content.decode()
    assert "Check your files" in page and "govuk-error-summary" in page
    assert "Nothing was imported" in page
    return page


def test_a_file_of_another_shape_is_refused_with_its_header_problem_and_nothing_written(
    signed_in, store
):
    odd = b"Month,Crime.type,Longitude,Latitude\n2023-04,Burglary,-1.2,54.5\n"
    archive = zip_of(
        {
            "2023-02/2023-02-cleveland-street.csv": CLEVELAND[0].read_bytes(),
            "2023-04/2023-04-cleveland-street.csv": odd,
        }
    )
    post(signed_in, archive, "download.zip")
    run = latest_run()
    assert run.status == ImportRun.Status.INVALID
    assert nothing_written(store)
    [error] = run.errors
    assert error["file"] == "2023-04/2023-04-cleveland-street.csv"
    assert error["message"].startswith("not the columns of a police.uk street file (missing")
    page = refused_page(signed_in, run)
    [header, row] = table(page, "problems-table")
    assert header == ["File", "Problem"]
    assert row[0] == "2023-04/2023-04-cleveland-street.csv"
    assert "Not the columns of a police.uk street file" in row[1]
    assert "unexpected Crime.type" in row[1]
    assert "There is 1 problem. Nothing was imported" in page


def test_a_csv_not_named_as_police_uk_names_its_files_is_refused_saying_what_its_columns_are(
    signed_in, store
):
    post(signed_in, b"Month,Crime.type,Longitude,Latitude\n2016-02,Burglary,-2.4,53.6\n", "gmp.csv")
    [error] = latest_run().errors
    assert error["file"] == "gmp.csv"
    assert error["message"].startswith("the name does not say what the file holds")
    assert "not those of a police.uk file either (it has Month, Crime.type" in error["message"]
    post(signed_in, CLEVELAND[0].read_bytes(), "cleveland (1).csv")
    [error] = latest_run().errors
    assert error["message"].endswith("Its columns are those of a police.uk street file")
    assert nothing_written(store)


def test_a_month_that_is_not_the_files_is_refused_naming_the_row(signed_in, store):
    post(signed_in, download_zip(CLEVELAND[0]), "x.zip")  # a first import, kept as it was
    before = stored_rows(store)
    records = CrimeImport.objects.count()
    post(signed_in, CLEVELAND[1].read_bytes(), "2023-04-cleveland-street.csv")
    run = latest_run()
    [error] = run.errors
    assert error["file"] == "2023-04-cleveland-street.csv"
    assert error["message"].startswith("row 1 (line 2), column Month is 2023-03")
    assert "the file name says 2023-04" in error["message"]
    assert stored_rows(store) == before and CrimeImport.objects.count() == records
    page = refused_page(signed_in, run)
    assert "Row 1 (line 2), column Month is 2023-03" in page


@pytest.mark.parametrize("extra", [",extra", ',extra,"an open quote'])
def test_a_row_with_too_many_columns_is_refused_naming_its_line_and_why(signed_in, store, extra):
    lines = CLEVELAND[0].read_text().splitlines()
    lines[5] += extra
    archive = zip_of({"2023-02/2023-02-cleveland-street.csv": "\n".join(lines).encode() + b"\n"})
    post(signed_in, archive, "download.zip")
    [error] = latest_run().errors
    assert error == {
        "row": 0, "column": "", "file": "2023-02/2023-02-cleveland-street.csv",
        "message": "line 6: Expected Number of Columns: 12 Found: 13",
    }  # fmt: skip
    assert nothing_written(store)


def test_rows_of_another_force_are_refused(signed_in, store):
    post(signed_in, CLEVELAND[0].read_bytes(), "2023-02-durham-street.csv")
    [error] = latest_run().errors
    assert "rows fall within Cleveland Police, not the force “durham”" in error["message"]
    assert nothing_written(store)


def test_a_zip_that_cannot_be_read_is_refused_without_naming_where_it_was_kept(signed_in, store):
    post(signed_in, b"not a zip at all", "police.zip")
    run = latest_run()
    [error] = run.errors
    assert error["file"] == "police.zip"
    assert error["message"].startswith("not a zip archive that can be read")
    assert str(runs.upload_path(run.pk).parent) not in str(run.errors)
    assert nothing_written(store)


def test_a_zip_bomb_or_a_row_far_too_long_is_refused_naming_its_file(signed_in, store):
    """A zip that expands a thousand times (the finding's 1 GiB line in a 1 MB zip, smaller),
    and a row longer than a police.uk row can be: refused by name, the force-month kept."""
    post(signed_in, CLEVELAND[0].read_bytes(), CLEVELAND[0].name)
    before, records = stored_rows(store), CrimeImport.objects.count()
    header, row = CLEVELAND[0].read_text().splitlines(keepends=True)[:2]
    member = f"2023-02/{CLEVELAND[0].name}"
    for context, message in [
        (1_900_000, r"expands \d{3},?\d* times, to 1\.9 MB"),  # from the zip's directory
        (1_000_000, r"line 2 is longer than 65,536 bytes"),  # too small for the ratio floor
    ]:
        long_row = row.rstrip("\n") + "x" * context + "\n"  # a good row, but its Context
        post(signed_in, zip_of({member: (header + long_row).encode()}), "b.zip")
        run = latest_run()
        [error] = run.errors
        assert run.status == ImportRun.Status.INVALID
        assert error["file"] == member and re.match(message, error["message"]), error
        assert stored_rows(store) == before and CrimeImport.objects.count() == records
    post(signed_in, download_zip(CLEVELAND[0]), "good.zip")  # the positive control
    assert latest_run().status == ImportRun.Status.DONE


def test_every_problem_of_a_big_download_is_listed_a_page_at_a_time(signed_in, store):
    archive = zip_of({f"extra/notes-{i:03d}.csv": b"a,b\n1,2\n" for i in range(130)})
    post(signed_in, archive, "download.zip")
    run = latest_run()
    url = reverse("crime:police-upload-run", args=[run.pk])
    first = signed_in.get(url).content.decode()
    assert "There are 130 problems." in first and "See all 130 problems, by file" in first
    assert len(table(first, "problems-table")) == 1 + 100 and "1 of 2" in first
    second = signed_in.get(url, {"page": 2}).content.decode()
    assert table(second, "problems-table")[-1][0] == "extra/notes-129.csv"
    assert nothing_written(store)


# --- Progress ---------------------------------------------------------------------------------


def running_run(analyst, status, result=None) -> ImportRun:
    return ImportRun.objects.create(
        kind="police",
        uploaded_by=analyst,
        agency=analyst.agency,
        file_name="police-uk.zip",
        status=status,
        result=result or {},
    )


def test_while_the_names_are_checked_the_page_says_so_and_polls(signed_in, analyst):
    run = running_run(analyst, ImportRun.Status.VALIDATING)
    url = reverse("crime:police-upload-run", args=[run.pk])
    page = signed_in.get(url).content.decode()
    assert "Checking the names and headers of the files" in page
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page
    # The plan is not known yet: its place on the page fetches itself until it is.
    assert (
        f'<div id="police-plan" hx-get="{url}" hx-trigger="every 2s" hx-select="#police-plan"'
        in page
    )
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page


def test_while_it_imports_the_page_says_what_will_happen_and_how_far_it_has_got(
    signed_in, analyst, store, tmp_path
):
    from safehold.crime.ingest import import_police_files

    import_police_files(paths=[CLEVELAND[0]])  # February is loaded already
    archive = tmp_path / "police-uk.zip"
    archive.write_bytes(download_zip(*CLEVELAND, STOP_AND_SEARCH))
    plan = plan_police_files(paths=[archive])
    assert plan.replacing == {Partition("street", "cleveland", "2023-02")}
    run = running_run(analyst, ImportRun.Status.IMPORTING, {"plan": describe_plan(plan)})
    url = reverse("crime:police-upload-run", args=[run.pk])

    page = signed_in.get(url).content.decode()
    assert "Reading the files" in page  # nothing converted yet
    assert '<div id="police-plan">' in page  # the plan is shown, and not fetched again
    assert summary(page)["police.uk files found"] == "3"
    assert table(page, "plan-table")[1:] == [
        ["Stop and search", "Greater Manchester Police", "September 2018", "1", "None"],
        ["Street-level crime", "Cleveland Police", "February 2023 to March 2023", "2",
         "1: February 2023"],
    ]  # fmt: skip

    total = describe_plan(plan)["bytes"]
    done = plan.sources[0].size
    runs.progress_reporter(run, steps=None)(done, total)  # as the import reports it
    page = signed_in.get(url).content.decode()
    label = f"Checked and converted {done / 1e3:,.0f} KB of {total / 1e3:,.0f} KB"
    assert f"{label} ({done * 100 // total}%)" in page
    assert f'<progress id="import-progress" class="safehold-progress" max="{total}"' in page
    poll = signed_in.get(url, headers={"HX-Request": "true"})
    assert poll.status_code == 200 and label in poll.content.decode()

    runs.progress_reporter(run, steps=None)(total, total)
    page = signed_in.get(url).content.decode()
    assert "Placing rows by their coordinates and storing the files" in page

    run.status = ImportRun.Status.DONE
    run.save()
    poll = signed_in.get(url, headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"  # finished: the whole page loads again


def test_the_import_reports_its_progress_file_by_file(analyst, store, tmp_path):
    seen = []
    run = running_run(analyst, ImportRun.Status.IMPORTING)
    reporter = runs.progress_reporter(run, steps=None)

    def progress(done, total):
        seen.append((done, total))
        reporter(done, total)

    from safehold.crime.ingest import import_police_files

    import_police_files(paths=[*CLEVELAND, STOP_AND_SEARCH], progress=progress)
    total = sum(p.stat().st_size for p in (*CLEVELAND, STOP_AND_SEARCH))
    assert len(seen) == 3 and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert runs.progress_of(run) == (total, total)


# --- Two stores -------------------------------------------------------------------------------


def _upload_request(analyst, data: bytes, name: str):
    request = RequestFactory().post(
        reverse("crime:police-upload"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )
    request.user = analyst
    return request


def test_a_page_failing_after_the_swap_keeps_the_files_their_records_and_their_audit_event(
    store,
):
    """The upload view is outside the request transaction and the import appends its event at
    once, before swapping the files in: a failure later in the request (here, just after the
    view returns, inside the same handler) can neither roll the event back nor drop it from
    the view's batch, and leave the files without it."""
    analyst = UserFactory(role=Role.ANALYST)

    @functools.wraps(views.upload)  # keeps the view's non_atomic_requests mark
    def upload_then_fail(request):
        views.upload(request)
        raise RuntimeError("the page failed after the import")

    with pytest.raises(RuntimeError):
        BaseHandler().make_view_atomic(upload_then_fail)(
            _upload_request(analyst, CLEVELAND[0].read_bytes(), CLEVELAND[0].name)
        )
    assert Partition("street", "cleveland", "2023-02").path(store).exists()
    record = CrimeImport.objects.get()
    event = AuditEvent.objects.get(object_type="crime.import")
    assert event.actor == analyst and event.object_ids == str(record.pk)


def test_inside_a_request_transaction_the_same_failure_would_lose_the_event(store):
    """Why the view is marked: wrapped in the request transaction like any other view, the
    failure rolls the event and the records back while the swapped-in files stay."""
    analyst = UserFactory(role=Role.ANALYST)

    def atomic_upload_then_fail(request):  # not marked: in the request transaction
        start_upload(file=CLEVELAND[0].read_bytes(), file_name=CLEVELAND[0].name, by=analyst)
        raise RuntimeError("the page failed after the import")

    with pytest.raises(RuntimeError):
        BaseHandler().make_view_atomic(atomic_upload_then_fail)(
            _upload_request(analyst, CLEVELAND[0].read_bytes(), CLEVELAND[0].name)
        )
    assert Partition("street", "cleveland", "2023-02").path(store).exists()
    assert not AuditEvent.objects.filter(object_type="crime.import").exists()
    assert not CrimeImport.objects.exists()


def test_inside_a_views_batch_the_event_is_written_before_the_files_are_swapped_in(
    analyst, store, monkeypatch
):
    seen_when_swapping = []
    swap_in = crime_store.swap_in

    def watching_swap_in(*args, **kwargs):
        seen_when_swapping.append(AuditEvent.objects.filter(object_type="crime.import").count())
        return swap_in(*args, **kwargs)

    monkeypatch.setattr(crime_store, "swap_in", watching_swap_in)
    with audit.batched():  # every view runs in one
        start_upload(file=CLEVELAND[0].read_bytes(), file_name=CLEVELAND[0].name, by=analyst)
        assert AuditEvent.objects.filter(object_type="crime.import").count() == 1
    assert seen_when_swapping == [1]


def test_a_failure_while_swapping_leaves_both_stores_as_they_were(signed_in, store, monkeypatch):
    """If a file cannot be moved into place, the files already moved are put back and the
    pending records deleted; the audit log keeps the run's event and says it was undone."""
    post(signed_in, CLEVELAND[0].read_bytes(), CLEVELAND[0].name)
    before, records = stored_rows(store), CrimeImport.objects.count()
    events = AuditEvent.objects.filter(object_type="crime.import").count()
    replace, calls = crime_store.os.replace, []

    def failing_second_replace(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError("disk full")
        return replace(source, target)

    monkeypatch.setattr(crime_store.os, "replace", failing_second_replace)
    with pytest.raises(OSError, match="disk full"):
        post(signed_in, download_zip(*CLEVELAND), "both.zip")
    monkeypatch.setattr(crime_store.os, "replace", replace)
    assert stored_rows(store) == before
    assert CrimeImport.objects.count() == records
    collected, undone = AuditEvent.objects.filter(object_type="crime.import").order_by("id")[
        events:
    ]
    assert (collected.action, undone.action) == ("collect", "erase")
    assert undone.object_ids == collected.object_ids
    assert "undone: its files could not be moved into the store (OSError)" in undone.purpose
