"""Uploading incident logs on the web: the check-your-file page with every error and nothing
stored, the confirmation with what changed, live progress, the background thread, and the
two stores (Parquet and the audit log) kept together whatever the request does afterwards.

(The test's own transaction stands for the database: a view's request transaction is a
savepoint inside it, rolled back the same way. The background thread itself needs committed
data, so the browser tests exercise it against a real server.)"""

import functools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory
from django.urls import reverse

from safehold import audit
from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.imports import services as runs
from safehold.imports.models import ImportRun
from safehold.imports.selectors import runs_visible_to
from safehold.incidents import views
from safehold.incidents.selectors import connect, summary
from safehold.incidents.store import dataset_path, sources_dir
from safehold.incidents.tests.pages import log_csv, spread_rows, table
from safehold.incidents.uploads import start_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST)


@pytest.fixture
def signed_in_analyst(client, analyst):
    client.force_login(analyst)
    return client


def upload(client, content: str | bytes, name="log.csv", source=""):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("crime:incidents-upload"),
        {"file": SimpleUploadedFile(name, data, "text/csv"), "source": source},
    )


def nothing_stored() -> bool:
    return (
        not any(sources_dir().glob("*.parquet"))
        and not AuditEvent.objects.filter(
            object_type="crime.incidents", action__in=["collect", "alter"]
        ).exists()
    )


def test_the_upload_page_asks_for_a_file_and_a_source(signed_in_analyst):
    page = signed_in_analyst.get(reverse("crime:incidents-upload")).content.decode()
    assert 'class="govuk-file-upload"' in page and 'name="source"' in page
    assert "Source (optional)" in page and "<code>occurred_at</code>" in page


def test_a_good_file_is_imported_and_confirmed_with_what_changed(signed_in_analyst, analyst):
    content = log_csv(spread_rows(30), source="")
    response = upload(signed_in_analyst, content, source="Example Homes")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("crime:incidents-upload-run", args=[run.pk])
    assert (run.kind, run.status, run.total_rows) == ("incidents", "done", 30)
    assert {k: run.result[k] for k in ("added", "replaced", "unchanged", "total")} == {
        "added": 30, "replaced": 0, "unchanged": 0, "total": 30,
    }  # fmt: skip
    page = signed_in_analyst.get(response.url).content.decode()
    assert "Import complete" in page and "30 new, 0 replaced, 0 unchanged" in page
    assert "http-equiv" not in page and "hx-trigger" not in page  # finished: no polling
    event = AuditEvent.objects.get(object_type="crime.incidents", action="collect")
    assert event.actor == analyst and "30 added" in event.purpose
    with connect() as con:
        assert [(s.source, s.incidents) for s in summary(con)] == [("Example Homes", 30)]

    # The same file again changes nothing; a changed row replaces its incident.
    upload(signed_in_analyst, content, source="Example Homes")
    again = ImportRun.objects.order_by("-created_at").first()
    assert (again.result["added"], again.result["unchanged"]) == (0, 30)
    changed = content.replace(",Noise,", ",Fireworks,", 1)
    response = upload(signed_in_analyst, changed, source="example  homes")
    third = ImportRun.objects.order_by("-created_at").first()
    assert (third.result["added"], third.result["replaced"], third.result["unchanged"]) == (
        0,
        1,
        29,
    )
    page = signed_in_analyst.get(response.url).content.decode()
    assert "0 new, 1 replaced, 29 unchanged" in page
    assert AuditEvent.objects.filter(object_type="crime.incidents", action="alter").count() == 1


def test_a_file_with_errors_shows_each_by_row_and_column_and_stores_nothing(signed_in_analyst):
    content = (
        "reference,occurred_at,type,latitude,longitude,source\n"
        "A-1,2023-10-31T21:15,Noise,53.41,-2.16,Example Homes\n"
        "A-2,yesterday,Noise,53.41,-2.16,Example Homes\n"
        "A-1,2023-10-31T21:15,,53.41,,Example Homes\n"
    )
    response = upload(signed_in_analyst, content)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INVALID
    assert nothing_stored()
    page = signed_in_analyst.get(response.url).content.decode()
    assert "Check your file" in page and "govuk-error-summary" in page
    assert "The file has 4 problems. Nothing was stored." in page
    assert table(page, "problems-table")[1:] == [
        ["3", "occurred_at", "Enter the date and time like 31/10/2023 21:15 or "
         "2023-10-31T21:15"],
        ["4", "reference", "A-1 is also on row 2: each incident must appear once"],
        ["4", "type", "Enter the type of incident, like Anti-social behaviour"],
        ["4", "longitude", "Enter the longitude too, or leave latitude empty too"],
    ]  # fmt: skip
    assert '<a href="#problems">Row 3, occurred_at: Enter the date and time' in page


def test_many_errors_are_all_listed_a_page_at_a_time(signed_in_analyst):
    rows = "".join(f"B-{i},tomorrow,Noise,53.41,-2.16\n" for i in range(250))
    response = upload(
        signed_in_analyst, "reference,occurred_at,type,latitude,longitude\n" + rows, source="X"
    )
    first = signed_in_analyst.get(response.url).content.decode()
    assert "The file has 250 problems." in first
    assert len(table(first, "problems-table")) == 1 + 100
    assert "See all 250 problems, by row and column" in first
    assert "1 of 3" in first and "page=2" in first
    last = signed_in_analyst.get(response.url, {"page": 3}).content.decode()
    rows_shown = table(last, "problems-table")[1:]
    assert len(rows_shown) == 50 and rows_shown[-1][0] == "251"
    assert nothing_stored()


def test_beyond_ten_thousand_problems_the_page_says_how_many_more(signed_in_analyst):
    rows = "".join(f"B-{i},tomorrow,Noise,53.41,-2.16\n" for i in range(10_005))
    response = upload(
        signed_in_analyst, "reference,occurred_at,type,latitude,longitude\n" + rows, source="X"
    )
    run = ImportRun.objects.get()
    assert len(run.errors) == 10_001 and run.errors[-1]["message"] == "and 5 more problems"
    page = signed_in_analyst.get(response.url).content.decode()
    assert "The file has 10005 problems." in page
    last = signed_in_analyst.get(response.url, {"page": 101}).content.decode()
    assert table(last, "problems-table")[-1] == ["Whole file", "", "And 5 more problems"]


@pytest.mark.parametrize(
    ("name", "content", "source", "message"),
    [
        ("log.xlsx", b"PK\x03\x04", "", "The selected file must be a CSV"),
        ("log.csv", b"", "", "The selected file is empty"),
        ("log.csv", b"reference\n", "x" * 101, "The source must be 100 characters or fewer"),
    ],
)
def test_the_upload_form_explains_a_wrong_file(signed_in_analyst, name, content, source, message):
    response = upload(signed_in_analyst, content, name, source=source)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_upload_form_asks_for_a_file(signed_in_analyst):
    response = signed_in_analyst.post(reverse("crime:incidents-upload"), {})
    assert response.status_code == 400 and "Select a CSV file" in response.content.decode()


def test_only_analysts_and_administrators_may_upload(client):
    for role, status in ((Role.ANALYST, 200), (Role.ADMINISTRATOR, 200), (Role.SUPERVISOR, 403),
                         (Role.CASEWORKER, 403), (Role.IG_OFFICER, 403)):  # fmt: skip
        client.force_login(UserFactory(role=role))
        assert client.get(reverse("crime:incidents-upload")).status_code == status


def test_an_upload_of_another_agency_or_by_someone_who_may_not_import_is_not_found(
    client, signed_in_analyst, analyst
):
    upload(signed_in_analyst, log_csv(spread_rows(3)))
    url = reverse("crime:incidents-upload-run", args=[ImportRun.objects.get().pk])
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.ANALYST))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(agency=analyst.agency, role=Role.SUPERVISOR))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(agency=analyst.agency, role=Role.ADMINISTRATOR))
    assert client.get(url).status_code == 200


def test_incident_uploads_are_not_historic_case_imports(signed_in_analyst, analyst):
    upload(signed_in_analyst, log_csv(spread_rows(3)))
    admin = UserFactory(agency=analyst.agency, role=Role.ADMINISTRATOR)
    assert not runs_visible_to(admin, kind="cases").exists()


# --- Progress ---------------------------------------------------------------------------------


def running_run(analyst, status=ImportRun.Status.VALIDATING) -> ImportRun:
    return ImportRun.objects.create(
        kind="incidents",
        uploaded_by=analyst,
        agency=analyst.agency,
        file_name="big.csv",
        status=status,
    )


def test_a_running_upload_shows_the_rows_checked_and_polls_for_more(signed_in_analyst, analyst):
    run = running_run(analyst)
    runs.progress_reporter(run)(50, 200)  # as the check reports it, row by row
    url = reverse("crime:incidents-upload-run", args=[run.pk])
    page = signed_in_analyst.get(url).content.decode()
    assert "Checked 50 of 200 rows (25%)" in page
    assert '<progress id="import-progress" class="safehold-progress" max="200" value="50">' in page
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    # A poll while it runs gets the page (htmx swaps in the progress); once it is done, a
    # poll asks for a full reload so the result and its title are shown.
    poll = signed_in_analyst.get(url, headers={"HX-Request": "true"})
    assert poll.status_code == 200 and "Checked 50 of 200 rows" in poll.content.decode()
    run.status = ImportRun.Status.DONE
    run.save()
    poll = signed_in_analyst.get(url, headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"


def test_while_storing_the_page_says_so(signed_in_analyst, analyst):
    run = running_run(analyst, ImportRun.Status.IMPORTING)
    page = signed_in_analyst.get(reverse("crime:incidents-upload-run", args=[run.pk]))
    assert "Storing the incidents" in page.content.decode()


def test_the_check_reports_its_progress_row_by_row(analyst):
    seen = []
    run = running_run(analyst)
    reporter = runs.progress_reporter(run)

    def progress(done, total):
        seen.append((done, total))
        reporter(done, total)

    from safehold.incidents.services import validate_incidents

    plan = validate_incidents(data=log_csv(spread_rows(250)), progress=progress)
    assert plan.is_valid
    assert seen[0] == (1, 250) and seen[-1] == (250, 250) and len(seen) == 250
    assert runs.progress_of(run) == (250, 250)


# --- Two stores ---------------------------------------------------------------------------------


def _upload_request(analyst, content: str):
    request = RequestFactory().post(
        reverse("crime:incidents-upload"),
        {"file": SimpleUploadedFile("log.csv", content.encode(), "text/csv"), "source": ""},
    )
    request.user = analyst
    return request


def test_a_page_failing_after_the_import_keeps_the_file_and_its_audit_event_together():
    """The upload view is outside the request transaction and the import appends its event at
    once, before renaming the file into place: a failure later in the request (here, just
    after the view returns, inside the same handler) cannot roll the event back and leave the
    file without it."""
    analyst = UserFactory(role=Role.ANALYST)

    @functools.wraps(views.upload)  # keeps the view's non_atomic_requests mark
    def upload_then_fail(request):
        views.upload(request)
        raise RuntimeError("the page failed after the import")

    with pytest.raises(RuntimeError):
        BaseHandler().make_view_atomic(upload_then_fail)(
            _upload_request(analyst, log_csv(spread_rows(5)))
        )
    assert dataset_path("Example Homes").exists()
    event = AuditEvent.objects.get(object_type="crime.incidents")
    assert event.actor == analyst and "5 added" in event.purpose


def test_inside_a_request_transaction_the_same_failure_would_lose_the_event():
    """Why the view is marked: wrapped in the request transaction like any other view, the
    failure rolls the event back while the renamed file stays (ADR 0014)."""
    analyst = UserFactory(role=Role.ANALYST)

    def atomic_upload_then_fail(request):  # not marked: in the request transaction
        start_upload(
            data=log_csv(spread_rows(5)).encode(), file_name="log.csv", source=None, by=analyst
        )
        raise RuntimeError("the page failed after the import")

    with pytest.raises(RuntimeError):
        BaseHandler().make_view_atomic(atomic_upload_then_fail)(
            _upload_request(analyst, log_csv(spread_rows(5)))
        )
    assert dataset_path("Example Homes").exists()
    assert not AuditEvent.objects.filter(object_type="crime.incidents").exists()


def test_inside_a_views_batch_the_imports_event_is_written_before_the_file_is_renamed(analyst):
    with audit.batched():  # every view runs in one
        start_upload(
            data=log_csv(spread_rows(5)).encode(), file_name="log.csv", source=None, by=analyst
        )
        assert AuditEvent.objects.filter(object_type="crime.incidents").exists()


def test_an_unknown_postcode_leads_to_the_postcode_page_never_to_a_command(client):
    """Defect 11: the refusal named a command (`safehold incidents postcodes load`); a web user
    gets a link to the Postcode points page (administrators) or who to ask (others)."""
    content = "reference,occurred_at,type,postcode,source\nA-1,31/10/2023 21:15,Noise,WA9 9ZZ,P\n"
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(administrator)
    page = client.get(upload(client, content).url).content.decode()
    assert "WA9 9ZZ is not in the postcode lookup" in page
    assert f'href="{reverse("geography:postcodes-upload")}"' in page
    assert "safehold incidents" not in page and "safehold postcodes" not in page
    client.force_login(UserFactory(role=Role.ANALYST))
    page = client.get(upload(client, content).url).content.decode()
    assert "ask an administrator to add the postcodes of its area" in page
    assert reverse("geography:postcodes-upload") not in page
