"""Sign-in, sign-out and the administrators' user list."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator

from safehold.accounts import rules as account_rules
from safehold.accounts import services
from safehold.accounts.forms import SignInForm
from safehold.accounts.selectors import users_visible_to
from safehold.core.visibility import get_visible_or_404


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@login_not_required
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


def user_list(request: HttpRequest) -> HttpResponse:
    if not account_rules.can_manage_users(request.user):
        raise PermissionDenied
    return render(request, "accounts/user_list.html", {"users": users_visible_to(request.user)})


def user_set_active(request: HttpRequest, pk) -> HttpResponse:
    target = get_visible_or_404(users_visible_to(request.user), pk=pk)
    if not account_rules.can_manage_users(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if target.pk == request.user.pk:
        messages.error(request, "You cannot disable your own account")
    elif target.is_active:
        services.disable_user(user=target, by=request.user)
        messages.success(request, f"{target.full_name} has been disabled and signed out")
    else:
        services.enable_user(user=target, by=request.user)
        messages.success(request, f"{target.full_name} can sign in again")
    return redirect("accounts:user-list")
