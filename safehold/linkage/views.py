"""Linkage pages (issue 17, item 3): the overview of the current run with a button to run it
again (an import run on the job queue, with its progress page), the clerical review queue, a
pair's page (both records as far as the reviewer may see them, the waterfall of its match
weight, the decision form and earlier decisions) and the decisions, each reversible.

Every page starts from the app's gates (selectors.pairs_visible_to, decisions_visible_to) and
records one consult event naming the pairs, records or decisions it shows."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.visibility import get_visible_or_404
from safehold.imports import views as import_views
from safehold.imports.registry import UploadPage
from safehold.imports.selectors import runs_visible_to
from safehold.linkage import runs, selectors, services
from safehold.linkage.forms import DecisionForm, ReverseForm
from safehold.linkage.models import Run
from safehold.linkage.rules import (
    can_decide_pair,
    can_reverse_decision,
    can_run_linkage,
    can_see_linkage,
)
from safehold.linkage.waterfall import evidence, waterfall

PAIRS_PER_PAGE = 25
DECISIONS_PER_PAGE = 50
RECENT_RUNS = 10


def _run_context(request: HttpRequest, run) -> dict:
    return {"steps": runs.STEPS}


RUN_PAGE = UploadPage(
    form_class=ReverseForm,  # unused: a run is started by a button on the overview, not a file
    template="linkage/overview.html",
    run_template="linkage/run.html",
    upload_url="linkage:overview",
    run_url="linkage:run",
    run_context=_run_context,
)


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    """The current run's figures, the runs before it, and (for those who may) the button."""
    _refuse_unless(can_see_linkage(request.user))
    current = selectors.current_run()
    recent = list(Run.objects.select_related("started_by")[:RECENT_RUNS])
    queued = (
        runs_visible_to(request.user, kind=runs.KIND)
        .select_related("uploaded_by")
        .order_by("-created_at")[:RECENT_RUNS]
    )
    waiting = selectors.review_queue(request.user, current).count()
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="linkage.run",
        object_ids=[r.pk for r in recent] or ["none"],
        purpose="linkage runs and their figures",
    )
    return render(
        request,
        "linkage/overview.html",
        {
            "current": current,
            "recent": recent,
            "runs": queued,
            "run_url": RUN_PAGE.run_url,
            "waiting": waiting,
            "may_run": can_run_linkage(request.user),
        },
    )


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Queue a linkage run and go to its page."""
    _refuse_unless(can_run_linkage(request.user))
    run = runs.start_linkage_run(by=request.user)
    return redirect("linkage:run", pk=run.pk)


def run_detail(request: HttpRequest, pk) -> HttpResponse:
    """A linkage run's page: its progress step by step, then its figures (or why it failed)."""
    return import_views.run_detail(request, pk, kind=runs.KIND)


@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """The current run's pairs for review (and those kept apart) of the user's agency that no
    decision covers yet, strongest first, paged: a fixed number of queries."""
    _refuse_unless(can_see_linkage(request.user))
    current = selectors.current_run()
    page = Paginator(selectors.review_queue(request.user, current), PAIRS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    pairs = list(page.object_list)
    for pair in pairs:
        pair.agrees_on, pair.disagrees_on = evidence(pair.explanation)
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="linkage.pair",
        object_ids=[p.pk for p in pairs] or ["none"],
        purpose="linkage review queue",
    )
    return render(
        request,
        "linkage/queue.html",
        {"current": current, "page": page, "pairs": pairs},
    )


@require_http_methods(["GET", "POST"])
def pair_detail(request: HttpRequest, pk) -> HttpResponse:
    """Both records as far as the user may see them, the waterfall and its table, the decision
    form (for a reviewer of either agency, on the current run's pairs) and earlier decisions."""
    pair = get_visible_or_404(
        selectors.pairs_visible_to(request.user).select_related("run", *selectors.SIDES), pk=pk
    )
    may_decide = can_decide_pair(request.user, pair) and pair.run.is_current
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _refuse_unless(may_decide)
        if form.is_valid():
            try:
                made = services.decide(
                    pair=pair,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except services.DecisionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"Your decision has been recorded ({made.get_decision_display().lower()}). "
                    "It takes effect in the next linkage run.",
                )
                return redirect("linkage:queue")
    sides = selectors.sides(request.user, pair, purpose="linkage review of a pair")
    earlier = list(selectors.decisions_on(pair))
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=pair,
        object_ids=[pair.left.key, pair.right.key],
        subjects=[s.person.pk for s in sides if s.person is not None],
        purpose="linkage review of a pair",
    )
    return render(
        request,
        "linkage/pair.html",
        {
            "pair": pair,
            "sides": sides,
            "chart": waterfall(pair.explanation, pair.match_weight),
            "form": form,
            "may_decide": may_decide,
            "earlier": earlier,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def decisions(request: HttpRequest) -> HttpResponse:
    """Decisions in force and reversed on pairs of the user's agency, newest first, each in
    force with a form to reverse it."""
    _refuse_unless(can_see_linkage(request.user))
    page = Paginator(
        selectors.decisions_visible_to(request.user)
        .select_related(
            "decided_by",
            "reversed_by",
            *(f"pair__{side}" for side in selectors.SIDES),
        )
        .order_by("-created_at"),
        DECISIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    rows = [
        {
            "decision": d,
            "form": ReverseForm(auto_id=f"reverse-{d.pk}-%s")
            if d.in_force and can_reverse_decision(request.user, d)
            else None,
        }
        for d in page.object_list
    ]
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="linkage.pairdecision",
        object_ids=[r["decision"].pk for r in rows] or ["none"],
        purpose="linkage decisions",
    )
    return render(request, "linkage/decisions.html", {"page": page, "rows": rows})


@require_http_methods(["GET", "POST"])
def reverse_decision(request: HttpRequest, pk) -> HttpResponse:
    """Take a decision back, with a reason (the decisions page posts here; errors show here)."""
    decision = get_visible_or_404(
        selectors.decisions_visible_to(request.user).select_related(
            "decided_by", "reversed_by", *(f"pair__{side}" for side in selectors.SIDES)
        ),
        pk=pk,
    )
    may_reverse = decision.in_force and can_reverse_decision(request.user, decision)
    form = ReverseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _refuse_unless(may_reverse)
        if form.is_valid():
            try:
                services.reverse(
                    decision=decision, reason=form.cleaned_data["reason"], by=request.user
                )
            except services.DecisionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    "The decision has been reversed. The model decides the pair in the next run.",
                )
                return redirect(reverse("linkage:decisions"))
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=decision,
        purpose="a linkage decision, to reverse it",
    )
    return render(
        request,
        "linkage/reverse.html",
        {"decision": decision, "form": form, "may_reverse": may_reverse},
        status=400 if form.errors else 200,
    )
