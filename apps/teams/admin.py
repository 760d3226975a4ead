from django.contrib import admin

from apps.core.services import save_versioned
from apps.teams.models import Area, Membership, Organisation, Team
from apps.tenants.permissions import forget_roles


class MunicipalityOwnedAdmin(admin.ModelAdmin):
    """Platform admin's view of the structure of every municipality. Saves go
    through `save_versioned`, so an edit here also bumps the version and a page
    editor working from an older version gets a conflict, not an overwrite."""

    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        save_versioned(obj)
        if isinstance(obj, Membership):
            forget_roles(obj.staff_member.user)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: history and reports stay whole


@admin.register(Area)
class AreaAdmin(MunicipalityOwnedAdmin):
    list_display = ["name", "municipality", "is_active"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(MunicipalityOwnedAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(MunicipalityOwnedAdmin):
    list_display = ["name", "kind", "access", "municipality", "is_active"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name"]
    filter_horizontal = ["areas"]
    raw_id_fields = ["linked_loket_consultant", "run_by"]


@admin.register(Membership)
class MembershipAdmin(MunicipalityOwnedAdmin):
    list_display = [
        "staff_member",
        "team",
        "function",
        "organisation",
        "hours_per_week",
        "is_active",
    ]
    list_filter = ["municipality", "function", "is_active"]
    list_select_related = ["staff_member__user", "team", "organisation", "municipality"]
    raw_id_fields = ["staff_member", "team", "organisation"]
