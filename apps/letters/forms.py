from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateTimeInput, ScopedModelForm, StyledForm, text_area
from apps.letters.models import LetterTemplate
from apps.letters.placeholders import LetterKind


class AcknowledgementForm(StyledForm):
    """Nothing to type: the letter takes everything from the melding (also the
    notice of an extension: from the last extension)."""


class InvitationForm(StyledForm):
    meeting_at = forms.DateTimeField(
        label=_("Datum en tijd van het gesprek"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(
        label=_("Plaats van het gesprek"),
        max_length=200,
        help_text=_("Bijvoorbeeld: bij u thuis, of het adres van het wijkteam."),
    )


class LetterTemplateForm(ScopedModelForm):
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = text_area(rows=18, label=_("Tekst"), max_length=10_000)

    class Meta(ScopedModelForm.Meta):
        model = LetterTemplate
        fields = ["subject", "body"]


class LetterTemplateCreateForm(StyledForm):
    kind = forms.ChoiceField(label=_("Soort brief"), choices=LetterKind.choices)
