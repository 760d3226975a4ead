from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

# --- widgets -------------------------------------------------------------------


class DateInput(forms.DateInput):
    """A date picker (the browser's own), in the ISO format it sends."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def scoped_formfield(db_field, **kwargs):
    """Build relation fields whose queryset is filled in per request, inside the
    municipality scope (a scoped manager cannot be queried at import time)."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", SafeModelChoiceField)
    return db_field.formfield(**kwargs)


def _add_classes(widget, css: str) -> None:
    classes = widget.attrs.get("class", "").split()
    classes += [name for name in css.split() if name not in classes]
    widget.attrs["class"] = " ".join(classes)


class StyledFormMixin:
    """NL Design System classes on the inputs, and aria attributes that tie an
    invalid field to its error message and description.

    Required fields say so with aria-required instead of the HTML `required`
    attribute: the browser would otherwise mark an empty required field as
    invalid (red) before anything was typed, and block the submit that shows
    our own, clearer messages."""

    use_required_attribute = False

    def style_fields(self):
        # Never trigger validation from here (querysets may not be set yet).
        errors = self._errors or {}
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if errors:
                # The error summary takes the focus (it has `autofocus`): one
                # element on a page may ask for it.
                widget.attrs.pop("autofocus", None)
            group = isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
            if field.required and not group:
                widget.attrs["aria-required"] = "true"
            if group:
                # Each box or radio of a group is marked; the summary links to the first.
                css = ""
            elif isinstance(widget, forms.CheckboxInput):
                css = "utrecht-checkbox utrecht-checkbox--html-input"
            elif isinstance(widget, forms.Select):
                css = "utrecht-select utrecht-select--html-select"
            elif isinstance(widget, forms.Textarea):
                css = "utrecht-textarea utrecht-textarea--html-textarea"
            else:
                css = "utrecht-textbox utrecht-textbox--html-input"
            if css:
                # Once each, however often the form is styled (on creation and after
                # every validation).
                _add_classes(widget, css)
            described = []
            # The ids the field template gives its help and error (auto_id honoured).
            # (Not through self[name]: a BoundField made now would keep the help
            # text as it is before a subclass's __init__ sets it.)
            html_name = self.add_prefix(name)
            auto_id = str(self.auto_id or "")
            base = auto_id % html_name if "%s" in auto_id else f"id_{html_name}"
            if field.help_text:
                described.append(f"{base}-help")
            if name in errors:
                widget.attrs["aria-invalid"] = "true"
                if css:
                    _add_classes(widget, f"{css.split()[0]}--invalid")
                described.append(f"{base}-error")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self):
        super().full_clean()
        self.style_fields()


class StyledForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class ScopedModelForm(StyledFormMixin, forms.ModelForm):
    """A ModelForm for municipality-owned models.

    - Relation fields list only the active municipality's objects (the scope
      filters them), narrowed further by `relation_filters`.
    - A hidden `version` makes a concurrent edit fail with a clear message
      instead of silently overwriting (see `apps.core.versioning`).
    """

    relation_filters: dict[str, dict] = {}
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        formfield_callback = scoped_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                qs = field.queryset.model.objects.all()
                extra = self.relation_filters.get(name)
                if extra:
                    # Offer what may be chosen now, and keep what is linked
                    # already (an inactive area stays on the team it serves).
                    qs = qs.filter(Q(**extra) | Q(pk__in=self._current_pks(name))).distinct()
                field.queryset = qs
        if self.instance.pk and hasattr(self.instance, "version"):
            self.fields["version"].initial = self.instance.version
        self.style_fields()

    def _current_pks(self, name):
        if not self.instance.pk:
            return []
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(self.instance, name).values_list("pk", flat=True))
        pk = getattr(self.instance, field.attname)
        return [pk] if pk is not None else []

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "version" in self.fields and cleaned.get("version") is None:
            raise forms.ValidationError(
                _("Het formulier mist de versie; laad de pagina opnieuw."), code="no_version"
            )
        return cleaned

    @property
    def expected_version(self):
        return self.cleaned_data.get("version")


def apply_validation_error(form, exc) -> None:
    """Put a model ValidationError raised by a service onto the form: field
    errors on their field where the form has it, the rest at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


REFUSED = object()


def call_service(form, call, *, errors=None, domain_error_field=None):
    """Run a service call for a page's form. When the service refuses, its
    messages go onto the form (field errors on their field, the rest at the top,
    or on `domain_error_field`) and REFUSED is returned; the view then shows the
    form again. `errors` may rename the fields of a ValidationError first."""
    from django.core.exceptions import ValidationError

    from apps.core.exceptions import DomainError

    try:
        return call()
    except ValidationError as exc:
        apply_validation_error(form, errors(exc) if errors else exc)
    except DomainError as exc:
        form.add_error(domain_error_field, exc.message)
    return REFUSED


def text_area(*, rows: int, **kwargs) -> forms.CharField:
    """A text field shown as a text area of `rows` lines (`label`, `max_length`,
    `required`… as for `forms.CharField`)."""
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class TextCorrectionForm(StyledForm):
    """Correct a text that is kept with its earlier versions (an activity's note,
    a question's description): the new text, the reason (required) and the
    version read. The page names the text (`text_label`) and whether it may be
    empty (`text_required`)."""

    text = text_area(label=_("Gecorrigeerde tekst"), max_length=10_000, rows=8)
    reason = text_area(
        label=_("Reden van de correctie"),
        max_length=2000,
        rows=3,
        help_text=_(
            "Bijvoorbeeld: op verzoek van de inwoner, of een vergissing. De eerdere tekst "
            "blijft bewaard en zichtbaar."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, text_label=None, text_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if text_label:
            self.fields["text"].label = text_label
        if not text_required:
            self.fields["text"].required = False
            self.fields["text"].widget.attrs.pop("aria-required", None)
