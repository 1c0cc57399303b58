"""The intelligence gaps page (issue 16, item 7): the gaps in the network the user may see, by
kind, with why each is a gap and who could close it; as a CSV (`?format=csv`, formula-safe
cells) and printable. Audited like the other network pages: one consult event naming what it
showed (an export for the CSV)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core import dates
from safehold.core.exports import csv_writer
from safehold.networks import gaps as intelligence
from safehold.networks import rules

CSV_COLUMNS = ["gap", "about", "reference", "why", "suggested_owner", "entity_id"]


def gaps_page(request: HttpRequest) -> HttpResponse:
    """The gaps, grouped by kind with their counts; `?format=csv` downloads them."""
    if not rules.can_see(request.user):
        raise PermissionDenied
    today = dates.today()
    found = intelligence.intelligence_gaps(request.user, today=today)
    objects, subjects = intelligence.audited(found)
    as_csv = request.GET.get("format") == "csv"
    audit.record(
        action=Action.CONSULT, actor=request.user, object_type="networks.entity",
        object_ids=objects, subjects=subjects,
        purpose="intelligence gaps exported as csv" if as_csv else "intelligence gaps",
        channel=Channel.EXPORT if as_csv else None,
    )  # fmt: skip
    if as_csv:
        return _csv(found, today)
    sections = [
        (kind, heading, count, [g for g in found if g.kind == kind])
        for kind, heading, count in intelligence.counts(found)
    ]
    return render(request, "networks/gaps.html", {
        "sections": sections, "total": len(found), "today": today,
    })  # fmt: skip


def _csv(found, today) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="intelligence-gaps-{today.isoformat()}.csv"'
    )
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(
        [gap.heading, gap.label, gap.reference, gap.why, gap.owner, gap.entity_id] for gap in found
    )
    return response
