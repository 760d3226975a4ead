from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ConcurrentEditError
from apps.core.versioning import save_versioned


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the platform admin started from, so an admin edit
    and a page edit of the same record cannot overwrite each other."""

    # Not called `version`: that model field is not editable, and a form field
    # of the same name would be refused by the admin's form factory.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk:
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if loaded is None:
                raise forms.ValidationError(
                    _("Het formulier mist de versie; laad de pagina opnieuw.")
                )
            if loaded != current:
                raise forms.ValidationError(ConcurrentEditError.default_message)
        municipality = cleaned.get("municipality") or getattr(self.instance, "municipality", None)
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelMultipleChoiceField):
                continue
            for obj in cleaned.get(name) or []:
                if getattr(obj, "municipality_id", None) not in (
                    None,
                    getattr(municipality, "pk", None),
                ):
                    self.add_error(name, _("Kies alleen gegevens van dezelfde gemeente."))
                    break
        return cleaned


class MunicipalityOwnedAdmin(admin.ModelAdmin):
    """The platform admin's view of one kind of municipality-owned record.

    - The municipality is chosen when a record is created and never changed.
    - Many-to-many choices of another municipality are refused (the model's
      clean() already refuses foreign keys of another municipality).
    - Saves go through `save_versioned` with the version the form was loaded with.
    - Nothing is deleted: records are set inactive, so history stays whole.
    """

    form = VersionedAdminForm
    list_filter = ["municipality"]
    list_select_related = ["municipality"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + ["municipality"] if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        save_versioned(
            obj, expected_version=form.cleaned_data.get("loaded_version") if change else None
        )

    def has_delete_permission(self, request, obj=None):
        return False
