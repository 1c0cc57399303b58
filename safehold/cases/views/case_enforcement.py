"""The enforcement pages of a case: adding an action (with its document), updating one, and
adding a document to one. Each calls one service, which does it all in one transaction."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from safehold.cases import selectors
from safehold.cases.forms.cases import DocumentForm, EnforcementForm, EnforcementUpdateForm
from safehold.cases.models import EnforcementAction
from safehold.cases.services import enforcement
from safehold.cases.views.case_forms import (
    action_page,
    form_page,
    people_kwargs,
    require_edit,
    run_service,
)
from safehold.core.visibility import get_visible_or_404


def _add_enforcement(request, case, form):
    data = form.cleaned_data
    enforcement.add_enforcement(
        case=case, by=request.user, kind=data["kind"], status=data["status"], agency=data["agency"],
        started_on=data["started_on"], served_at=form.served_at(), ends_on=data["ends_on"],
        against=data["against"], notes=data["notes"],
        documents=[data["document"]] if data.get("document") else [],
    )  # fmt: skip


add_enforcement = action_page(
    "Add an enforcement action",
    "Save",
    EnforcementForm,
    _add_enforcement,
    form_kwargs=people_kwargs,
    multipart=True,
    done="The enforcement action has been added",
)


def _enforcement(request: HttpRequest, pk) -> EnforcementAction:
    return get_visible_or_404(
        EnforcementAction.objects.filter(
            case__in=selectors.cases_visible_to(request.user)
        ).select_related("case"),
        pk=pk,
    )


def enforcement_update(request: HttpRequest, pk) -> HttpResponse:
    action = _enforcement(request, pk)
    require_edit(request, action.case)
    initial = {"status": action.status, "ends_on": action.ends_on}
    form = EnforcementUpdateForm(
        request.POST or None, initial=initial, started_on=action.started_on
    )
    if request.method == "POST" and form.is_valid():
        failed = run_service(
            request,
            action.case,
            lambda: enforcement.update_enforcement(
                action=action, by=request.user, **form.cleaned_data
            ),
        )
        if failed:
            return failed
        messages.success(
            request, f"Your changes to the {action.get_kind_display()} have been saved"
        )
        return redirect("cases:detail", pk=action.case_id)
    return form_page(
        request, action.case, form, title=f"Update: {action.get_kind_display()}", submit="Save"
    )


def enforcement_document(request: HttpRequest, pk) -> HttpResponse:
    action = _enforcement(request, pk)
    require_edit(request, action.case)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        failed = run_service(
            request,
            action.case,
            lambda: enforcement.add_document(
                action=action,
                by=request.user,
                file=form.cleaned_data["file"],
                name=form.cleaned_data["name"],
            ),
        )
        if failed:
            return failed
        messages.success(request, "The document has been added")
        return redirect("cases:detail", pk=action.case_id)
    return form_page(
        request,
        action.case,
        form,
        title=f"Add a document: {action.get_kind_display()}",
        submit="Upload",
        multipart=True,
    )
