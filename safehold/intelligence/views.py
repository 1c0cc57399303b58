"""Intelligence pages: parse input, call a selector or one service, audit what was shown,
render. A submission outside the read gate is a 404; what a visible one shows depends on
`selectors.access_of` (ADR 0049)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.errors import ServiceError
from safehold.core.registry import record_notes
from safehold.core.visibility import get_visible_or_404
from safehold.intelligence import rules, selectors, services
from safehold.intelligence.forms import AssessForm, SubmitForm
from safehold.people.selectors import locations_visible_to

PAGE_SIZE = 25
SHARED_ROWS = 25


def _consulted(request, records, purpose: str, *, full: bool = False) -> None:
    """One consult event naming the submissions a page shows and, where it shows the original,
    the places they are about."""
    records = list(records)
    places = [r.location_id for r in records if full and r.location_id]
    if records:
        audit.record(
            action=Action.CONSULT, actor=request.user, targets=records, object_ids=places,
            purpose=purpose,
        )  # fmt: skip


def intelligence_list(request: HttpRequest) -> HttpResponse:
    """Your agency's submissions (reference, date and status only) and the graded intelligence
    shared with your agency (sanitised text and grading)."""
    user = request.user
    if not rules.may_use_intelligence(user):
        raise PermissionDenied
    page = Paginator(selectors.own_submissions(user), PAGE_SIZE).get_page(request.GET.get("page"))
    shared = list(selectors.shared_with(user)[:SHARED_ROWS])
    _consulted(request, [*page.object_list, *shared], "intelligence list")
    return render(
        request,
        "intelligence/list.html",
        {
            "page": page,
            "shared": shared,
            "may_submit": rules.can_submit(user),
            "may_assess": rules.can_assess(user),
        },
    )


def queue(request: HttpRequest) -> HttpResponse:
    """The police intelligence role's queue: waiting submissions oldest first, with counts, and
    graded intelligence due for review."""
    user = request.user
    if not rules.can_assess(user):
        raise PermissionDenied
    waiting = list(selectors.to_assess(user).prefetch_related("mentions"))
    due = list(selectors.due_for_review(user)[:PAGE_SIZE])
    counts = selectors.counts_by_status(selectors.intelligence_visible_to(user))
    _consulted(request, [*waiting, *due], "intelligence assessment queue")
    return render(
        request,
        "intelligence/queue.html",
        {"waiting": waiting, "due": due, "counts": counts},
    )


def submit(request: HttpRequest) -> HttpResponse:
    """A partner's intelligence form; `?location=` names a place of theirs it is about."""
    user = request.user
    if not rules.can_submit(user):
        raise PermissionDenied
    location = None
    if location_id := request.GET.get("location") or request.POST.get("location"):
        location = get_visible_or_404(locations_visible_to(user), pk=location_id)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            intelligence = services.submit_intelligence(
                by=user, location=location, **form.service_arguments()
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Intelligence {intelligence.reference} has been submitted to the police",
            )
            return redirect("intelligence:detail", pk=intelligence.pk)
    if location is not None:  # the form shows the place's address: a consultation
        audit.record(
            action=Action.CONSULT, actor=user, target=location, purpose="intelligence form"
        )
    return render(request, "intelligence/submit.html", {"form": form, "location": location})


def detail(request: HttpRequest, pk) -> HttpResponse:
    """One submission, as much of it as the viewer may see."""
    user = request.user
    intelligence = get_visible_or_404(selectors.intelligence_visible_to(user), pk=pk)
    access = selectors.access_of(user, intelligence)
    # What other apps say about it (the network: links citing it), each through its own gates.
    context = {
        "intelligence": intelligence, "access": access,
        "record_notes": record_notes(user, intelligence),
    }  # fmt: skip
    if access == selectors.FULL:
        context |= {
            "mentions": list(intelligence.mentions.all()),
            "share_with": list(intelligence.share_with.order_by("name")),
            "may_assess": rules.can_assess(user),
        }
    elif access == selectors.SANITISED:
        context["share_with"] = list(intelligence.share_with.order_by("name"))
    _consulted(
        request, [intelligence], f"intelligence page ({access})", full=access == selectors.FULL
    )
    return render(request, "intelligence/detail.html", context)


def start(request: HttpRequest, pk) -> HttpResponse:
    """Take a submission into assessment (POST); then the assessment page."""
    user = request.user
    intelligence = get_visible_or_404(selectors.intelligence_visible_to(user), pk=pk)
    if request.method != "POST" or not rules.can_assess(user):
        return redirect("intelligence:detail", pk=intelligence.pk)
    try:
        services.start_assessment(intelligence=intelligence, by=user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("intelligence:detail", pk=intelligence.pk)
    return redirect("intelligence:assess", pk=intelligence.pk)


def assess(request: HttpRequest, pk) -> HttpResponse:
    """Grade 3x5x2, sanitise, set the handling code and record what was done. Anyone else who
    may see the submission is sent to its page."""
    user = request.user
    intelligence = get_visible_or_404(selectors.intelligence_visible_to(user), pk=pk)
    if not rules.can_assess(user):
        return redirect("intelligence:detail", pk=intelligence.pk)
    initial = None
    if intelligence.is_graded:
        initial = {
            name: getattr(intelligence, name)
            for name in (
                "source_evaluation", "assessment", "sanitised_text", "handling_code",
                "handling_conditions", "serious_harm", "action_taken", "status",
            )
        } | {"share_with": list(intelligence.share_with.all())}  # fmt: skip
    form = AssessForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        agency_id=user.agency_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.grade_intelligence(intelligence=intelligence, by=user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{intelligence.reference} has been graded")
            return redirect("intelligence:detail", pk=intelligence.pk)
    _consulted(request, [intelligence], "intelligence assessment", full=True)
    return render(
        request,
        "intelligence/assess.html",
        {"form": form, "intelligence": intelligence, "mentions": list(intelligence.mentions.all())},
    )
