"""Administrators manage their agency's users in the browser: add a colleague, change their
role and teams, disable them after a confirmation page. Every change goes through the accounts
services, which check the actor and audit it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold.accounts import rules as account_rules
from safehold.accounts import services
from safehold.accounts.forms import AddUserForm, UserRoleForm
from safehold.accounts.views import _managed_user


def user_add(request: HttpRequest) -> HttpResponse:
    if not account_rules.can_manage_users(request.user):
        raise PermissionDenied
    form = AddUserForm(request.POST or None, agency=request.user.agency_id)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.add_user(by=request.user, **form.cleaned_data)
        except services.UserChangeError as error:
            form.add_error(None, str(error))
        else:
            # The first password is shown on this page once and kept nowhere in clear.
            return render(
                request, "accounts/user_added.html", {"target": user, "password": password}
            )
    return render(request, "accounts/user_form.html", {"form": form, "title": "Add a user"})


def user_change(request: HttpRequest, pk) -> HttpResponse:
    target = _managed_user(request, pk)
    initial = {"role": target.role, "teams": list(target.teams.all())}
    form = UserRoleForm(request.POST or None, agency=target.agency_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_user(user=target, by=request.user, **form.cleaned_data)
        except services.UserChangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The role and teams of {target.full_name} have been changed")
            return redirect("accounts:user-list")
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "title": f"Change the role and teams of {target.full_name}",
            "target": target,
        },
    )


def user_disable(request: HttpRequest, pk) -> HttpResponse:
    """A confirmation page, then the user is disabled and signed out everywhere."""
    target = _managed_user(request, pk)
    if target.pk == request.user.pk:
        messages.error(request, "You cannot disable your own account")
        return redirect("accounts:user-list")
    if request.method == "POST":
        services.disable_user(user=target, by=request.user)
        messages.success(request, f"{target.full_name} has been disabled and signed out")
        return redirect("accounts:user-list")
    return render(request, "accounts/user_disable.html", {"target": target})
