from django.contrib import admin

from apps.core.admin import MunicipalityOwnedAdmin
from apps.teams.models import Area, Membership, Organisation, Team
from apps.tenants.permissions import forget_roles


class StructureAdmin(MunicipalityOwnedAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if isinstance(obj, Membership):
            forget_roles(obj.staff_member.user)


@admin.register(Area)
class AreaAdmin(StructureAdmin):
    list_display = ["name", "municipality", "is_active"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(StructureAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(StructureAdmin):
    list_display = ["name", "kind", "access", "municipality", "is_active"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name"]
    filter_horizontal = ["areas"]
    raw_id_fields = ["linked_loket_consultant", "run_by"]


@admin.register(Membership)
class MembershipAdmin(StructureAdmin):
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
