"""The OpenAPI description of `/api/v1/me/` (drf-spectacular), kept apart from the
behaviour in `views.py`; applied to the view class when the URLconf
(`config/urls.py`) loads this module."""

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers

from apps.tenants.api.views import MeView
from apps.tenants.permissions import Role

extend_schema_view(
    get=extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "email": serializers.EmailField(),
                "full_name": serializers.CharField(),
                "municipality": inline_serializer(
                    "ActiveMunicipality",
                    {
                        "id": serializers.IntegerField(),
                        "name": serializers.CharField(),
                        "cbs_code": serializers.CharField(),
                    },
                ),
                "roles": serializers.ListField(child=serializers.ChoiceField(Role.choices)),
            },
        )
    )
)(MeView)
