"""API tokens in the browser, for administrators: the tokens of their agency's users, a new
one (its secret shown once, on the page that creates it, and kept nowhere), and revoking one
after a confirmation page. The same services as `safehold api token …`, audited there."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold.accounts import rules as account_rules
from safehold.accounts.models import User
from safehold.api import selectors, services
from safehold.api.models import ApiToken
from safehold.core.visibility import NotVisible, get_visible_or_404


class _UserField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.full_name} ({user.email})"


class TokenForm(forms.Form):
    user = _UserField(
        label="Who the partner system acts as",
        queryset=None,
        help_text="It sees and does only what this user may",
        error_messages={"required": "Select the user the token acts as"},
    )
    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        help_text="For example, the name of the partner system",
        error_messages={"required": "Enter what the token is for"},
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(agency=agency, is_active=True)


def _require(request: HttpRequest) -> None:
    if not account_rules.can_manage_users(request.user):
        raise PermissionDenied


def token_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    tokens = selectors.tokens_visible_to(request.user).order_by("revoked_at", "-created_at")
    return render(request, "api/token_list.html", {"tokens": tokens})


def token_create(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = TokenForm(request.POST or None, agency=request.user.agency_id)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.create_token(by=request.user, **form.cleaned_data)
        except services.TokenError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "api/token_created.html", {"token": token, "key": key})
    return render(request, "api/token_create.html", {"form": form})


def token_revoke(request: HttpRequest, pk) -> HttpResponse:
    if not account_rules.can_manage_users(request.user):
        raise NotVisible(ApiToken, {"pk": pk})
    token = get_visible_or_404(selectors.tokens_visible_to(request.user), pk=pk)
    if token.is_revoked:
        messages.info(request, f"Token {token.key_prefix} was already revoked")
        return redirect("tokens:list")
    if request.method == "POST":
        services.revoke_token(token=token, by=request.user)
        messages.success(request, f"Token {token.key_prefix} ({token.name}) has been revoked")
        return redirect("tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
