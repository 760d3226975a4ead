"""The base of the configuration viewsets (teams, memberships here; life domains,
triage rules and provision types in intake and decisions): read for every staff
role, create and change for the municipality admin through configuration_save."""

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from apps.core.pagination import ByIdPagination
from apps.teams.services import configuration_save
from apps.tenants.permissions import Action


class ConfigurationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read for every staff role; create and change for the municipality admin,
    through the same service as the pages. Nothing is deleted: set
    `is_active=false` instead, so history and reports stay whole."""

    read_action = Action.ORGANISATION_VIEW
    write_action = Action.CONFIGURATION_MANAGE
    pagination_class = ByIdPagination
    m2m_fields: tuple[str, ...] = ()

    def _save(self, serializer, instance):
        data = dict(serializer.validated_data)
        expected_version = data.pop("version", None)
        if instance.pk is not None and expected_version is None:
            # Optimistic locking: a change must say which version it was based on.
            raise ValidationError(
                {"version": [_("Geef de versie mee die u heeft gelezen (veld version).")]}
            )
        m2m = {field: data.pop(field) for field in self.m2m_fields if field in data}
        for field, value in data.items():
            setattr(instance, field, value)
        configuration_save(
            actor=self.request.user,
            instance=instance,
            expected_version=expected_version if instance.pk else None,
            m2m=m2m,
        )
        serializer.instance = instance

    def perform_create(self, serializer):
        model = self.get_queryset().model
        self._save(serializer, model(municipality=self.request._request.municipality))

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


# The base of the configuration serializers: the `version` a change is based on
# (ConfigurationViewSet requires it on a change); list it in `Meta.fields`. No
# docstring: the OpenAPI description of each serializer would inherit it.
class ConfigurationSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(
        required=False,
        help_text=(
            "The version you read; required when changing. A change based on an older "
            "version is refused with 409 (someone else changed it meanwhile)."
        ),
    )
