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


def form_page(
    request, case, form, *, title: str, submit: str, status: int = 200, multipart: bool = False
):
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
    return render(
        request,
        "cases/case_form.html",
        {"case": case, "form": form, "title": title, "submit": submit, "multipart": multipart},
        status=status,
    )


def run_service(request: HttpRequest, case: Case, action) -> HttpResponse | None:
    """Call a service; a closed case or a refused change becomes a message, not an error page."""
    try:
        action()
    except (CaseClosed, CaseError) as error:
        messages.error(request, str(error))
        return redirect("cases:detail", pk=case.pk)
    return None


def action_page(
    title: str,
    submit: str,
    form_class,
    apply,
    *,
    form_kwargs=None,
    multipart: bool = False,
    done: str = "Your changes to the case have been saved",
):
    """A page with one form that changes a case: GET shows it, POST applies it and says what
    was `done` in a plain sentence ("The entry has been added to the chronology")."""

    def view(request: HttpRequest, pk) -> HttpResponse:
        case = case_of(request, pk)
        require_edit(request, case)
        if case.is_closed:
            messages.error(request, f"Case {case.reference} is closed: reopen it to make changes")
            return redirect("cases:detail", pk=case.pk)
        kwargs = form_kwargs(request, case) if form_kwargs else {}
        if request.method == "POST":
            form = form_class(request.POST, request.FILES, **kwargs)
            if form.is_valid():
                failed = run_service(request, case, lambda: apply(request, case, form))
                if failed:
                    return failed
                messages.success(request, done)
                return redirect("cases:detail", pk=case.pk)
            return form_page(request, case, form, title=title, submit=submit, multipart=multipart)
        return form_page(
            request, case, form_class(**kwargs), title=title, submit=submit, multipart=multipart
        )

    return view


def people_kwargs(request, case):
    return {
        "people": people_visible_to(request.user)
        .exclude(pk=case.subject_id)
        .order_by("family_name", "given_name")
    }
