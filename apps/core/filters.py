"""django-filter for the API, with filters that refuse what they cannot read.

django-filter's boolean filter reads anything but true/false/1/0 as "no filter",
so `?is_active=nee` silently lists everything. Here such a value is refused
with 400, like an invalid choice or id already is. An empty value still means
"no filter" (documented as `allowEmptyValue` in the schema)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.rest_framework.filterset import FILTER_FOR_DBFIELD_DEFAULTS


class StrictNullBooleanField(forms.NullBooleanField):
    widget = forms.TextInput
    values = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.values[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(_("Kies true of false."), code="invalid") from None

    def validate(self, value):
        pass


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictNullBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class FilterSet(filters.FilterSet):
    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
        models.NullBooleanField: {"filter_class": BooleanFilter},
    }


class FilterBackend(filters.DjangoFilterBackend):
    """DEFAULT_FILTER_BACKENDS: `filterset_fields` get the strict filters above."""

    filterset_base = FilterSet
