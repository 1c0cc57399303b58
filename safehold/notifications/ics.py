"""An iCalendar (RFC 5545) feed of deadlines, written by hand: all-day events, each carrying
what the deadline is, a record's reference and a link, nothing else (ADR 0039).

Text is escaped (backslash, semicolon, comma, newline: section 3.3.11) and every content line
folded at 75 octets, never inside a UTF-8 character (section 3.1); lines end in CRLF.
"""

import datetime
from collections.abc import Iterable

from safehold.notifications.deadlines import Deadline

PRODID = "-//Safehold//Deadlines calendar//EN"


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, each continuation starting with a
    space (RFC 5545 3.1), without splitting a UTF-8 character."""
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size = " ", 1  # the continuation's leading space counts
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    deadlines: Iterable[Deadline], *, base_url: str, host: str, now: datetime.datetime
) -> str:
    """The whole VCALENDAR: one all-day VEVENT per deadline."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Safehold deadlines",
    ]
    stamp = _stamp(now)
    for d in deadlines:
        url = f"{base_url}{d.link}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(d.uid)}-{d.day:%Y%m%d}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{d.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{d.day + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(f'{d.what}: {d.reference}')}",
            f"DESCRIPTION:{escape(f'Sign in to Safehold to see it: {url}')}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)
