"""Control characters in what users and partner systems send.

A NUL byte cannot be stored in a PostgreSQL text column (the query fails: a 500, or an audit
event that cannot be written), while SQLite stores it; the other C0 control characters are never
typed and only make trouble downstream (spreadsheets, PDFs, logs). So every input refuses them:
the request middleware (query strings, form fields, API JSON bodies) and the CSV reader. Tab,
line feed and carriage return are allowed, because multi-line text fields have them.
"""

import re

# A pattern both Python and RE2 (DuckDB's regexp_matches) read the same way.
CONTROL_CHARACTER_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_CONTROL = re.compile(CONTROL_CHARACTER_PATTERN)


def has_control_character(text: str) -> bool:
    """True when `text` holds a C0 control character other than tab, newline, carriage return."""
    return _CONTROL.search(text) is not None


def describe_control_character(text: str) -> str | None:
    """How to name the first control character in `text` to a user ("a NUL character (U+0000)"),
    or None if there is none."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    code = ord(found.group())
    return "a NUL character (U+0000)" if code == 0 else f"a control character (U+{code:04X})"


def control_character_problem(text: str) -> str | None:
    """The error to show for a value holding a control character, or None: "contains a NUL
    character (U+0000), which Safehold does not accept: remove it"."""
    found = describe_control_character(text)
    return f"contains {found}, which Safehold does not accept: remove it" if found else None
