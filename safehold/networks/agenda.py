"""The meeting agenda's section "Intelligence gaps" (issue 16, item 7; meetings' agenda
registry, ADR 0042): a line for each gap in the network the user may see on the day of the
meeting, with why, who could close it and where to start. The same gaps as the gaps page, in
its fixed number of queries."""

from django.urls import reverse

from safehold.meetings.agenda import Line
from safehold.networks.gaps import GROUP, MEMBER, PHONE, PREMISES, intelligence_gaps

TITLE = "Intelligence gaps"
EMPTY = "No intelligence gaps in the network you can see."
PER_KIND = 5
PLURALS = {
    GROUP: "groups with no recent graded intelligence",
    PREMISES: "cuckooed premises with no linked intelligence",
    PHONE: "phones at two or more places with no known owner",
    MEMBER: "members with no current address",
}
# What each line says after what it is about (its link).
SAYS = {
    GROUP: "active group with no graded intelligence in the last 90 days",
    PREMISES: "cuckooed premises with no linked intelligence",
    PHONE: "phone seen at two or more places with no known owner",
    MEMBER: "current member of a group with no current address",
}


def intelligence_gaps_section(meeting, user) -> list[Line]:
    """The gaps, at most PER_KIND of each kind (a meeting discusses the first few; the rest are
    counted, with a link to the whole list on the gaps page)."""
    by_kind: dict[str, list] = {}
    for gap in intelligence_gaps(user, today=meeting.held_on):
        by_kind.setdefault(gap.kind, []).append(gap)
    lines = []
    for kind, gaps in by_kind.items():
        lines += [
            Line(
                text=SAYS[gap.kind],
                reference=gap.label,
                link=gap.link,
                detail=f"{gap.why} Suggested owner: {gap.owner}.",
                records=gap.records,
                subjects=gap.subjects,
            )
            for gap in gaps[:PER_KIND]
        ]
        if len(gaps) > PER_KIND:
            more = len(gaps) - PER_KIND
            lines.append(Line(
                text=f"and {more} more: {PLURALS[kind]} (the whole list is on the gaps page)",
                link=reverse("networks:gaps"),
            ))  # fmt: skip
    return lines
