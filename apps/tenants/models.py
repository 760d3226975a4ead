from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from apps.core.models import AppendOnlyManager, AppendOnlyModel, MunicipalityOwned, VersionedModel

# The bounds of a municipality's retention period of the access log, in years.
ACCESS_LOG_RETENTION_MIN_YEARS = 1
ACCESS_LOG_RETENTION_MAX_YEARS = 30


class Municipality(models.Model):
    """Gemeente: the tenant. Everything municipality-owned points here and is
    only reachable inside that municipality's scope."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS-code"),
        max_length=6,
        unique=True,
        validators=[
            RegexValidator(r"^GM\d{4}$", _("Een CBS-gemeentecode is GM gevolgd door vier cijfers."))
        ],
        help_text=_("Bijvoorbeeld GM1734 voor Overbetuwe."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # How long the access log (toegangslog) is kept before the monthly purge
    # removes it (apps.audit.services.access_log_purge). NEN 7513 leaves the
    # period to the organisation's policy: as long as the log serves its purpose
    # (a resident asking who saw their file, investigating misuse), in practice as
    # long as the files it is about. Five years is what many municipalities keep
    # for access logs of files with health data (Wmo, Jeugdwet), hence the
    # default; the municipality decides with its data protection officer (FG).
    # At least one year: the database's purge function refuses anything shorter.
    access_log_retention_years = models.PositiveSmallIntegerField(
        _("bewaartermijn toegangslog (jaren)"),
        default=5,
        validators=[
            MinValueValidator(ACCESS_LOG_RETENTION_MIN_YEARS),
            MaxValueValidator(ACCESS_LOG_RETENTION_MAX_YEARS),
        ],
        help_text=_(
            "Regels in het toegangslog die ouder zijn dan dit aantal jaren worden elke "
            "maand verwijderd. Stel de termijn vast met de functionaris "
            "gegevensbescherming."
        ),
    )

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    access_log_retention_years__gte=ACCESS_LOG_RETENTION_MIN_YEARS,
                    access_log_retention_years__lte=ACCESS_LOG_RETENTION_MAX_YEARS,
                ),
                name="tenants_access_log_retention_range",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.cbs_code = (self.cbs_code or "").strip().upper()


class StaffMember(MunicipalityOwned, VersionedModel):
    """A person's access to one municipality (medewerker). Team memberships hang
    off it; the roles without a team (policy advisor, municipality admin) are
    flags here. Deactivating it ends the person's access to this municipality
    only, not to the other municipalities they work for."""

    # Overrides the inherited field for the reverse name `staff`.
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="staff"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        related_name="staff_memberships",
    )
    full_name = models.CharField(
        _("naam"),
        max_length=200,
        blank=True,
        help_text=_(
            "De naam zoals deze gemeente de persoon uitnodigde. Het account kan ook voor een "
            "andere gemeente werken; wat die gemeente vastlegt, ziet deze gemeente niet."
        ),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    is_municipality_admin = models.BooleanField(_("functioneel beheerder"), default=False)
    is_policy_advisor = models.BooleanField(_("beleidsadviseur"), default=False)
    is_integration = models.BooleanField(
        _("koppelingsaccount"),
        default=False,
        help_text=_(
            "Een account voor een koppeling met een ander systeem: logt niet in, heeft geen "
            "rollen of teams, en is er om een API-sleutel namens uit te geven."
        ),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"], name="staffmember_one_per_user_and_municipality"
            )
        ]
        indexes = [models.Index(fields=["municipality", "is_active"])]

    def clean(self):
        super().clean()
        if self.is_integration and (self.is_municipality_admin or self.is_policy_advisor):
            raise ValidationError(
                _("Een koppelingsaccount heeft geen rollen; maak een gewone medewerker aan.")
            )
        if self.user_id is not None:
            others = type(self)._base_manager.filter(user_id=self.user_id).exclude(pk=self.pk)
            if others.exclude(is_integration=self.is_integration).exists():
                # One account is either a person or an integration, everywhere.
                raise ValidationError(
                    {
                        "is_integration": _(
                            "Dit account wordt elders anders gebruikt (als persoon of als "
                            "koppeling); gebruik een ander account."
                        )
                    }
                )
        if self.pk is not None:
            before = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values_list("is_integration", flat=True)
                .first()
            )
            if before is not None and before != self.is_integration:
                raise ValidationError(
                    {
                        "is_integration": _(
                            "Of iemand een koppelingsaccount is, ligt vast bij het aanmaken."
                        )
                    }
                )

    def __str__(self):
        # Shown in select lists inside one municipality: the person is enough
        # (and reading the municipality here would cost a query per option).
        # The name this municipality typed, else the account's.
        return self.full_name or str(self.user)


class ApiToken(MunicipalityOwned):
    """A key for an integration, bound to one staff member in one municipality.
    Only a SHA-256 hash is stored; the key itself is shown once, on creation.
    Requests with it act as that staff member, in that municipality only."""

    staff_member = models.ForeignKey(
        StaffMember,
        verbose_name=_("namens medewerker"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("omschrijving"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leeg: aangemaakt door een beheerder op de server (manage.py)."),
    )
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


class RoleChange(AppendOnlyModel, MunicipalityOwned):
    """A change of what a person may do in a municipality: their access, a role
    without a team (functioneel beheerder, beleidsadviseur), or a team
    membership with its function and mandate. Written by the services that make
    the change, in the same transaction; never changed or deleted (the model,
    its managers and, on PostgreSQL, a trigger refuse it)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("toegang en rollen")
        MEMBERSHIP = "membership", _("teamlidmaatschap")

    staff_member = models.ForeignKey(
        StaffMember,
        verbose_name=_("medewerker"),
        on_delete=models.PROTECT,
        related_name="role_changes",
    )
    membership = models.ForeignKey(
        "teams.Membership",
        verbose_name=_("teamlidmaatschap"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    changes = models.JSONField(
        _("wijzigingen"), help_text=_("Per gegeven de waarde ervoor en erna.")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leeg: een beheerder op de server (manage.py)."),
    )
    by_label = models.CharField(_("door (naam)"), max_length=300, blank=True)
    at = models.DateTimeField(_("op"), default=timezone.now)

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        verbose_name = _("wijziging van rollen")
        verbose_name_plural = _("wijzigingen van rollen")
        ordering = ["-at", "-pk"]
        base_manager_name = "append_only_base"
        default_permissions = ("view",)
        indexes = [models.Index(fields=["municipality", "staff_member", "-at"])]

    def __str__(self):
        return f"{self.staff_member} — {self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"
