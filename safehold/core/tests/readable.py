"""What a person would read in a response, whatever its format, for tests that look for a value.

A marker searched for in the raw bytes of an XLSX, zip or PDF is never found (they are
compressed), so a leak test reading raw bytes passes whatever the file holds. Every test that
asks "is this value in the response?" reads it through `text_of`.
"""

import html
import io
import re
import subprocess
import zipfile

_TAG = re.compile(r"<[^>]+>")


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of(response) -> str:
    """The response's text: HTML unescaped, spreadsheets and zips opened, PDFs read as text."""
    return text_of_bytes(body(response))


def text_of_bytes(content: bytes) -> str:
    if content.startswith(b"%PDF"):
        return pdf_text(content)
    if content.startswith(b"PK\x03\x04"):
        return _zip_text(content)
    return html.unescape(content.decode("utf-8", errors="replace"))


def _zip_text(content: bytes) -> str:
    """Every member of a zip (an XLSX is one): XML with its tags taken out, other files read."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            member = archive.read(name)
            if name.endswith((".xml", ".rels")):
                parts.append(html.unescape(_TAG.sub(" ", member.decode("utf-8", errors="replace"))))
            else:
                parts.append(text_of_bytes(member))
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=content, capture_output=True
    )
    if done.returncode != 0:  # not a whole PDF (a test's stand-in file): read it as it is
        return content.decode("utf-8", errors="replace")
    # A long value may be wrapped over two lines in a table cell: join lines with spaces too.
    text = done.stdout.decode("utf-8", errors="replace")
    return text + "\n" + " ".join(text.split())
