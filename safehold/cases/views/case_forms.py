"""What every page that changes a case shares: fetching the case through the read gate, the
check that the user may change it, the form page (audited: it shows the case's subject and the
people offered), and a refused change shown as a message rather than an error page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases import rules, selectors
from safehold.cases.models import Case
from safehold.cases.services.cases import CaseClosed, CaseError
from safehold.core.locking import EditConflict, VersionedForm, opened, shown
from safehold.core.visibility import get_visible_or_404
from safehold.people.models import Person
from safehold.people.selectors import people_visible_to


def case_of(request: HttpRequest, pk) -> Case:
    return get_visible_or_404(
        selectors.cases_visible_to(request.user).select_related(
            "subject", "programme", "owning_agency"
        ),
        pk=pk,
    )


def require_edit(request: HttpRequest, case: Case) -> None:
    if not rules.can_change_case(request.user, case):
        raise PermissionDenied


def case_facts(case: Case) -> dict[str, tuple[str, str]]:
    """What the case page shows of the case row itself, by field: the label and the value as
    shown; a page that changes it names what someone else changed meanwhile (ADR 0061). Only
    someone who may change the case sees these pages, and they see all of it."""
    return {
        "status": ("Status", case.get_status_display()),
        "risk_level": ("Risk level", case.get_risk_level_display()),
        "risk_rationale": ("Why the risk level", case.risk_rationale),
        "lead_officer": ("Lead officer", case.lead_officer.full_name if case.lead_officer else ""),
        "closed_on": ("Date closed", shown(case.closed_on)),
        "closure_reason": ("Why it closed", case.get_closure_reason_display()),
    }


def version_of(form) -> dict:
    """The version the form was opened with, for the service (`version=`)."""
    return {"version": form.cleaned_data["version"]}


def show_conflict(request, form, error: EditConflict) -> None:
    """The form again, with who changed the case and what it says now; saving again applies
    what was typed over it."""
    current = Case.objects.select_related("lead_officer").get(pk=error.current.pk)
    facts = case_facts(current)
    form.show_conflict(error, facts, opened(current, facts))


def form_page(
    request, case, form, *, title: str, submit: str, status: int = 200, multipart: bool = False,
    template: str = "cases/case_form.html", extra: dict | None = None,
):  # fmt: skip
    """A form about a case: it shows the case's subject (and any people offered in its lists),
    so showing it is a consultation of them."""
    offered = [
        field.queryset.values_list("pk", flat=True)
        for field in form.fields.values()
        if getattr(field, "queryset", None) is not None and field.queryset.model is Person
    ]
    audit.record(
        action=Action.CONSULT, actor=request.user, target=case,
        subjects=[case.subject_id, *(pk for people in offered for pk in people)],
        purpose=f"case form: {title}",
    )  # fmt: skip
    context = {"case": case, "form": form, "title": title, "submit": submit, "multipart": multipart}
    return render(request, template, {**context, **(extra or {})}, status=status)


def run_service(request: HttpRequest, case: Case, action) -> HttpResponse | None:
    """Call a service; a closed case or a refused change becomes a message, not an error page."""
    try:
        action()
    except (CaseClosed, CaseError, EditConflict) as error:
        messages.error(request, str(error))
        return redirect("cases:detail", pk=case.pk)
    return None


def action_page(
    title: str, submit: str, form_class, apply, *, form_kwargs=None, multipart: bool = False,
    template: str = "cases/case_form.html", extra=None, done: str = "Your changes to the case have been saved", allowed=None,
):  # fmt: skip
    """A page with one form that changes a case: GET shows it, POST applies it.

    A change the service refuses (`CaseError`) is shown on the form in the error summary, with
    what was typed kept; only a case closed meanwhile goes back to the case page."""

    def view(request: HttpRequest, pk) -> HttpResponse:
        case = case_of(request, pk)
        if not (allowed or rules.can_change_case)(request.user, case):
            raise PermissionDenied
        if case.is_closed:
            messages.error(request, f"Case {case.reference} is closed: reopen it to make changes")
            return redirect("cases:detail", pk=case.pk)
        kwargs = form_kwargs(request, case) if form_kwargs else {}
        page = {"title": title, "submit": submit, "multipart": multipart, "template": template}
        if request.method == "POST":
            form = form_class(request.POST, request.FILES, **kwargs)
            if form.is_valid():
                try:
                    apply(request, case, form)
                except CaseClosed as error:
                    messages.error(request, str(error))
                    return redirect("cases:detail", pk=case.pk)
                except CaseError as error:
                    form.add_error(None, str(error))
                except EditConflict as error:
                    show_conflict(request, form, error)
                    page["status"] = 409
                else:
                    messages.success(request, done)
                    return redirect("cases:detail", pk=case.pk)
        else:
            form = form_class(**kwargs)
            if isinstance(form, VersionedForm):
                form.initial.update(opened(case, case_facts(case)))
        more = extra(request, case) if extra else None
        return form_page(request, case, form, **page, extra=more)

    return view


def people_kwargs(request, case):
    return {
        "people": people_visible_to(request.user)
        .exclude(pk=case.subject_id)
        .order_by("family_name", "given_name")
    }
