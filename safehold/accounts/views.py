"""Sign-in (password, then a code from an authenticator app), sign-out, two-factor set-up and
recovery codes, and the administrators' user list (ADR 0007).

After a correct password the session is only *half signed in*: it names the user for 10
minutes and opens the two-factor pages, and nothing else. `django.contrib.auth.login()` runs
only after the second factor, so `LoginRequiredMiddleware` keeps every other page shut until
then, and the sign-in receivers (audit, session limit) fire exactly as before.
"""

import functools
import time

import pyotp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render, resolve_url
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.utils.safestring import SafeString, mark_safe

from safehold.accounts import rules as account_rules
from safehold.accounts import selectors, services
from safehold.accounts.forms import RecoveryCodeForm, SignInForm, TotpCodeForm
from safehold.accounts.models import TotpDevice, User
from safehold.accounts.receivers import FAILURE
from safehold.accounts.selectors import users_visible_to
from safehold.core.visibility import NotVisible, get_visible_or_404

# The half-signed-in marker: user id, when the password was right, the backend that checked
# it, the user's session hash (a password change ends it) and where to go afterwards.
PENDING = "safehold_two_factor_pending"
PENDING_SECONDS = 10 * 60
# Wrong codes in one session; django-axes also counts each one against the account, and the
# services count every attempt against the account before checking it (parallel requests too).
FAILURES = "safehold_two_factor_failures"
MAX_CODE_ATTEMPTS = services.MAX_CODE_ATTEMPTS
# New recovery codes, held only until the user says they have saved them.
CODES_TO_SHOW = "safehold_recovery_codes_to_show"
WRONG_CODE = "The code is not correct or has expired"
WRONG_RECOVERY_CODE = "The recovery code is not correct or has already been used"


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    """The password step. A correct password does not sign in: it starts the two-factor step."""

    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        session = self.request.session
        session.cycle_key()  # a new key for the new privilege, as login() does
        session.pop(FAILURES, None)
        session[PENDING] = {
            "user_id": str(user.pk),
            "since": time.time(),
            "backend": user.backend,
            "auth_hash": user.get_session_auth_hash(),
            "next": self.get_redirect_url(),  # already checked to be one of ours
        }
        if TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
            return redirect("accounts:two-factor")
        return redirect("accounts:two-factor-set-up")


def _end_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)
    request.session.pop(FAILURES, None)


def _pending_user(request: HttpRequest) -> User | None:
    """The half-signed-in user, if the password step was passed less than 10 minutes ago."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    user = None
    if time.time() - pending["since"] <= PENDING_SECONDS:
        user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None or not constant_time_compare(
        user.get_session_auth_hash(), pending["auth_hash"]
    ):
        _end_pending(request)
        messages.info(request, "Your sign-in timed out. Sign in again.")
        return None
    return user


def _locked(request: HttpRequest, user: User) -> bool:
    """django-axes' lockout: wrong passwords and wrong codes count against the same account."""
    if not getattr(settings, "AXES_ENABLED", True):
        return False
    return AxesProxyHandler.is_locked(request, {settings.AXES_USERNAME_FORM_FIELD: user.email})


def half_signed_in(view):
    """For the two-factor pages: open only between the password and the code, else sign-in."""

    @login_not_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = _pending_user(request)
        if user is None:
            return redirect(settings.LOGIN_URL)
        if _locked(request, user):
            _end_pending(request)
            return render(request, "accounts/locked_out.html", status=429)
        return view(request, user, *args, **kwargs)

    return wrapper


def _complete_sign_in(request: HttpRequest, user: User) -> str:
    """Both factors passed: sign in for real; return where to go next."""
    pending = request.session.pop(PENDING)
    request.session.pop(FAILURES, None)
    login(request, user, backend=pending["backend"])
    return pending["next"] or resolve_url(settings.LOGIN_REDIRECT_URL)


def _wrong_code(request: HttpRequest, user: User, failure: str) -> bool:
    """Record a wrong code (audit event and django-axes, through the failed sign-in signal);
    return True when it was one too many and the attempt must end."""
    user_login_failed.send(
        sender=__name__,
        credentials={settings.AXES_USERNAME_FORM_FIELD: user.email, FAILURE: failure},
        request=request,
    )
    failures = request.session.get(FAILURES, 0) + 1
    request.session[FAILURES] = failures
    return failures >= MAX_CODE_ATTEMPTS or getattr(request, "axes_locked_out", False)


def _too_many_wrong_codes(request: HttpRequest) -> HttpResponse:
    # When django-axes has locked the account, its middleware answers with the locked page.
    messages.error(request, "You entered too many wrong codes. Sign in again.")
    return redirect(settings.LOGIN_URL)


def _qr_code(uri: str) -> SafeString:
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff")
    label = 'role="img" aria-label="QR code for adding Safehold to your authenticator app"'
    return mark_safe(svg.replace("<svg ", f"<svg {label} ", 1))  # noqa: S308 — segno's own SVG


@half_signed_in
def two_factor_set_up(request: HttpRequest, user: User) -> HttpResponse:
    """First sign-in: add Safehold to an authenticator app and prove it with a code."""
    if TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        return redirect("accounts:two-factor")
    device = services.begin_totp_setup(user=user)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_setup(device=device, code=form.cleaned_data["code"])
        except services.TwoFactorAlreadySetUp:  # set up meanwhile, in another tab
            return redirect("accounts:two-factor")
        except services.TooManyAttempts:
            _end_pending(request)
            return _too_many_wrong_codes(request)
        if codes is not None:
            next_url = _complete_sign_in(request, user)
            request.session[CODES_TO_SHOW] = {"codes": codes, "next": next_url}
            return redirect("accounts:recovery-codes")
        if _wrong_code(request, user, "wrong two-factor code"):
            _end_pending(request)
            return _too_many_wrong_codes(request)
        form.add_error("code", WRONG_CODE)
    uri = pyotp.TOTP(device.secret).provisioning_uri(name=user.email, issuer_name="Safehold")
    context = {
        "form": form,
        "qr_code": _qr_code(uri),
        "secret_groups": [device.secret[i : i + 4] for i in range(0, len(device.secret), 4)],
    }
    return render(request, "accounts/two_factor_set_up.html", context)


@half_signed_in
def two_factor(request: HttpRequest, user: User) -> HttpResponse:
    """Every later sign-in: the code from the authenticator app."""
    if not TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        return redirect("accounts:two-factor-set-up")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            right = services.verify_totp(user=user, code=form.cleaned_data["code"])
        except services.TooManyAttempts:
            _end_pending(request)
            return _too_many_wrong_codes(request)
        if right:
            return redirect(_complete_sign_in(request, user))
        if _wrong_code(request, user, "wrong two-factor code"):
            _end_pending(request)
            return _too_many_wrong_codes(request)
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/two_factor.html", {"form": form})


@half_signed_in
def two_factor_recovery(request: HttpRequest, user: User) -> HttpResponse:
    """Sign in with a recovery code instead of the app (lost or broken phone)."""
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            left = services.use_recovery_code(user=user, code=form.cleaned_data["code"])
        except services.TooManyAttempts:
            _end_pending(request)
            return _too_many_wrong_codes(request)
        if left is not None:
            next_url = _complete_sign_in(request, user)
            if left == 0:
                messages.warning(
                    request,
                    "You have used your last recovery code. Create new recovery codes now.",
                )
                return redirect("accounts:two-factor-manage")
            messages.success(
                request,
                f"You signed in with a recovery code. You have {left} recovery "
                f"code{'s' if left != 1 else ''} left.",
            )
            return redirect(next_url)
        if _wrong_code(request, user, "wrong recovery code"):
            _end_pending(request)
            return _too_many_wrong_codes(request)
        form.add_error("code", WRONG_RECOVERY_CODE)
    return render(request, "accounts/two_factor_recovery.html", {"form": form})


def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once: they leave the session when the user has saved them."""
    to_show = request.session.get(CODES_TO_SHOW)
    if not to_show:
        return redirect("accounts:two-factor-manage")
    if request.method == "POST":
        del request.session[CODES_TO_SHOW]
        return redirect(to_show["next"] or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/recovery_codes.html", {"codes": to_show["codes"]})


def two_factor_manage(request: HttpRequest) -> HttpResponse:
    """The user's own two-factor page: when it was set up, recovery codes left, new codes."""
    user = request.user
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = services.regenerate_recovery_codes(user=user, code=form.cleaned_data["code"])
        except services.TooManyAttempts:
            logout(request)
            return _too_many_wrong_codes(request)
        if codes is not None:
            request.session.pop(FAILURES, None)
            request.session[CODES_TO_SHOW] = {
                "codes": codes,
                "next": resolve_url("accounts:two-factor-manage"),
            }
            return redirect("accounts:recovery-codes")
        if _wrong_code(request, user, "wrong two-factor code"):
            logout(request)
            return _too_many_wrong_codes(request)
        form.add_error("code", WRONG_CODE)
    context = {
        "device": device,
        "form": form,
        "codes_left": user.recovery_codes.filter(used_at=None).count(),
    }
    return render(request, "accounts/two_factor_manage.html", context)


class SignOutView(auth_views.LogoutView):
    pass


@login_not_required
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


def user_list(request: HttpRequest) -> HttpResponse:
    if not account_rules.can_manage_users(request.user):
        raise PermissionDenied
    users = selectors.with_two_factor_status(users_visible_to(request.user))
    return render(request, "accounts/user_list.html", {"users": users})


def _managed_user(request: HttpRequest, pk) -> User:
    """A user of the administrator's agency; 404 for every other role (a 403 would confirm the
    account exists)."""
    if not account_rules.can_manage_users(request.user):
        raise NotVisible(User, {"pk": pk})
    return get_visible_or_404(users_visible_to(request.user), pk=pk)


def user_set_active(request: HttpRequest, pk) -> HttpResponse:
    target = _managed_user(request, pk)
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


def user_reset_two_factor(request: HttpRequest, pk) -> HttpResponse:
    """An administrator resets a user's two-factor sign-in (lost phone): a confirmation page,
    then the reset. Not for their own account: another administrator must do it."""
    target = _managed_user(request, pk)
    if target.pk == request.user.pk:
        messages.error(request, "Ask another administrator to reset your two-factor sign-in")
        return redirect("accounts:user-list")
    if request.method == "POST":
        services.reset_two_factor(user=target, by=request.user)
        messages.success(
            request,
            f"Two-factor sign-in for {target.full_name} has been reset and they have been "
            "signed out. They will set it up again the next time they sign in.",
        )
        return redirect("accounts:user-list")
    return render(request, "accounts/user_reset_two_factor.html", {"target": target})
