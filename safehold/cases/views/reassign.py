"""Reassigning a leaving caseworker's work: choose the colleague, confirm what moves (the open
cases they lead, the open tasks they own), then all of it moves at once."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.accounts.choices import Role
from safehold.accounts.models import User
from safehold.accounts.rules import can_manage_users
from safehold.accounts.selectors import users_visible_to
from safehold.audit.choices import Action
from safehold.cases.services import reassign as services
from safehold.core.visibility import NotVisible, get_visible_or_404


class _UserField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.full_name}, {user.get_role_display()}"


class ReassignForm(forms.Form):
    to = _UserField(
        label="Who takes the work",
        queryset=None,
        error_messages={"required": "Select who takes the work"},
    )

    def __init__(self, *args, leaving: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = User.objects.filter(
            agency=leaving.agency_id,
            is_active=True,
            role__in=[Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR],
        ).exclude(pk=leaving.pk)


def reassign(request: HttpRequest, pk) -> HttpResponse:
    if not can_manage_users(request.user):
        raise NotVisible(User, {"pk": pk})
    leaving = get_visible_or_404(users_visible_to(request.user), pk=pk)
    work = services.open_work_of(leaving)
    cases, tasks = list(work.cases), list(work.tasks)
    form = ReassignForm(request.POST or None, leaving=leaving)
    confirming = False
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data["to"]
        if request.POST.get("confirm") == "yes":
            try:
                moved_cases, moved_tasks = services.reassign_work(
                    leaving=leaving, to=to, by=request.user
                )
            except services.ReassignError as error:
                form.add_error("to", str(error))
            else:
                messages.success(
                    request,
                    f"{moved_cases} case{'s' if moved_cases != 1 else ''} and {moved_tasks} "
                    f"task{'s' if moved_tasks != 1 else ''} of {leaving.full_name} have been "
                    f"given to {to.full_name}",
                )
                return redirect("accounts:user-list")
        else:
            confirming = True
    if cases or tasks:
        # The page lists the cases with their subjects: a consultation of them.
        audit.record(
            action=Action.CONSULT, actor=request.user, targets=cases + tasks,
            subjects=[c.subject_id for c in cases], purpose="reassign work page",
        )  # fmt: skip
    return render(
        request,
        "cases/reassign.html",
        {"leaving": leaving, "cases": cases, "tasks": tasks, "form": form,
         "confirming": confirming},
    )  # fmt: skip
