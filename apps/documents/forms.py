from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, StyledForm, text_area
from apps.documents.content import ALLOWED_EXTENSIONS, too_large_message
from apps.documents.models import Document


class DocumentUploadForm(StyledForm):
    """Title, kind, date and the file. The file's content is checked by the
    service (`apps.documents.services.document_upload`); a file stopped while
    streaming in for its size (`SizeLimitUploadHandler`) gets that message."""

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

    def __init__(self, *args, too_large=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = "file" in too_large
        if self.too_large:
            self.fields["file"].required = False

    def clean(self):
        data = super().clean()
        if self.too_large:
            self.add_error("file", too_large_message())
        return data


class DocumentWithdrawForm(StyledForm):
    reason = text_area(rows=3, label=_("Reden van intrekken"), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)
