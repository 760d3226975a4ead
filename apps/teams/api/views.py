from django.db.models import Prefetch

from apps.teams.api.base import ConfigurationViewSet
from apps.teams.api.serializers import MembershipSerializer, TeamSerializer
from apps.teams.models import Area, Membership, Team, TeamLocation


class TeamViewSet(ConfigurationViewSet):
    serializer_class = TeamSerializer
    filterset_fields = ["kind", "access", "is_active"]
    m2m_fields = ("areas",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Team.objects.none()
        return Team.objects.prefetch_related(
            Prefetch("areas", queryset=Area.objects.only("id")),
            Prefetch("locations", queryset=TeamLocation.objects.order_by("name")),
        ).order_by("id")


class MembershipViewSet(ConfigurationViewSet):
    serializer_class = MembershipSerializer
    filterset_fields = ["team", "function", "is_active", "staff_member"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Membership.objects.none()
        return Membership.objects.select_related("staff_member__user").order_by("id")
