from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, StyledForm, text_area
from apps.documents.content import ALLOWED_EXTENSIONS
from apps.documents.models import Document


class DocumentUploadForm(StyledForm):
    """Title, kind, date and the file. The file's size and content are checked
    by the service (`apps.documents.services.document_upload`)."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Soort"), choices=Document.Kind.choices)
    document_date = forms.DateField(label=_("Datum van het document"), widget=DateInput())
    file = forms.FileField(
        label=_("Bestand"),
        max_length=255,
        help_text=_("PDF, afbeelding of kantoordocument."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)}
        ),
    )


class DocumentWithdrawForm(StyledForm):
    reason = text_area(rows=3, label=_("Reden van intrekken"), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)
