from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.tenants.permissions import Action, Role, roles_for


class MeView(APIView):
    """Who the caller is, and in which municipality with which roles they act."""

    read_action = Action.START_VIEW

    @extend_schema(
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
    def get(self, request):
        municipality = request._request.municipality
        return Response(
            {
                "email": request.user.email,
                "full_name": request.user.full_name,
                "municipality": {
                    "id": municipality.pk,
                    "name": municipality.name,
                    "cbs_code": municipality.cbs_code,
                },
                "roles": sorted(roles_for(request.user, municipality)),
            }
        )
