from rest_framework import serializers

from apps.core.api import ScopedPrimaryKeyRelatedField
from apps.teams.api.base import ConfigurationSerializer
from apps.teams.forms import MembershipForm, TeamForm
from apps.teams.models import (
    LOKET_CONSULTANT_FILTER,
    Area,
    Law,
    Membership,
    Organisation,
    Team,
    TeamLocation,
)
from apps.tenants.models import StaffMember


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "is_active"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "is_active"]


class TeamLocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamLocation
        fields = ["id", "name", "address", "walk_in_hours", "is_active"]
        read_only_fields = fields


class TeamSerializer(ConfigurationSerializer):
    areas = ScopedPrimaryKeyRelatedField(
        model=Area, filters={"is_active": True}, many=True, required=False
    )
    run_by = ScopedPrimaryKeyRelatedField(
        model=Organisation, filters={"is_active": True}, required=False, allow_null=True
    )
    linked_loket_consultant = ScopedPrimaryKeyRelatedField(
        model=StaffMember, filters=LOKET_CONSULTANT_FILTER, required=False, allow_null=True
    )
    locations = TeamLocationSerializer(many=True, read_only=True)

    class Meta:
        model = Team
        # The dates and the successor are set by "Team beëindigen"
        # (`POST /api/v1/teams/{id}/end/`), read only here.
        # The walk-in locations are read here; they are changed on the
        # configuration pages (Inlooplocaties).
        fields = [
            "id",
            *TeamForm.Meta.fields,
            "locations",
            "started_on",
            "ended_on",
            "successor",
            "version",
        ]
        read_only_fields = ["started_on", "ended_on", "successor"]


class MembershipSerializer(serializers.ModelSerializer):
    staff_member = ScopedPrimaryKeyRelatedField(model=StaffMember, filters={"is_active": True})
    team = ScopedPrimaryKeyRelatedField(model=Team, filters={"is_active": True})
    organisation = ScopedPrimaryKeyRelatedField(
        model=Organisation, filters={"is_active": True}, required=False, allow_null=True
    )
    person = serializers.CharField(source="staff_member.user.full_name", read_only=True)
    mandated_laws = serializers.ListField(
        child=serializers.ChoiceField(choices=Law.choices),
        max_length=len(Law.choices),
        required=False,
    )
    version = serializers.IntegerField(
        required=False, help_text="The version you read; required when changing."
    )

    class Meta:
        model = Membership
        # The page's fields (`MembershipForm`), with the id, the person's name beside
        # the staff member, and the version.
        fields = ["id", *MembershipForm.Meta.fields, "started_on", "ended_on", "version"]
        fields.insert(fields.index("staff_member") + 1, "person")
        read_only_fields = ["started_on", "ended_on"]
