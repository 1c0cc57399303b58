"""The deadlines calendar: a month of the deadlines the user may see (every app's, through the
deadlines registry of safehold/notifications), the same as an iCalendar feed at a secret
address, and the page that makes, remakes or stops that address (ADR 0039).

Here rather than in the notifications app because the feed, read by a calendar program without
a session, must put its connection under the feed user's row-level security, which the
sharing app provides and the notifications app sits below.
"""

import calendar as calendars
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core import dates
from safehold.notifications import ics
from safehold.notifications import services as notification_services
from safehold.notifications.deadlines import Deadline, deadlines_for
from safehold.notifications.models import CalendarFeed
from safehold.sharing.middleware import apply_row_security, row_security_on

# What the feed holds: the last month (for what was missed) and the year ahead.
FEED_BEHIND = datetime.timedelta(days=31)
FEED_AHEAD = datetime.timedelta(days=366)


def _audit(user, deadlines: list[Deadline], purpose: str, channel: str | None = None) -> None:
    """Reading deadlines is reading their records: one event per kind of record shown."""
    by_type: dict[str, dict] = {}
    for d in deadlines:
        if d.record is not None:
            by_type.setdefault(d.record._meta.label_lower, {})[d.record.pk] = d.record
    for records in by_type.values():
        audit.record(
            action=Action.CONSULT,
            actor=user,
            targets=list(records.values()),
            subjects=[r.subject_id for r in records.values() if hasattr(r, "subject_id")],
            purpose=purpose,
            channel=channel,
        )


def _month(value: str) -> datetime.date:
    """The first day of the month asked for as YYYY-MM, or of this month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return dates.today().replace(day=1)


def month(request: HttpRequest) -> HttpResponse:
    """A month of deadlines, day by day (a list, so it reads on a phone and to a screen reader)."""
    first = _month(request.GET.get("month", ""))
    last = first.replace(day=calendars.monthrange(first.year, first.month)[1])
    found = deadlines_for(request.user, first, last)
    _audit(request.user, found, "deadlines calendar")
    days: dict[datetime.date, list[Deadline]] = {}
    for d in found:
        days.setdefault(d.day, []).append(d)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    return render(
        request,
        "cases/calendar.html",
        {
            "first": first,
            "days": sorted(days.items()),
            "count": len(found),
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "today": dates.today(),
        },
    )


@login_not_required
def feed(request: HttpRequest) -> HttpResponse:
    """The user's deadlines as iCalendar: for a calendar program by its secret `token`, or for
    a signed-in user downloading their own."""
    token = request.GET.get("token", "")
    if token:
        user = notification_services.feed_user(token)
        if user is None:
            raise Http404
        if row_security_on():
            apply_row_security(user)  # the middleware resets it when the request ends
        channel = Channel.EXPORT
    elif request.user.is_authenticated:
        user, channel = request.user, None
    else:
        return redirect_to_login(request.get_full_path())
    today = dates.today()
    found = deadlines_for(user, today - FEED_BEHIND, today + FEED_AHEAD)
    _audit(user, found, "deadlines calendar feed", channel=channel)
    body = ics.calendar(
        found,
        base_url=settings.SAFEHOLD_BASE_URL or request.build_absolute_uri("/").rstrip("/"),
        host=request.get_host().split(":")[0] or "safehold",
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safehold-deadlines.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def feed_address(request: HttpRequest) -> HttpResponse:
    """Make (or remake) the secret address of the user's feed, or stop it."""
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            if notification_services.revoke_feed(user=request.user):
                messages.success(request, "Your calendar address has been stopped")
            return redirect("cases:calendar-feed-address")
        token = notification_services.make_feed_token(user=request.user)
        address = request.build_absolute_uri(f"{reverse('cases:calendar-feed')}?token={token}")
    existing = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "cases/calendar_feed.html", {"feed": existing, "address": address})
