import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from safehold.accounts.choices import Role
from safehold.accounts.models import Team, User
from safehold.accounts.services import normalise_recovery_code


class SignInForm(AuthenticationForm):
    """Sign-in with the Design System's wording."""

    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been disabled",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
        self.fields["password"].error_messages = {"required": "Enter your password"}


class TotpCodeForm(forms.Form):
    """A 6-digit code from the user's authenticator app (spaces are ignored)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your authenticator app shows for Safehold",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError("The code must be 6 numbers")
        return code


class RecoveryCodeForm(forms.Form):
    """One of the recovery codes shown when two-factor sign-in was set up."""

    code = forms.CharField(
        label="Recovery code",
        help_text="One of the codes you saved when you set up two-factor sign-in, like abcd-2345",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter a recovery code"},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if len(normalise_recovery_code(code)) != 8:
            raise forms.ValidationError(
                "Enter a recovery code in the correct format, like abcd-2345"
            )
        return code


class _TeamsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, team) -> str:
        return team.name


class UserRoleForm(forms.Form):
    """A user's role and teams, as an administrator sets them."""

    role = forms.ChoiceField(
        label="Role",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    teams = _TeamsField(
        label="Teams",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
        self.fields["teams"].queryset = Team.objects.filter(agency=agency).order_by("name")


class AddUserForm(UserRoleForm):
    """A new colleague: who they are, then their role and teams."""

    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter their full name"}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="They sign in with this address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    field_order = ["full_name", "email", "job_title", "role", "teams"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("There is already a user with this email address")
        return email
