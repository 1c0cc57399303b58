"""The uploaded documents of an enforcement action as pages of the bundle.

A PDF is drawn page by page as images with poppler's `pdftoppm` (already installed for
Safehold's PDF text checks; see the Makefile), so that every appended page carries the bundle's
own running page number and exhibit reference, and one WeasyPrint pass makes the whole bundle
and its bookmarks (pypdf is not in requirements.lock: ADR 0044). A PNG, JPEG or GIF is one page
as it is. Any other file (a Word document, a text note) is listed in the exhibits list as
"supplied separately", not appended. The type is read from the file's first bytes, never its
name.
"""

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from safehold.cases.models import EnforcementDocument

PDFTOPPM = "/usr/bin/pdftoppm"
RESOLUTION_DPI = 110  # sharp enough to read a scanned notice; keeps a 50-page bundle small
MAX_PAGES = 200  # of one document: a larger one is listed, not appended
TIMEOUT_SECONDS = 120
IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


class ExhibitError(Exception):
    """A document that cannot be drawn as pages (damaged, protected, too long)."""


@dataclass
class Exhibit:
    """One uploaded document: its exhibit reference, name, and pages (images, in order)."""

    reference: str
    document: EnforcementDocument
    kind: str  # "pdf", "image" or "other"
    pages: list[tuple[str, bytes]] = field(default_factory=list)  # (content type, bytes)
    problem: str = ""

    @property
    def name(self) -> str:
        return self.document.name

    @property
    def appended(self) -> bool:
        return bool(self.pages)

    @property
    def anchor(self) -> str:
        return f"exhibit-{self.reference.lower()}"


def kind_of(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "pdf"
    if any(head.startswith(magic) for magic in IMAGE_TYPES):
        return "image"
    return "other"


def pdf_pages(data: bytes) -> list[bytes]:
    """Each page of a PDF as a PNG."""
    with tempfile.TemporaryDirectory(prefix="safehold-exhibit-") as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(data)
        try:
            done = subprocess.run(  # noqa: S603 -- a fixed program; the file is ours, in our folder
                [PDFTOPPM, "-png", "-r", str(RESOLUTION_DPI), "-l", str(MAX_PAGES + 1),
                 str(source), str(Path(folder) / "page")],
                capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise ExhibitError("it took too long to read") from exc
        pages = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        if done.returncode != 0 or not pages:
            raise ExhibitError("it could not be read as a PDF (damaged or protected)")
        if len(pages) > MAX_PAGES:
            raise ExhibitError(f"it has more than {MAX_PAGES} pages")
        return [p.read_bytes() for p in pages]


def exhibits_of(documents: list[EnforcementDocument]) -> list[Exhibit]:
    """The documents as exhibits "D1", "D2"… in the order they were uploaded."""
    exhibits = []
    for n, document in enumerate(documents, start=1):
        with document.file.open("rb") as f:
            data = f.read()
        kind = kind_of(data[:16])
        exhibit = Exhibit(f"D{n}", document, kind)
        try:
            if kind == "pdf":
                exhibit.pages = [("image/png", page) for page in pdf_pages(data)]
            elif kind == "image":
                content_type = next(t for m, t in IMAGE_TYPES.items() if data.startswith(m))
                exhibit.pages = [(content_type, data)]
            else:
                exhibit.problem = "not a PDF or an image: supplied separately"
        except ExhibitError as exc:
            exhibit.problem = f"not appended: {exc}; supplied separately"
        exhibits.append(exhibit)
    return exhibits
