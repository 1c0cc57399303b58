"""The application bundle: one PDF whose index gives the page each part really starts on, with
page numbers, bookmarks, the chronology merged from its sources, the documents appended, read
through the gates of who builds it, and every build audited as a disclosure with its recipients."""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import EnforcementKind
from safehold.cases.models import ChronologyEntry, EnforcementDocument
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core.errors import NotPermitted
from safehold.core.tests.readable import pdf_text
from safehold.enforcement import services
from safehold.enforcement.services import BundleError
from safehold.enforcement.sources import (
    BundleLine,
    bundle_sources,
    register_bundle_source,
)
from safehold.enforcement.tests.factories import (
    BundleActionFactory,
    add_documents,
    bundle_action,
)
from safehold.incidents.services import import_incidents
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.models import Disclosure
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

PREMISES = ("53.408000", "-2.158000")
HEADER = "reference,occurred_at,type,latitude,longitude,postcode,source\n"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def holder():
    return AgencyFactory(name="Stockport Council")


@pytest.fixture
def worker(holder):
    return UserFactory(agency=holder, role=Role.CASEWORKER, full_name="Sam Officer")


def _action(holder, **kwargs):
    person = PersonFactory(owning_agency=holder, given_name="Rowan", family_name="Quillfeather")
    case = CaseFactory(
        programme=ProgrammeFactory(lead_agency=holder),
        subject=person,
        location=LocationFactory(
            owning_agency=holder, address_line_1="12 Larkspur Walk", postcode="SK1 3XE",
            latitude=PREMISES[0], longitude=PREMISES[1],
        ),
    )  # fmt: skip
    return BundleActionFactory(case=case, **kwargs)


def _entry(case, day: datetime.date, summary: str):
    return ChronologyEntry.objects.create(
        case=case, kind="note", summary=summary,
        occurred_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0))),
    )  # fmt: skip


def _incidents(worker, rows: list[str]):
    import_incidents(data=HEADER + "\n".join(rows) + "\n", by=worker, file_name="log.csv")


def _pages(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext reads them one by one; form feeds divide them)."""
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    pages = done.stdout.decode().split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _index(pages: list[str]) -> tuple[int, list[tuple[str, int]]]:
    """The index page's number and its (heading, page) rows, as printed."""
    at = next(n for n, text in enumerate(pages) if re.search(r"^\s*Index\s*$", text, re.M))
    rows = []
    for line in pages[at].splitlines():
        found = re.match(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", line)
        if found:
            rows.append((found[1], int(found[2])))
    return at + 1, rows


def _build(action, by, **kwargs):
    kwargs.setdefault("recipients", ["court", "other_party"])
    return services.build_bundle(action=action, by=by, **kwargs)


def test_each_index_entry_gives_the_page_its_heading_is_on(holder, worker):
    """Read back with pdftotext: the heading each index row names is on the page it gives, and
    on no page between the index and that one. Long parts (a chronology over several pages, a
    three-page statement) move everything after them, so a wrong count would show."""
    action = _action(holder)
    for n in range(60):
        _entry(
            action.case, datetime.date(2023, 1, 2) + datetime.timedelta(days=2 * n), f"Visit {n}"
        )
    add_documents(action, pdf_pages=3)
    pdf = _build(action, worker)
    pages = _pages(pdf)
    index_page, rows = _index(pages)
    headings = [h for h, _ in rows]
    assert headings[:6] == [
        "Cover sheet", "The premises and the people", "Chronology",
        "Map of the premises and nearby incidents", "Exhibits",
        "Exhibit D1: Statement of PC Example",
    ]  # fmt: skip
    assert headings[6] == "Exhibit D2: Photograph of the door"
    previous = 0
    for heading, page in rows:
        assert page >= previous, f"{heading}: the index is out of order"
        previous = page
        assert heading.split(":")[0] in pages[page - 1] or heading == "Cover sheet"
        assert re.search(rf"^\s*{re.escape(heading)}\s*$", pages[page - 1], re.M) or (
            heading == "Cover sheet" and page == 1
        ), f"{heading} is not on page {page}"
        for earlier in range(index_page, page - 1):
            assert not re.search(rf"^\s*{re.escape(heading)}\s*$", pages[earlier], re.M), (
                f"{heading} is already on page {earlier + 1}"
            )
    # The chronology ran over more than one page, and the statement's three pages follow D1.
    chronology = dict(rows)["Chronology"]
    assert dict(rows)["Map of the premises and nearby incidents"] > chronology + 1
    d1, d2 = (
        dict(rows)["Exhibit D1: Statement of PC Example"],
        dict(rows)["Exhibit D2: Photograph of the door"],
    )
    assert d2 == d1 + 3
    assert "Exhibit D1, page 3 of 3" in pages[d1 + 1]


def test_every_page_is_numbered_in_one_sequence_including_the_appended_documents(holder, worker):
    action = _action(holder)
    add_documents(action, pdf_pages=2)
    pages = _pages(_build(action, worker))
    total = len(pages)
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {total}" in text
    assert "Exhibit D1, page 2 of 2" in pages[-2]
    assert "Exhibit D2, page 1 of 1" in pages[-1]


def test_the_pdf_has_a_bookmark_for_each_part_and_each_appended_document(holder, worker, tmp_path):
    action = _action(holder, kind=EnforcementKind.CIVIL_INJUNCTION)
    add_documents(action, pdf_pages=1)
    out = tmp_path / "bundle.pdf"
    out.write_bytes(_build(action, worker))
    xml = subprocess.run(  # noqa: S603 -- a fixed program on our own file
        ["/usr/bin/pdftohtml", "-xml", "-i", "-stdout", "-q", str(out)],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    outline = re.findall(r"<item page=\"\d+\">([^<]+)</item>", xml)
    assert outline[:2] == ["Application for a civil injunction", "Index"]
    for title in (
        "The premises and the people", "Chronology", "Scott schedule", "Exhibits",
        "Exhibit D1: Statement of PC Example", "Exhibit D2: Photograph of the door",
    ):  # fmt: skip
        assert title in outline


def test_the_chronology_merges_the_case_and_the_incident_logs_at_the_premises(holder, worker):
    action = _action(holder)
    _entry(action.case, datetime.date(2023, 3, 1), "Resident says the dealers took a key")
    _incidents(worker, [
        "EH-1,2023-02-10T23:15,Drug dealing,53.40801,-2.15801,,Example Homes",
        "EH-2,2023-04-02T01:20,Noise,,,SK1 3XE,Example Homes",
        # 150 metres away: on the map, not in the chronology.
        "EH-3,2023-04-05T02:00,Criminal damage,53.40935,-2.158,,Example Homes",
        # After the action started: in neither.
        "EH-4,2023-07-01T02:00,Drug dealing,53.40801,-2.15801,,Example Homes",
    ])  # fmt: skip
    text = pdf_text(_build(action, worker))
    lines = [line for line in text.splitlines() if re.match(r"^\s*[CI]\d+\s", line)]
    assert [line.split()[0] for line in lines] == ["I1", "C1", "I2"]
    assert "Incident log:" in lines[0] and "EH-1" in lines[0]
    assert "EH-3" not in text and "EH-4" not in text
    # The map's table counts the nearby one too.
    assert re.search(r"Criminal damage\s+0\s+1", text)
    assert re.search(r"Drug dealing\s+1\s+0", text)


def test_a_registered_source_is_merged_with_its_own_exhibit_prefix(holder, worker):
    action = _action(holder)
    when = timezone.make_aware(datetime.datetime(2023, 5, 4, 6, 0))

    def results(context):
        assert context.action == action and context.user == worker
        return [BundleLine(occurred_at=when, source="Operation Larch", reference="OP-7/3",
                           summary="Warrant executed: 2 arrests")]  # fmt: skip

    before = list(bundle_sources())
    try:
        register_bundle_source("test-source", results, prefix="T")
        with pytest.raises(ValueError, match="already used"):
            register_bundle_source("another", results, prefix="T")
        text = pdf_text(_build(action, worker))
    finally:
        from safehold.enforcement import sources

        sources._SOURCES.clear()
        sources._SOURCES.update({s.name: s for s in before})
    line = next(line for line in text.splitlines() if re.match(r"^\s*T1\s", line))
    for words in ("4 May 2023", "Warrant executed: 2", "Operation", "OP-7/3"):
        assert words in line


def test_an_injunction_has_a_scott_schedule_of_the_alleged_incidents_with_a_response_column(
    holder, worker
):
    action = _action(holder, kind=EnforcementKind.CIVIL_INJUNCTION)
    _entry(action.case, datetime.date(2023, 3, 1), "Home visit")
    _incidents(worker, ["EH-9,2023-02-10T23:15,Drug dealing,53.40801,-2.15801,,Example Homes"])
    pages = _pages(_build(action, worker))
    scott = next(p for p in pages if re.search(r"^\s*Scott schedule\s*$", p, re.M))
    assert "Respondent's" in scott and "response" in scott
    row = next(line for line in scott.splitlines() if re.match(r"^\s*1\s+10 Feb 2023", line))
    assert "Drug" in row and "Exhibit I1:" in row
    assert "Home visit" not in scott  # casework, not an allegation
    # A closure order has none.
    order = _action(holder)
    assert "Scott schedule" not in pdf_text(_build(order, worker))


def test_the_bundle_shows_only_the_people_and_premises_the_builder_may_see(holder, worker):
    """A partner with the case in full builds it, but the respondent, held by a third agency
    and not shared with them, is left out; the holder's own bundle names them (the control)."""
    action = _action(holder)
    third = AgencyFactory()
    respondent = PersonFactory(owning_agency=third, given_name="Thorne", family_name="Vexley")
    action.against = respondent
    action.save()
    partner = AgencyFactory()
    Disclosure.objects.create(
        agreement=AgreementFactory(parties=[holder, partner]), from_agency=holder,
        to_agency=partner, level="full", purpose="joint work", case=action.case,
    )  # fmt: skip
    police = UserFactory(agency=partner, role=Role.CASEWORKER)
    shared = pdf_text(_build(action, police))
    assert "Rowan" in shared and "12 Larkspur Walk" in shared
    assert "Thorne" not in shared and "Vexley" not in shared
    assert "Not shared with your agency" in shared
    # The control: an operator (who reads everything) sees the respondent.
    assert "Thorne" in pdf_text(_build(action, None))


def test_every_build_is_audited_as_a_disclosure_by_export_with_its_recipients(holder, worker):
    action = _action(holder)
    documents = add_documents(action)
    before = AuditEvent.objects.count()
    _build(action, worker, recipients=["court", "other_party"])
    _build(action, worker, recipients=["court"])
    events = list(AuditEvent.objects.filter(action="disclose").order_by("id"))
    assert AuditEvent.objects.count() == before + 2 and len(events) == 2
    first = events[0]
    assert first.channel == "export" and first.actor == worker
    assert "the court, the other party" in first.purpose
    assert "the other party" not in events[1].purpose
    for record in (action, action.case, action.case.location, *documents):
        assert str(record.pk) in first.object_ids
    assert str(action.case.subject_id) in first.subject_ids
    # Never a personal value in the event.
    assert "Rowan" not in first.purpose and "Larkspur" not in first.purpose


def test_each_build_is_made_afresh_from_what_is_held_now(holder, worker):
    action = _action(holder)
    assert "A late entry" not in pdf_text(_build(action, worker))
    _entry(action.case, datetime.date(2023, 5, 30), "A late entry")
    assert "A late entry" in pdf_text(_build(action, worker))


@pytest.mark.parametrize("role", [Role.IG_OFFICER, Role.ANALYST, Role.REFERRER])
def test_the_service_refuses_roles_that_may_not_build_a_bundle(holder, role):
    action = _action(holder)
    with pytest.raises(NotPermitted):
        _build(action, UserFactory(agency=holder, role=role))
    assert not AuditEvent.objects.filter(action="disclose").exists()


def test_the_service_refuses_another_agency_and_accepts_the_holder(holder, worker):
    action = _action(holder)
    with pytest.raises(NotPermitted):
        _build(action, UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER))
    assert _build(action, worker).startswith(b"%PDF")


def test_a_bundle_needs_a_recipient_and_a_court_action(holder, worker):
    action = _action(holder)
    with pytest.raises(BundleError, match="Select who the bundle is for"):
        _build(action, worker, recipients=[])
    action.kind = EnforcementKind.WARNING
    with pytest.raises((BundleError, NotPermitted)):
        _build(action, worker)
    assert not AuditEvent.objects.filter(action="disclose").exists()


def test_a_document_that_is_not_a_pdf_or_image_is_listed_not_appended(holder, worker):
    from django.core.files.base import ContentFile

    action = _action(holder)
    EnforcementDocument.objects.create(
        action=action, name="Notes.docx", file=ContentFile(b"PK\x03\x04 not a pdf", name="n.docx")
    )
    EnforcementDocument.objects.create(
        action=action, name="Broken.pdf", file=ContentFile(b"%PDF-1.4 broken", name="b.pdf")
    )
    text = pdf_text(_build(action, worker))
    assert "not a PDF or an image: supplied separately" in text
    assert "could not be read as a PDF" in text


# --- The page ---------------------------------------------------------------------------------


def test_the_page_builds_and_downloads_the_pdf(client, holder, worker):
    action = bundle_action(holder)
    client.force_login(worker)
    url = reverse("enforcement:bundle", kwargs={"pk": action.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Build the application bundle" in page.content.decode()
    assert AuditEvent.objects.filter(action="consult", object_ids__contains=str(action.pk)).exists()
    response = client.post(url, {"recipients": ["court"], "sections": ["premises", "exhibits"]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="bundle-')
    text = pdf_text(response.content)
    assert "The premises and the people" in text and "Chronology of" not in text
    assert not re.search(r"^\s*Chronology\s*$", text, re.M)


def test_the_page_asks_for_a_recipient_in_the_error_summary(client, holder, worker):
    action = bundle_action(holder)
    client.force_login(worker)
    response = client.post(reverse("enforcement:bundle", kwargs={"pk": action.pk}), {})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Select who the bundle is for" in body
    assert not AuditEvent.objects.filter(action="disclose").exists()


def test_the_page_is_404_for_another_agency_and_for_an_action_without_a_bundle(
    client, holder, worker
):
    action = bundle_action(holder)
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.ADMINISTRATOR))
    url = reverse("enforcement:bundle", kwargs={"pk": action.pk})
    assert client.get(url).status_code == 404
    client.force_login(worker)
    assert client.get(url).status_code == 200  # the positive control
    action.kind = EnforcementKind.WARNING
    action.save()
    assert client.get(url).status_code == 404


def test_the_case_page_links_to_the_bundle_of_a_closure_order(client, holder, worker):
    action = bundle_action(holder)
    client.force_login(worker)
    body = client.get(reverse("cases:detail", kwargs={"pk": action.case_id})).content.decode()
    link = reverse("enforcement:bundle", kwargs={"pk": action.pk})
    assert link in body
    # Inside the action's cell, as a browser parses it: a link between cells would be moved
    # out of the table, above it (it was, and the table lost its place after the heading).
    import tinyhtml5

    xhtml = "{http://www.w3.org/1999/xhtml}"
    cells = tinyhtml5.parse(body).iter(f"{xhtml}td")
    in_cells = [a.get("href") for td in cells for a in td.iter(f"{xhtml}a")]
    assert link in in_cells


def test_a_premises_without_coordinates_is_mapped_by_its_postcodes_point(holder, worker):
    from safehold.geography.postcodes import find, shipped_points

    postcode = sorted(shipped_points())[0]
    place = find([postcode])[postcode]
    action = _action(holder)
    action.case.location.latitude = action.case.location.longitude = None
    action.case.location.postcode = postcode
    action.case.location.save()
    _incidents(worker, [
        f"EH-5,2023-02-10T23:15,Noise,{place.latitude:.5f},{place.longitude + 0.001:.5f},,Example Homes",
    ])  # fmt: skip
    text = pdf_text(_build(action, worker))
    assert "placed by its postcode" in text
    assert re.search(r"Noise\s+0\s+1", text)  # about 67 metres east: on the map


def test_a_premises_with_no_position_has_no_map_but_says_why(holder, worker):
    action = _action(holder)
    action.case.location.latitude = action.case.location.longitude = None
    action.case.location.postcode = ""
    action.case.location.save()
    text = pdf_text(_build(action, worker))
    assert "no coordinates and no known postcode" in text
