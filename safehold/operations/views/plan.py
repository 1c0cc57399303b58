"""The operations list and planning an operation."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.errors import NotPermitted, ServiceError
from safehold.operations import rules
from safehold.operations.forms import OperationForm
from safehold.operations.selectors import operation_list as listed
from safehold.operations.services import planning
from safehold.operations.views.common import operation_led

PAGE_SIZE = 25


def operation_list(request: HttpRequest) -> HttpResponse:
    """The operations the user's agency leads or takes part in, latest first."""
    if not rules.can_see(request.user):
        raise PermissionDenied
    page = Paginator(listed(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record(
            action=Action.CONSULT, actor=request.user, targets=page.object_list,
            purpose="operations list",
        )  # fmt: skip
    context = {"page": page, "may_plan": rules.can_plan(request.user)}
    return render(request, "operations/operation_list.html", context)


def _plan_page(request, form, save, operation=None) -> HttpResponse:
    """The planning form: on a valid POST, `save(plan)` (a service call with the form's plan as
    keyword arguments) returns the message and the operation to go back to; a service's
    refusal is shown in the error summary with what was typed kept."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = {
            "by": request.user, "name": data["name"], "kind": data["kind"],
            "starts_at": form.starts_at(), "partners": data["partners"],
            "briefing": data["briefing"], "ward": form.ward, "lsoa": form.lsoa,
            "area_description": data["area_description"], "phase": data["phase"],
        }  # fmt: skip
        try:
            done, saved = save(plan)
        except NotPermitted:
            raise
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("operations:detail", pk=saved.pk)
    return render(request, "operations/operation_form.html", {"form": form, "operation": operation})


def operation_create(request: HttpRequest) -> HttpResponse:
    """Plan an operation led by the user's agency."""
    if not rules.can_plan(request.user):
        raise PermissionDenied
    form = OperationForm(
        request.POST if request.method == "POST" else None, agency_id=request.user.agency_id
    )

    def save(plan):
        operation = planning.plan_operation(**plan)
        return f"Operation {operation.name} has been planned", operation

    return _plan_page(request, form, save)


def operation_edit(request: HttpRequest, pk) -> HttpResponse:
    """Change the plan: the same form, filled in with the operation as it is (the lead agency)."""
    operation = operation_led(request, pk)
    local = timezone.localtime(operation.starts_at)
    initial = {
        "name": operation.name, "kind": operation.kind, "phase": operation.phase,
        "starts_on": local.date(),
        "starts_time": local.time() if local.time() != datetime.time(0) else None,
        "partners": list(operation.partners.values_list("agency_id", flat=True)),
        "area_code": operation.lsoa_id or operation.ward_id or "",
        "area_description": operation.area_description, "briefing": operation.briefing,
    }  # fmt: skip
    form = OperationForm(
        request.POST if request.method == "POST" else None, initial=initial,
        agency_id=request.user.agency_id,
    )  # fmt: skip

    def save(plan):
        changed = planning.change_operation(operation=operation, **plan)
        return ("The plan has been changed" if changed else "Nothing was changed"), operation

    return _plan_page(request, form, save, operation)
