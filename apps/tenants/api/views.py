from rest_framework.response import Response
from rest_framework.views import APIView

from apps.tenants.permissions import Action, roles_for


class MeView(APIView):
    """Who the caller is, and in which municipality with which roles they act."""

    # The OpenAPI description (the docstring above is its text) is in `schema.py`.

    read_action = Action.START_VIEW

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
