"""The top indicators list's pages (issue 18, ADR 0058 and 0059): the list, an entry and its
review, the reviews made, the indicators. Each parses its input, calls a selector or one
service, and renders; the selectors record what is shown."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.audit.services import audit_context
from safehold.core import dates
from safehold.core.documents import CONTENT_TYPES
from safehold.core.errors import ServiceError
from safehold.risk import formats, rules, services
from safehold.risk.choices import Decision
from safehold.risk.engine import UnknownArea
from safehold.risk.forms import IndicatorsForm, ListFilterForm, ReviewForm
from safehold.risk.indicators import INDICATORS
from safehold.risk.models import IndicatorVersion
from safehold.risk.selectors import entry_for, last_reviews, list_for, reviews_visible_to

# The page shows the first entries of the list; the downloads hold the same entries.
MOST_SHOWN = 500
DOWNLOADS = ("csv", "xlsx")
PAGE_SIZE = 50


def _iso_date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def risk_list(request: HttpRequest) -> HttpResponse:
    """The list of a date and area as the user may see it: each entry's score and reasons with
    their evidence, without the entries reviewed since nothing new appeared; CSV or XLSX with
    `?format=`."""
    if not rules.can_see_list(request.user):
        raise PermissionDenied
    form = ListFilterForm(request.GET if request.GET.keys() - {"format", "as_of"} else None)
    as_of = _iso_date(request.GET.get("as_of")) or dates.today()
    area, show_reviewed = None, False
    if form.is_bound and form.is_valid():
        as_of = form.cleaned_data["as_of"] or as_of
        area = form.cleaned_data["area"].strip() or None
        show_reviewed = form.cleaned_data["reviewed"]
    fmt = request.GET.get("format", "")
    states = last_reviews(None)

    def keep(entry) -> bool:
        state = states.get(entry.subject_ref)
        return show_reviewed or state is None or not state.takes_off(entry)

    made = None
    if not form.errors:
        try:
            with audit_context(channel=Channel.EXPORT if fmt in DOWNLOADS else Channel.WEB):
                made = list_for(request.user, as_of, area, top=MOST_SHOWN, keep=keep)
        except UnknownArea as error:
            form.add_error("area", str(error))
    if made is not None and fmt in DOWNLOADS:
        body = formats.to_csv(made) if fmt == "csv" else formats.to_xlsx(made)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        name = f"top-indicators-{made.as_of.isoformat()}{'-' + made.area if made.area else ''}"
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
    query = {"as_of": as_of.isoformat(), **({"area": area} if area else {})}
    if show_reviewed:
        query["reviewed"] = "on"
    rows = [
        {
            "entry": e,
            "state": states.get(e.subject_ref),
            "href": f"{reverse('risk:entry')}?"
            + urlencode({"subject": e.subject_ref, "as_of": as_of.isoformat()}),
        }
        for e in (made.entries if made else [])
    ]
    context = {
        "form": form,
        "made": made,
        "rows": rows,
        "as_of": as_of,
        "query": urlencode(query),
        "most_shown": MOST_SHOWN,
        "may_review": rules.can_review(request.user),
    }
    return render(request, "risk/list.html", context)


def entry(request: HttpRequest) -> HttpResponse:
    """One entry (`?subject=…&as_of=…`) with its reasons and evidence, and for the officers who
    decide, the decision with its reason. An entry not on the list or not theirs to see: 404."""
    if not rules.can_see_list(request.user):
        raise PermissionDenied
    subject = (request.GET.get("subject") or "").strip()
    as_of = _iso_date(request.GET.get("as_of")) or dates.today()
    if not subject:
        raise Http404("No entry named")
    may_review = rules.can_review(request.user)
    if request.method == "POST" and not may_review:
        raise PermissionDenied
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decide = services.DECIDE[Decision(form.cleaned_data["decision"])]
        try:
            review = decide(
                by=request.user, as_of=as_of, subject_ref=subject,
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except services.ReviewRefused as error:
            form.add_error(None, str(error))
        except ServiceError as error:
            raise Http404(str(error)) from error
        else:
            left = (
                "It stays on the list, marked as watched."
                if review.decision == Decision.WATCH
                else "The entry has left the list until something new appears."
            )
            messages.success(
                request,
                f"Your referral {review.referral.reference} to the exploitation team has been sent and your decision recorded. {left}"
                if review.decision == Decision.REFER
                else f"Your decision to {DECIDED[review.decision]} has been recorded. {left}",
            )
            return redirect(f"{reverse('risk:list')}?{urlencode({'as_of': as_of.isoformat()})}")
    found = entry_for(request.user, as_of, subject, purpose="its page")
    if found is None:
        raise Http404("Not on the list")
    made, shown = found
    state = last_reviews([shown.subject_ref]).get(shown.subject_ref)
    context = {
        "made": made,
        "entry": shown,
        "state": state,
        "form": form if may_review else None,
        "list_href": f"{reverse('risk:list')}?{urlencode({'as_of': as_of.isoformat()})}",
    }
    return render(request, "risk/review.html", context)


# What the success banner says was decided ("Your decision to … has been recorded.").
DECIDED = {
    Decision.TENANCY_SUPPORT: "offer tenancy support",
    Decision.WATCH: "watch this entry",
    Decision.NO_ACTION: "take no action",
}


def reviews(request: HttpRequest) -> HttpResponse:
    """The decisions made by the user's agency, newest first, with their counts."""
    if not rules.can_see_list(request.user):
        raise PermissionDenied
    found = reviews_visible_to(request.user)
    counts = dict.fromkeys(Decision.values, 0)
    for decision in found.values_list("decision", flat=True):
        counts[decision] = counts.get(decision, 0) + 1
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=page.object_list,
            subjects=[p for r in page.object_list for p in r.person_ids],
            purpose="top indicators list reviews",
        )
    context = {
        "page": page,
        "counts": [(label, counts[value]) for value, label in Decision.choices],
        "total": sum(counts.values()),
    }
    return render(request, "risk/reviews.html", context)


def indicators(request: HttpRequest) -> HttpResponse:
    """The catalogue: each indicator's name, documentation, source, window, weight, owner and
    whether it is on; administrators change them with a reason (a new version); the history."""
    if not rules.can_see_indicators(request.user):
        raise PermissionDenied
    current = services.current_version()
    may_change = rules.can_change_indicators(request.user)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = IndicatorsForm(request.POST or None, settings=current.settings) if may_change else None
    if request.method == "POST" and form.is_valid():
        try:
            version = services.change_indicators(
                by=request.user, changes=form.changes(), reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Indicators version {version.number} has been saved.")
            return redirect("risk:indicators")
    catalogue = [
        {"indicator": i, "settings": current.settings.get(i.code) or i.default_settings()}
        for i in INDICATORS
    ]
    context = {
        "current": current,
        "catalogue": catalogue,
        "form": form,
        "versions": IndicatorVersion.objects.select_related("created_by")[:50],
    }
    return render(request, "risk/indicators.html", context)
