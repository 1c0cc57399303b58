from django import forms


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="What did you find?",
        widget=forms.Textarea,
        max_length=2000,
        help_text="For example, a bulk export for the quarterly board report, or referred to HR",
        error_messages={"required": "Enter what you found"},
    )
