"""PDFs printed from HTML (safehold.core.documents): the garbage collector is paused while
WeasyPrint renders, and left as it was found."""

import gc
import subprocess

import pytest

from safehold.core.documents import pdf_from_html

HTML = "<!DOCTYPE html><html lang='en-GB'><title>A report</title><p>Burglaries: 12</p></html>"


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was_found(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        pdf = pdf_from_html(HTML)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert pdf.startswith(b"%PDF")
    assert "Burglaries: 12" in _text(pdf)


def test_the_collector_is_paused_while_rendering(monkeypatch):
    import weasyprint

    seen = []
    real = weasyprint.HTML.write_pdf

    def write_pdf(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)
    gc.enable()
    pdf_from_html(HTML)
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_comes_back_when_rendering_fails():
    gc.enable()
    with pytest.raises(Exception):  # noqa: B017 -- whatever WeasyPrint raises
        pdf_from_html(None)
    assert gc.isenabled()
