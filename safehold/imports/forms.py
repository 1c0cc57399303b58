"""The one upload form: a file of the kind's type under its size limit, in GOV.UK wording.
A kind that asks for more (an incident log's source, what a KPI file holds) subclasses it."""

from django import forms
from django.core.exceptions import ValidationError


class UploadForm(forms.Form):
    """A CSV file by default; subclasses set the accepted extensions, the size and the words."""

    extensions: tuple[str, ...] = (".csv",)
    accept = ".csv,text/csv"
    file_noun = "a CSV file"  # "Select a CSV file"
    type_noun = "a CSV"  # "The selected file must be a CSV"
    max_mb = 50
    help_text = "In Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”."
    label = "Upload a CSV file"

    file = forms.FileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = self.label
        field.help_text = self.help_text
        field.widget = forms.FileInput(attrs={"accept": self.accept})
        noun = self.file_noun
        field.error_messages |= {
            "required": f"Select {noun}",
            "empty": "The selected file is empty",
            "invalid": f"Select {noun}",
        }

    def limit_mb(self) -> int:
        return self.max_mb

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.extensions):
            raise ValidationError(f"The selected file must be {self.type_noun}")
        limit = self.limit_mb()
        if upload.size > limit * 1024 * 1024:
            raise ValidationError(f"The selected file must be smaller than {limit}MB")
        return upload
