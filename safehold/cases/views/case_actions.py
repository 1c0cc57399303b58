"""The pages that change a case: one form each (chronology, people linked, interventions,
tasks, risk, closing, reopening; enforcement is in `case_enforcement.py`).

Each page checks that the user may change the case (`rules.can_change_case`), parses its form
and calls one service: the service checks the actor again and makes the whole change in one
transaction, so the API and the command line get the same use case.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from safehold.cases import rules, selectors
from safehold.cases.forms.cases import (
    CloseForm,
    EntryForm,
    InterventionForm,
    LinkPersonForm,
    ReopenForm,
    RiskForm,
    TaskForm,
)
from safehold.cases.services import cases as services
from safehold.cases.services import casework, tasks
from safehold.cases.views.case_forms import (
    action_page,
    case_facts,
    case_of,
    form_page,
    people_kwargs,
    require_edit,
    show_conflict,
    version_of,
)
from safehold.core.locking import EditConflict, opened


def _add_entry(request, case, form):
    data = form.cleaned_data
    casework.add_entry(
        case=case,
        by=request.user,
        kind=data["kind"],
        occurred_at=form.occurred_at(),
        summary=data["summary"],
        item=data["item"],
    )


def _link_person(request, case, form):
    data = form.cleaned_data
    casework.link_person(
        case=case,
        by=request.user,
        person=data["person"] or casework.NewPerson(data["given_name"], data["family_name"]),
        role=data["role"],
        notes=data["notes"],
    )


def _add_intervention(request, case, form):
    casework.add_intervention(case=case, by=request.user, **form.cleaned_data)


def _add_task(request, case, form):
    data = form.cleaned_data
    tasks.add_task(
        case=case, by=request.user, title=data["title"], due_on=data["due_on"],
        owner=data["owner"], owner_agency=data.get("owner_agency"),
    )  # fmt: skip


def _change_risk(request, case, form):
    data = form.cleaned_data
    services.change_risk(
        case=case, by=request.user, level=data["level"], rationale=data["rationale"],
        **version_of(form),
    )  # fmt: skip


def _close(request, case, form):
    data = form.cleaned_data
    services.close_case(
        case=case, by=request.user, reason=data["reason"], closed_on=data["closed_on"],
        tenancy_sustained=form.tenancy(), notes=data["notes"],
        open_tasks=data.get("open_tasks", ""), hand_over_to=data.get("hand_over_to"),
        **version_of(form),
    )  # fmt: skip


def _close_kwargs(request, case):
    return {"case": case, "open_tasks": len(selectors.still_open(request.user, case).tasks)}


def _still_open(request, case):
    """What the closing page lists: the open tasks, enforcement in force, live shares."""
    return {"still_open": selectors.still_open(request.user, case)}


# A partner agency the case is shared with in full adds to the chronology too (item 20).
add_entry = action_page(
    "Add to the chronology", "Save", EntryForm, _add_entry, allowed=rules.can_add_entry,
    done="The entry has been added to the chronology",
)  # fmt: skip
link_person = action_page(
    "Link a person", "Link person", LinkPersonForm, _link_person, form_kwargs=people_kwargs,
    done="The person has been linked to the case",
)  # fmt: skip
add_intervention = action_page(
    "Add an intervention", "Save", InterventionForm, _add_intervention,
    done="The intervention has been added",
)  # fmt: skip
add_task = action_page(
    "Add a task",
    "Save",
    TaskForm,
    _add_task,
    form_kwargs=lambda request, case: {
        "agency_id": case.owning_agency_id,
        "partners": selectors.full_share_partners(case) or None,
    },
    done="The task has been added",
)
change_risk = action_page(
    "Change the risk level", "Save", RiskForm, _change_risk,
    done="The risk level has been changed",
)  # fmt: skip
close = action_page(
    "Close the case", "Close case", CloseForm, _close, form_kwargs=_close_kwargs,
    template="cases/case_close.html", extra=_still_open, done="The case has been closed",
)  # fmt: skip


def reopen(request: HttpRequest, pk) -> HttpResponse:
    case = case_of(request, pk)
    require_edit(request, case)
    form = ReopenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_case(
                case=case, by=request.user, reason=form.cleaned_data["reason"],
                **version_of(form),
            )  # fmt: skip
        except services.CaseError as error:
            messages.error(request, str(error))
            return redirect("cases:detail", pk=case.pk)
        except EditConflict as error:
            show_conflict(request, form, error)
            status = 409
        else:
            messages.success(request, f"Case {case.reference} has been reopened")
            return redirect("cases:detail", pk=case.pk)
    elif request.method != "POST":
        form.initial.update(opened(case, case_facts(case)))
    return form_page(
        request, case, form, title="Reopen the case", submit="Reopen case", status=status
    )
