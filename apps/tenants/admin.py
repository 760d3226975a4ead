"""The Django admin is the platform admin's tool (superusers only). It works
across municipalities: the scope middleware disables scopes for superusers on
the admin's URLs, visibly, in one place."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts.forms import NormalizedEmailField
from apps.core.admin import MunicipalityOwnedAdmin
from apps.core.exceptions import DomainError
from apps.tenants.models import ApiToken, Municipality, RoleChange, StaffMember
from apps.tenants.permissions import Action, has_action
from apps.tenants.services import (
    api_token_revoke,
    municipality_create,
    refuse_own_role_change,
    role_change_record,
    staff_roles_snapshot,
    staff_set_active,
    staff_two_factor_reset,
    staff_update,
)


def _superusers_only(request):
    """Superusers only, and (with OTP_REQUIRED) only once their session passed
    the second factor: the admin is reached through the portal's login, and
    TwoFactorRequiredMiddleware already holds back an unverified session; this
    is the admin's own check of the same."""
    if not has_action(request.user, None, Action.PLATFORM_ADMIN):
        return False
    if settings.OTP_REQUIRED:
        is_verified = getattr(request.user, "is_verified", None)
        return bool(is_verified and is_verified())
    return True


admin.site.has_permission = _superusers_only
admin.site.site_header = _("Platformbeheer toegangsportaal")
admin.site.site_title = _("Platformbeheer")


class MunicipalityCreateForm(forms.ModelForm):
    admin_name = forms.CharField(label=_("naam eerste functioneel beheerder"), max_length=200)
    admin_email = NormalizedEmailField(label=_("e-mail eerste functioneel beheerder"))

    class Meta:
        model = Municipality
        fields = ["name", "cbs_code"]

    def clean_cbs_code(self):
        return self.cleaned_data["cbs_code"].strip().upper()


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "cbs_code"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = MunicipalityCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "cbs_code", "admin_name", "admin_email"]
        return ["name", "cbs_code", "is_active"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        municipality, staff = municipality_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            cbs_code=form.cleaned_data["cbs_code"],
            admin_email=form.cleaned_data["admin_email"],
            admin_name=form.cleaned_data["admin_name"],
        )
        obj.pk = municipality.pk
        obj.created_at = municipality.created_at
        messages.info(
            request,
            _(
                "%(user)s is functioneel beheerder van %(name)s "
                "en krijgt een uitnodiging per e-mail."
            )
            % {"user": staff.user, "name": municipality.name},
        )

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: municipal records are kept


class NotOwnRolesAdminMixin:
    """The platform admin does not change their own access, roles or
    memberships here either (`refuse_own_role_change`): the form refuses it
    with the service's message. `role_user_ids(cleaned, instance)` names whose
    roles the form would change."""

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        admin_self = self

        class NotOwnRolesForm(form_class):
            def clean(self):
                cleaned = super().clean()
                try:
                    refuse_own_role_change(
                        who=request.user,
                        user_ids=admin_self.role_user_ids(cleaned, self.instance),
                    )
                except DomainError as exc:
                    raise forms.ValidationError(exc.message) from exc
                return cleaned

        return NotOwnRolesForm


@admin.register(StaffMember)
class StaffMemberAdmin(NotOwnRolesAdminMixin, MunicipalityOwnedAdmin):
    list_display = [
        "user",
        "municipality",
        "is_active",
        "is_municipality_admin",
        "is_policy_advisor",
        "is_integration",
    ]
    list_filter = [
        "municipality",
        "is_active",
        "is_municipality_admin",
        "is_policy_advisor",
        "is_integration",
    ]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "municipality"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "user", "is_integration"] if obj is not None else readonly

    actions = ["two_factor_reset"]

    @admin.action(description=_("Tweestapsverificatie wissen (nieuwe app bij volgende login)"))
    def two_factor_reset(self, request, queryset):
        for staff in queryset.select_related("user", "municipality"):
            try:
                staff_two_factor_reset(actor=request.user, staff=staff)
            except DomainError as exc:
                self.message_user(request, f"{staff.user}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("De tweestapsverificatie van %(name)s is gewist.") % {"name": staff.user},
                )

    def role_user_ids(self, cleaned, instance):
        user = cleaned.get("user") if instance.pk is None else instance.user
        return [user.pk] if user is not None else []

    def save_model(self, request, obj, form, change):
        # The same rules as the municipality admin's pages: deactivating revokes
        # the person's API tokens for this municipality; every change of access
        # or roles goes into the role history, by this platform admin.
        expected = form.cleaned_data.get("loaded_version")
        if change and "is_active" in form.changed_data:
            staff_set_active(
                actor=None,
                by=request.user,
                staff=obj,
                is_active=obj.is_active,
                expected_version=expected,
            )
        elif change:
            staff_update(
                actor=None,
                by=request.user,
                staff=obj,
                is_municipality_admin=obj.is_municipality_admin,
                is_policy_advisor=obj.is_policy_advisor,
                expected_version=expected,
            )
        else:
            with transaction.atomic():
                super().save_model(request, obj, form, change)
                role_change_record(
                    by=request.user,
                    staff_member=obj,
                    before=None,
                    after=staff_roles_snapshot(obj),
                )


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """The history of access, role and membership changes: read only, across
    municipalities. Nobody adds, changes or deletes an entry."""

    list_display = ["at", "municipality", "staff_member", "kind", "by_label"]
    list_filter = ["municipality", "kind"]
    list_select_related = ["municipality", "staff_member__user"]
    search_fields = ["staff_member__user__email", "staff_member__user__full_name", "by_label"]
    readonly_fields = [f.name for f in RoleChange._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only here: keys are issued by `manage.py create_api_token`, the
    municipality admin or the person themselves (Mijn API-sleutels), so the key
    is shown once and only its hash is stored."""

    list_display = [
        "name",
        "prefix",
        "municipality",
        "staff_member",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["municipality"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Geselecteerde sleutels intrekken"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(actor=None, token=token)
