from django.contrib import admin

from apps.core.admin import MunicipalityOwnedAdmin
from apps.teams.models import (
    Area,
    ExecutingOrganisation,
    Membership,
    Organisation,
    Team,
    TeamLocation,
)
from apps.teams.services import configuration_save, team_role_user_ids
from apps.tenants.admin import NotOwnRolesAdminMixin


class StructureAdmin(MunicipalityOwnedAdmin):
    pass


@admin.register(Area)
class AreaAdmin(StructureAdmin):
    list_display = ["name", "municipality", "is_active"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(StructureAdmin):
    list_display = ["name", "kind", "shared", "municipality", "is_active"]
    list_filter = ["kind", "shared"]
    search_fields = ["name"]


class OrganisationLinkInline(admin.TabularInline):
    """The municipalities an executing organisation serves: each its own
    organisation row (kind "executing") pointing to the shared record."""

    model = Organisation
    fk_name = "shared"
    fields = ["municipality", "name", "kind", "is_active"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExecutingOrganisation)
class ExecutingOrganisationAdmin(admin.ModelAdmin):
    """Platform level (#19): one record of DUO+ for the municipalities it
    serves; only the platform admin reaches the Django admin. Link a
    municipality by choosing this record on its organisation (Organisaties)."""

    list_display = ["name", "phone", "email", "is_active"]
    search_fields = ["name"]
    inlines = [OrganisationLinkInline]


@admin.register(TeamLocation)
class TeamLocationAdmin(StructureAdmin):
    list_display = ["name", "team", "municipality", "is_active"]
    list_select_related = ["team", "municipality"]
    raw_id_fields = ["team"]


@admin.register(Team)
class TeamAdmin(NotOwnRolesAdminMixin, StructureAdmin):
    list_display = ["name", "kind", "access", "municipality", "is_active"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name"]
    filter_horizontal = ["areas"]
    raw_id_fields = ["linked_loket_consultant", "run_by"]
    # Dates follow `is_active` (DatedMixin); ending a team with its work goes
    # through "Team beëindigen" (apps.cases.services.team_end).
    readonly_fields = ["started_on", "ended_on", "successor", "end_reason", "ended_by"]

    def role_user_ids(self, cleaned, instance):
        # A change of kind, active state or linked consultant changes the
        # roles of the team's members and of that consultant.
        consultant = cleaned.get("linked_loket_consultant")
        return team_role_user_ids(
            team_pk=instance.pk,
            kind=cleaned.get("kind"),
            is_active=cleaned.get("is_active"),
            linked_loket_consultant_id=consultant.pk if consultant else None,
        )

    def save_model(self, request, obj, form, change):
        # The pages' service: not a team one is in or linked to, and recorded
        # in the role history of the people it concerns.
        configuration_save(
            actor=None,
            by=request.user,
            instance=obj,
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
        )


@admin.register(Membership)
class MembershipAdmin(NotOwnRolesAdminMixin, StructureAdmin):
    list_display = [
        "staff_member",
        "team",
        "function",
        "organisation",
        "hours_per_week",
        "is_active",
    ]
    list_filter = ["municipality", "function", "is_active"]
    list_select_related = [
        "staff_member__user",
        "staff_member__municipality",
        "team",
        "organisation",
        "municipality",
    ]
    raw_id_fields = ["staff_member", "team", "organisation"]
    readonly_fields = ["started_on", "ended_on"]

    def role_user_ids(self, cleaned, instance):
        ids = [cleaned["staff_member"].user_id] if cleaned.get("staff_member") else []
        if instance.pk is not None:
            ids.append(
                Membership._base_manager.filter(pk=instance.pk)
                .values_list("staff_member__user_id", flat=True)
                .first()
            )
        return ids

    def save_model(self, request, obj, form, change):
        # The pages' service: not one's own membership, and recorded in the
        # role history with this platform admin as who did it.
        configuration_save(
            actor=None,
            by=request.user,
            instance=obj,
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
        )
