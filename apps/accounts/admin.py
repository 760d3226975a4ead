from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "last_municipality")}),
        (_("Gegevens"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()
    actions = ["two_factor_reset"]

    @admin.action(description=_("Tweestapsverificatie wissen (nieuwe app bij volgende login)"))
    def two_factor_reset(self, request, queryset):
        from apps.tenants.services import user_two_factor_reset

        for user in queryset:
            user_two_factor_reset(actor=request.user, user=user)
        self.message_user(
            request,
            _("De tweestapsverificatie van %(count)s account(s) is gewist.")
            % {"count": len(queryset)},
        )
