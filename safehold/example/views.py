"""Visit pages: parse input, call the selector or the service, audit what was shown, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases.selectors import cases_visible_to
from safehold.core.visibility import get_visible_or_404
from safehold.example import rules, services
from safehold.example.forms import VisitForm
from safehold.example.selectors import visits_visible_to

PAGE_SIZE = 25


def visit_list(request: HttpRequest) -> HttpResponse:
    """The visits the user may see, newest first; one consult event names the page shown."""
    if not rules.can_see(request.user):
        raise PermissionDenied
    page = Paginator(visits_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=page.object_list,
            subjects=[visit.case.subject_id for visit in page.object_list],
            purpose="visit list",
        )
    return render(request, "example/visit_list.html", {"page": page})


def visit_detail(request: HttpRequest, pk) -> HttpResponse:
    """One visit through the read gate: outside it, 404 (never 403) and a denied event."""
    visit = get_visible_or_404(visits_visible_to(request.user), pk=pk)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=visit,
        subjects=[visit.case.subject_id], purpose="visit page",
    )  # fmt: skip
    return render(request, "example/visit_detail.html", {"visit": visit})


def visit_create(request: HttpRequest, pk) -> HttpResponse:
    """Record a visit on a case the user's agency holds (the service checks, the page asks)."""
    case = get_visible_or_404(cases_visible_to(request.user).select_related("subject"), pk=pk)
    if not (rules.can_record(request.user) and case.owning_agency_id == request.user.agency_id):
        raise PermissionDenied  # on a record URL: a 404 for them (ADR 0027)
    form = VisitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.record_visit(case=case, by=request.user, **form.cleaned_data)
        except services.VisitError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The visit has been recorded")
            return redirect("example:detail", pk=visit.pk)
    # The form names the case's subject: showing it is a consultation.
    audit.record(
        action=Action.CONSULT, actor=request.user, target=case,
        subjects=[case.subject_id], purpose="visit form",
    )  # fmt: skip
    return render(request, "example/visit_form.html", {"form": form, "case": case})
