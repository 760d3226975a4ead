from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.accounts.registry import user_two_factor_reset
from apps.accounts.signals import password_reset_completed


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

    def user_change_password(self, request, id, form_url=""):
        """The platform admin sets a person's password: the same consequences
        as a reset through the mail link (keys revoked, security log, mail),
        with the platform admin as who did it."""
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db(fields=["password"])
                if user.password != before:
                    password_reset_completed.send(sender=type(self), user=user, actor=request.user)
        return response

    @admin.action(description=_("Tweestapsverificatie wissen (nieuwe app bij volgende login)"))
    def two_factor_reset(self, request, queryset):
        for user in queryset:
            user_two_factor_reset(actor=request.user, user=user)
        self.message_user(
            request,
            _("De tweestapsverificatie van %(count)s account(s) is gewist.")
            % {"count": len(queryset)},
        )
