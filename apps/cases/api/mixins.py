"""What the viewsets of a case and the things hanging off it share (also the
decisions API's proposals and decisions)."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from apps.access import rules
from apps.cases import selectors
from apps.cases.models import Case
from apps.core.api import municipality_of
from apps.core.pagination import NewestFirstPagination
from apps.tenants.permissions import Action


class CaseScopedMixin:
    """For the viewsets of a case and what hangs off it: the queryset is of the
    municipality (another municipality's id: 404), and a case the user may not
    see does not exist for them either (404, as on the pages: no way to tell
    which case ids exist)."""

    read_action = Action.CASE_VIEW
    write_action = Action.CASE_WORK
    pagination_class = NewestFirstPagination
    case_path = "case"

    def visible_cases(self):
        return selectors.visible_cases(self.request.user, municipality_of(self.request))

    def get_object(self):
        obj = super().get_object()  # of another municipality: 404
        case = obj if isinstance(obj, Case) else getattr(obj, self.case_path)
        if not rules.can_view_case(self.request.user, case):
            raise NotFound()
        return obj

    def validated(self, serializer_class=None, **kwargs):
        serializer = (serializer_class or self.get_serializer_class())(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def validated_with_version(self, serializer_class=None, **kwargs):
        """`validated()` for a change whose serializer leaves `version` optional
        (a PATCH): without it, 400."""
        data = self.validated(serializer_class, **kwargs)
        if data.get("version") is None:
            raise serializers.ValidationError(
                {"version": [_("Geef de versie mee die u heeft gelezen (veld version).")]}
            )
        return data

    def require_visible(self, case: Case) -> Case:
        if not rules.can_view_case(self.request.user, case):
            raise NotFound()
        return case
