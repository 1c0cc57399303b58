"""The operations list and planning an operation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.errors import NotPermitted, ServiceError
from safehold.operations import rules
from safehold.operations.forms import OperationForm
from safehold.operations.selectors import operation_list as listed
from safehold.operations.services import planning

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


def operation_create(request: HttpRequest) -> HttpResponse:
    """Plan an operation led by the user's agency."""
    if not rules.can_plan(request.user):
        raise PermissionDenied
    form = OperationForm(
        request.POST if request.method == "POST" else None, agency_id=request.user.agency_id
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            operation = planning.plan_operation(
                by=request.user, name=data["name"], kind=data["kind"],
                starts_at=form.starts_at(), partners=data["partners"], briefing=data["briefing"],
                ward=form.ward, lsoa=form.lsoa, area_description=data["area_description"],
                phase=data["phase"],
            )  # fmt: skip
        except NotPermitted:
            raise
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Operation {operation.name} has been planned")
            return redirect("operations:detail", pk=operation.pk)
    return render(request, "operations/operation_form.html", {"form": form})
