"""Forms of the casework set-up pages: a team of the administrator's agency, and a programme
it leads (issue 14, defect 0)."""

from django import forms

from safehold.accounts.models import Team


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=200,
        help_text="For example, Exploitation team or Neighbourhood ASB team",
        error_messages={"required": "Enter the team's name"},
    )


class ProgrammeForm(forms.Form):
    name = forms.CharField(
        label="Programme name",
        max_length=200,
        help_text="For example, Exploitation protection project",
        error_messages={"required": "Enter the programme's name"},
    )
    triage_team = forms.ModelChoiceField(
        label="Triage team",
        queryset=Team.objects.none(),
        help_text="Works the programme's queue of referrals",
        error_messages={"required": "Select the triage team"},
    )
    asb_team = forms.ModelChoiceField(
        label="ASB team (optional)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="None",
        help_text="Takes cases closed as “refused to engage”",
    )
    reference_prefix = forms.RegexField(
        label="Case reference prefix",
        regex=r"^[A-Za-z]{2,8}$",
        initial="EXP",
        max_length=8,
        help_text="2 to 8 letters: cases are numbered like EXP-2026-0001",
        error_messages={
            "required": "Enter the case reference prefix",
            "invalid": "The case reference prefix must be 2 to 8 letters",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(agency=agency).order_by("name")
        self.fields["triage_team"].queryset = teams
        self.fields["asb_team"].queryset = teams
