"""My tasks, my team's tasks, completing a task, and the ASB team's queue of handed-over cases."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.audit.choices import Action
from safehold.cases import rules, selectors
from safehold.cases.models import AsbHandover
from safehold.cases.services import cases as services
from safehold.cases.services import tasks as task_services
from safehold.cases.services.cases import CaseClosed
from safehold.core import dates
from safehold.core.visibility import get_visible_or_404


def _task_page(request: HttpRequest, tasks, *, title: str, view: str) -> HttpResponse:
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    tasks = list(tasks)
    if tasks:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=tasks,
            subjects=[t.case.subject_id for t in tasks],
            purpose=title.lower(),
        )
    today = dates.today()
    return render(
        request, "cases/tasks.html", {"tasks": tasks, "title": title, "view": view, "today": today}
    )


def my_tasks(request: HttpRequest) -> HttpResponse:
    return _task_page(
        request, selectors.my_tasks(request.user).order_by("due_on"), title="My tasks", view="mine"
    )


def team_tasks(request: HttpRequest) -> HttpResponse:
    return _task_page(
        request, selectors.team_tasks(request.user), title="My team's tasks", view="team"
    )


def complete_task(request: HttpRequest, pk) -> HttpResponse:
    task = get_visible_or_404(
        selectors.tasks_visible_to(request.user).select_related("case"), pk=pk
    )
    # The holder, or a partner with a full share for a task assigned to it (item 20).
    if not rules.can_complete_task(request.user, task):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("cases:detail", pk=task.case_id)
    try:
        task_services.complete_task(task=task, by=request.user)
    except CaseClosed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The task “{task.title}” has been marked as done")
    back = {"mine": "cases:my-tasks", "team": "cases:team-tasks"}.get(request.POST.get("next", ""))
    return redirect(back) if back else redirect("cases:detail", pk=task.case_id)


def asb_queue(request: HttpRequest) -> HttpResponse:
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    handovers = list(selectors.asb_queue(request.user))
    if handovers:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=[h.case for h in handovers],
            subjects=[h.case.subject_id for h in handovers],
            purpose="ASB team queue",
        )
    return render(request, "cases/asb_queue.html", {"handovers": handovers})


def acknowledge(request: HttpRequest, pk) -> HttpResponse:
    handover = get_visible_or_404(
        AsbHandover.objects.filter(
            case__in=selectors.cases_visible_to(request.user)
        ).select_related("case"),
        pk=pk,
    )
    if request.method != "POST":
        return redirect("cases:asb-queue")
    if not rules.can_acknowledge_handover(request.user, handover):
        raise PermissionDenied
    services.acknowledge_handover(handover=handover, by=request.user)
    messages.success(request, f"Case {handover.case.reference} has been taken on by the ASB team")
    return redirect("cases:asb-queue")
