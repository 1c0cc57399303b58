"""Casework set-up for administrators: their agency's teams and the programmes it leads
(issue 14, defect 0). A new installation starts casework here, or with
`safehold accounts team add` and `safehold cases programme add` (docs/how-to/deploy.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold.accounts import rules as account_rules
from safehold.accounts import services as account_services
from safehold.accounts.models import Team
from safehold.cases.forms.set_up import ProgrammeForm, TeamForm
from safehold.cases.models import Programme
from safehold.cases.services import cases as case_services
from safehold.core.errors import ServiceError


def _require_administrator(request: HttpRequest) -> None:
    if not account_rules.can_manage_users(request.user):
        raise PermissionDenied


def set_up(request: HttpRequest) -> HttpResponse:
    """The administrator's agency's teams and the programmes it leads."""
    _require_administrator(request)
    agency = request.user.agency
    context = {
        "agency": agency,
        "teams": Team.objects.filter(agency=agency).order_by("name"),
        "programmes": Programme.objects.filter(lead_agency=agency)
        .select_related("triage_team", "asb_team")
        .order_by("name"),
    }
    return render(request, "cases/set_up/index.html", context)


def _form_page(request, form, *, title: str, submit: str, service, done: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            created = service(form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done.format(created))  # a `done` given below
            return redirect("cases:set-up")
    context = {"form": form, "title": title, "submit": submit}
    return render(request, "cases/set_up/form.html", context)


def add_team(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    return _form_page(
        request,
        TeamForm(request.POST or None),
        title="Add a team",
        submit="Add team",
        service=lambda data: account_services.create_team(
            agency=request.user.agency, name=data["name"], by=request.user
        ),
        done="The team {0.name} has been added",
    )


def add_programme(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    return _form_page(
        request,
        ProgrammeForm(request.POST or None, agency=request.user.agency),
        title="Set up a casework programme",
        submit="Set up programme",
        service=lambda data: case_services.create_programme(
            name=data["name"],
            lead_agency=request.user.agency,
            triage_team=data["triage_team"],
            asb_team=data["asb_team"],
            reference_prefix=data["reference_prefix"],
            by=request.user,
        ),
        done="The programme {0.name} has been set up: its referrals go to its triage team",
    )
