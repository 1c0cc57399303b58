"""Issue 14, defect 7: no internal code is shown to a person. A sweep over the demo, as users
of every kind of work: every page reachable from the home page by its links, and every download
linked from them (CSV, XLSX, PDF), read piece by piece (a page's text between its tags, a file's
cells, a PDF's table cells). No piece may be the raw code of a choice whose label differs
("criminal", "name_only", "consult"): choices are shown by their labels.

Files meant to be read back keep their documented codes (ADR 0036): the historic-cases CSV
(docs/formats/cases-csv.md), the board report's tidy CSV and XLSX (docs/formats/kpi-report.md)
and the upload pages that list the codes a file may hold are left out of the sweep.
"""

import csv
import io
import re
import subprocess
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.apps import apps

from safehold.accounts.models import User
from safehold.core.tests.readable import body
from safehold.demo import partnership

USERS = [
    "epo@homes.demo.safehold.test",  # caseworker of the lead agency
    "supervisor@homes.demo.safehold.test",
    "ig@homes.demo.safehold.test",  # the audit screens
    "performance@council.demo.safehold.test",  # analyst: reports and performance
    "pc@gmp.demo.safehold.test",  # a partner with shared cases
]
MOST_PAGES = 140  # per user: every kind of page the links reach, not every record
SKIP = re.compile(r"/(static|media|api)/|sign-out|/export\.csv|/account/")
# Downloads meant to be read back by Safehold or another system: documented codes.
# and the upload pages, which tell a person the codes their file may hold.
MACHINE_FORMATS = re.compile(
    r"/performance/.*format=(csv|xlsx|json)|format=json|/import/$"
    # The network's files for i2, graph tools and its own import (docs/formats/networks.md).
    r"|/networks/.*format=(csv|anx|graphml)"
)


def codes_shown_as_labels() -> dict[str, str]:
    """Every choice code of every model field whose label is other words (not only the same
    word with a capital: "yes" for "Yes" reads as well): code -> where."""
    found = {}
    for model in apps.get_models():
        if not model.__module__.startswith("safehold."):
            continue
        for field in model._meta.get_fields():
            for code, label in getattr(field, "flatchoices", None) or ():
                if isinstance(code, str) and code and code.lower() != str(label).lower():
                    found.setdefault(code, f"{model._meta.label}.{field.name}")
    return found


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pieces, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "code", "pre")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "code", "pre") and self._skip > 0

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.pieces.append(data.strip())


def pieces(content: bytes, content_type: str) -> list[str]:
    if content.startswith(b"%PDF"):
        text = subprocess.run(
            ["/usr/bin/pdftotext", "-layout", "-", "-"], input=content, capture_output=True
        ).stdout.decode()
        return [p.strip() for line in text.splitlines() for p in re.split(r"\s{2,}", line)]
    if content.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return [
            str(v).strip() for sheet in book for row in sheet.iter_rows(values_only=True)
            for v in row if v is not None
        ]  # fmt: skip
    text = content.decode("utf-8-sig", errors="replace")
    if "csv" in content_type:
        return [cell.strip() for row in csv.reader(io.StringIO(text)) for cell in row]
    parser = _Text()
    parser.feed(text)
    return parser.pieces


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html)


def _key(url: str) -> str:
    """Pages of one kind are swept once: a path (ids masked) and its format, if any."""
    parts = urlsplit(url)
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "ID", parts.path)
    fmt = dict(parse_qsl(parts.query)).get("format", "")
    return f"{path}?{fmt}"


def _sweep(client, shown: dict[str, str]) -> tuple[list[str], int]:
    seen, queue, found, visited = set(), ["/"], [], 0
    while queue and visited < MOST_PAGES:
        url = queue.pop(0).replace("&amp;", "&")
        if not url.startswith("/") or SKIP.search(url) or _key(url) in seen:
            continue
        seen.add(_key(url))
        response = client.get(url)
        visited += 1
        if response.status_code != 200:
            continue
        content_type = response.get("Content-Type", "")
        content = body(response)
        if not MACHINE_FORMATS.search(url):
            for piece in pieces(content, content_type):
                for part in {piece, *(p.strip() for p in re.split(r"[,;]", piece))} & set(shown):
                    found.append(f"{url}: {part!r} in {piece!r} (a code of {shown[part]})")
        if "html" in content_type:
            base = urlsplit(url)
            for link in _links(content.decode("utf-8", errors="replace")):
                link = link.replace("&amp;", "&")
                if link.startswith("?"):
                    query = dict(parse_qsl(base.query)) | dict(parse_qsl(link[1:]))
                    link = f"{base.path}?{urlencode(query)}"
                queue.append(link)
    return found, visited


@pytest.mark.parametrize("email", USERS)
def test_no_page_or_download_shows_a_choice_by_its_code(client, db, email, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    partnership.load(seed=2022)
    shown = codes_shown_as_labels()
    assert {"criminal", "name_only", "consult"} <= set(shown)  # what the issue saw
    client.force_login(User.objects.get(email=email))
    found, visited = _sweep(client, shown)
    assert visited > 10, "the sweep reached too few pages to mean anything"
    assert found == [], "\n".join(found)


def test_the_sweep_finds_a_raw_code(client, db):
    """The positive control: a piece that is a raw code is found in each format."""
    shown = {"name_only": "sharing.disclosure.level"}
    assert "name_only" in pieces(b"<td>name_only</td>", "text/html")
    assert "name_only" in pieces(b"a,name_only\n", "text/csv")
    assert not [p for p in pieces(b"<td>Name only</td>", "text/html") if p in shown]


def test_triage_shows_the_suspected_types_by_their_labels(client, db):
    from django.urls import reverse

    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import TeamFactory, UserFactory
    from safehold.cases.tests.factories import ProgrammeFactory, ReferralFactory

    programme = ProgrammeFactory()
    programme.triage_team = TeamFactory(agency=programme.lead_agency)
    programme.save()
    referral = ReferralFactory(programme=programme, suspected_types=["criminal", "financial"])
    client.force_login(UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER))
    page = client.get(reverse("cases:triage-referral", args=[referral.pk]))
    assert page.status_code == 200
    found = pieces(page.content, "text/html")
    assert "Criminal exploitation or county lines, Financial" in found
    assert not [p for p in found if "criminal" in re.split(r"[ ,]+", p)]
