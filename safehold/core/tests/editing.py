"""For tests of conflicting edits (ADR 0061): what an edit page hands back when it is saved."""

import html
import re

HIDDEN = re.compile(r'<input type="hidden" name="([\w-]+)"(?: value="([^"]*)")?')


def hidden_fields(response) -> dict[str, str]:
    """The hidden inputs of a page's forms (the version and what was seen), as a browser
    would send them back; the CSRF token is left out (the test client does not check it)."""
    page = response.content.decode()
    return {
        name: html.unescape(value)
        for name, value in HIDDEN.findall(page)
        if name != "csrfmiddlewaretoken"
    }
