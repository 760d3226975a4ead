"""The organisation of a municipality's access (toegang): areas, mother
organisations, teams and who works in them. Configured per municipality by its
municipality admin; every model here is scoped to one municipality."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from apps.core.models import MunicipalityOwned, VersionedModel


class Law(models.TextChoices):
    WMO = "wmo", _("Wmo 2015")
    JEUGDWET = "jeugdwet", _("Jeugdwet")
    PARTICIPATIEWET = "participatiewet", _("Participatiewet")


class DatedMixin:
    """Start and end dates beside `is_active`, kept consistent with it: an end
    date is today or earlier (nothing is ended ahead of time), a row without an
    end date is active and a row with one is not. Ending (`is_active=False`)
    without a date ends it today; making it active again clears the end date.
    `is_active` stays the stored flag every filter and `active_membership_q`
    read; the dates say since and until when."""

    def sync_dates(self):
        if self.is_active:
            self.ended_on = None
        elif self.ended_on is None:
            self.ended_on = timezone.localdate()
        if self.started_on is None:
            self.started_on = timezone.localdate()

    def clean_dates(self) -> dict:
        errors = {}
        if self.ended_on is not None and self.ended_on > timezone.localdate():
            errors["ended_on"] = _("De einddatum ligt in de toekomst; kies vandaag of eerder.")
        elif self.ended_on is not None and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("De einddatum ligt vóór de begindatum.")
        return errors

    def save(self, *args, **kwargs):
        self.sync_dates()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "is_active" in update_fields:
            kwargs["update_fields"] = {*update_fields, "started_on", "ended_on"}
        super().save(*args, **kwargs)


class UniqueNameMixin:
    """The name is unique within the municipality. The form leaves the
    municipality out, so Django's own constraint check would skip it; this puts
    the message on the name field where the user typed it."""

    def validate_unique_name(self):
        clash = (
            type(self)
            ._base_manager.filter(municipality_id=self.municipality_id, name__iexact=self.name)
            .exclude(pk=self.pk)
        )
        if self.name and self.municipality_id and clash.exists():
            raise ValidationError(
                {
                    "name": _("Er is in deze gemeente al een %(kind)s met deze naam.")
                    % {"kind": self._meta.verbose_name}
                }
            )


class Area(UniqueNameMixin, MunicipalityOwned, VersionedModel):
    """Kern, wijk or gebied: the part of the municipality a team serves."""

    name = models.CharField(_("naam"), max_length=100)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="area_unique_name",
                violation_error_message=_("Er is al een gebied met deze naam."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.validate_unique_name()


# A phone number as people write it: digits, spaces, +, -, ( and ).
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,24}$",
    _("Geef een telefoonnummer op met alleen cijfers, spaties, +, - en haakjes."),
)


class ExecutingOrganisation(models.Model):
    """An executing organisation serving several municipalities (DUO+ for
    Diemen, Uithoorn and Ouder-Amstel, seed 003): one record for the platform,
    not a copy per municipality. Like `Municipality` it is not owned by one: it
    holds only the organisation's name and contact data, no personal data.
    Managed by the platform admin (Django admin); each municipality it serves has
    its own `Organisation` row (kind "executing") pointing here, which its teams
    and memberships use as any organisation of the municipality."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    phone = models.CharField(
        _("telefoonnummer"), max_length=25, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("uitvoeringsorganisatie van meerdere gemeenten")
        verbose_name_plural = _("uitvoeringsorganisaties van meerdere gemeenten")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(UniqueNameMixin, MunicipalityOwned, VersionedModel):
    """A mother organisation that seconds staff (STUW, MEE, Cardea…), an
    executing organisation (DUO+), or the municipality itself."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("de gemeente zelf")
        EXECUTING = "executing", _("uitvoeringsorganisatie")
        MOTHER = "mother", _("moederorganisatie")
        PARTNER = "partner", _("samenwerkingspartner (schil)")

    name = models.CharField(_("naam"), max_length=150)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.MOTHER)
    is_active = models.BooleanField(_("actief"), default=True)
    # #19 part 3: the shared record of an executing organisation that serves
    # several municipalities; set by the platform admin only.
    shared = models.ForeignKey(
        ExecutingOrganisation,
        verbose_name=_("gedeelde uitvoeringsorganisatie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipality_links",
        help_text=_("De uitvoeringsorganisatie die ook andere gemeenten bedient."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organisation_unique_name"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.validate_unique_name()
        if self.shared_id and self.kind != self.Kind.EXECUTING:
            raise ValidationError(
                {"shared": _("Alleen een uitvoeringsorganisatie hoort bij een gedeelde.")}
            )


# Who counts as a loket consultant of the municipality, for choosing a team's
# linked consultant: one definition for the model, the page form and the API.
# (The role itself comes from apps.tenants.permissions.roles_for.)
# The conditions are those of `active_membership_q("memberships__")` (written
# out: the form and API fields take keyword filters).
LOKET_CONSULTANT_FILTER = {
    "is_active": True,
    "user__is_active": True,
    "memberships__is_active": True,
    "memberships__function": "consultant",
    "memberships__team__kind": "loket",
    "memberships__team__is_active": True,
    "memberships__municipality__is_active": True,
}


class Team(DatedMixin, UniqueNameMixin, MunicipalityOwned, VersionedModel):
    class Kind(models.TextChoices):
        LOKET = "loket", _("loket")
        KERNTEAM = "kernteam", _("kernteam")
        SOCIAL_TEAM = "social_team", _("sociaal team")
        WIJKTEAM = "wijkteam", _("wijkteam")
        GEBIEDSTEAM = "gebiedsteam", _("gebiedsteam")
        EXPERTISE = "expertise", _("specialistisch of expertiseteam")

    class Access(models.TextChoices):
        DIRECT = "direct", _("direct toegankelijk")
        REFERRAL = "referral", _("alleen na verwijzing")

    # Teams that run cases and do voorwerk for the loket; they may have a
    # linked loket consultant (vaste contactpersoon).
    CASE_TEAM_KINDS = (Kind.KERNTEAM, Kind.SOCIAL_TEAM, Kind.WIJKTEAM, Kind.GEBIEDSTEAM)

    name = models.CharField(_("naam"), max_length=150)
    kind = models.CharField(_("soort team"), max_length=20, choices=Kind.choices)
    access = models.CharField(
        _("toegankelijkheid"), max_length=10, choices=Access.choices, default=Access.DIRECT
    )
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("gebieden"),
        blank=True,
        related_name="teams",
        help_text=_("Leeg: het team werkt voor de hele gemeente."),
    )
    run_by = models.ForeignKey(
        Organisation,
        verbose_name=_("uitgevoerd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams_run",
    )
    linked_loket_consultant = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("vaste loketconsulent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_teams",
        help_text=_(
            "De consulent van het loket die bij de casusbesprekingen van dit team aansluit."
        ),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    started_on = models.DateField(_("begonnen op"), default=timezone.localdate)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("opvolger"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("Het team dat het werk van dit team voortzet, als dat er is."),
    )
    end_reason = models.TextField(_("reden van beëindiging"), blank=True)
    # #19 part 2: how residents reach the team (seed 001: one phone number, one
    # e-mail address); its walk-in locations are `TeamLocation`s.
    phone = models.CharField(
        _("telefoonnummer"), max_length=25, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    ended_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("beëindigd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="team_unique_name",
                violation_error_message=_("Er is al een team met deze naam."),
            )
        ]
        indexes = [models.Index(fields=["municipality", "kind", "is_active"])]

    def __str__(self):
        return self.name

    def _linked_consultant_changed(self) -> bool:
        if self.pk is None:
            return True
        before = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values_list("linked_loket_consultant_id", flat=True)
            .first()
        )
        return before != self.linked_loket_consultant_id

    @property
    def is_case_team(self) -> bool:
        return self.kind in self.CASE_TEAM_KINDS

    @property
    def runs_cases(self) -> bool:
        """Whether a case can be run here: a case team, or the loket on its own path."""
        return self.is_case_team or self.kind == self.Kind.LOKET

    @property
    def has_ended(self) -> bool:
        return not self.is_active and self.ended_on is not None

    def clean(self):
        super().clean()
        self.validate_unique_name()
        errors = self.clean_dates()
        if self.successor_id is not None and (
            self.successor_id == self.pk or self.successor.municipality_id != self.municipality_id
        ):
            errors["successor"] = _("Kies een ander team van deze gemeente als opvolger.")
        if errors:
            raise ValidationError(errors)
        if (
            self.pk
            and self.kind != Team.Kind.LOKET
            and self.memberships.filter(is_active=True).exclude(mandated_laws=[]).exists()
        ):
            raise ValidationError(
                {
                    "kind": _(
                        "Dit team heeft consulenten met een mandaat; een mandaat hoort bij "
                        "een loket. Beëindig eerst die lidmaatschappen of hun mandaat."
                    )
                }
            )
        if self.run_by_id and self.run_by.municipality_id != self.municipality_id:
            raise ValidationError({"run_by": _("Kies een organisatie van deze gemeente.")})
        consultant = self.linked_loket_consultant
        if consultant is None:
            return
        if not self.is_case_team:
            raise ValidationError(
                {
                    "linked_loket_consultant": _(
                        "Alleen een kernteam, sociaal team, wijkteam of gebiedsteam heeft een "
                        "vaste loketconsulent."
                    )
                }
            )
        StaffMember = type(consultant)
        if consultant.municipality_id != self.municipality_id or (
            # Whether they still work at the loket is checked when the link is
            # made, not on every save: a consultant who left the loket must not
            # block renaming the team.
            self._linked_consultant_changed()
            and not StaffMember._base_manager.filter(
                pk=consultant.pk, **LOKET_CONSULTANT_FILTER
            ).exists()
        ):
            raise ValidationError(
                {
                    "linked_loket_consultant": _(
                        "Kies een medewerker die consulent is in een loketteam van deze gemeente."
                    )
                }
            )


class TeamLocation(MunicipalityOwned, VersionedModel):
    """A place where residents walk in to a team (inloop), with its hours
    (seed 001: the Wijkteam at de Burgt and het Kwadrant)."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(_("naam"), max_length=100)
    address = models.CharField(_("adres"), max_length=200)
    walk_in_hours = models.CharField(
        _("inlooptijden"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: maandag en donderdag 9.00–12.00 uur."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("inlooplocatie")
        verbose_name_plural = _("inlooplocaties")
        ordering = ["team__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name"],
                name="teamlocation_unique_name",
                violation_error_message=_("Dit team heeft al een inlooplocatie met deze naam."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.team})"

    def clean(self):
        super().clean()
        errors = {}
        if self.team_id and self.team.municipality_id != self.municipality_id:
            errors["team"] = _("Kies een team van deze gemeente.")
        elif (
            self.team_id
            and self.name
            and type(self)
            ._base_manager.filter(team_id=self.team_id, name__iexact=self.name)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["name"] = _("Dit team heeft al een inlooplocatie met deze naam.")
        if errors:
            raise ValidationError(errors)


def active_membership_q(prefix: str = "") -> Q:
    """The one definition of an active membership of an active person in an
    active team: the membership is active, the person's access to the
    municipality (StaffMember) is active, their account (User) is active, the
    team is active and the municipality is active. Every role, "my teams",
    object rule (`apps.access.rules`) and mandate counts only these
    (docs/permissions.md). `prefix` reaches memberships through a relation, e.g.
    "memberships__" from StaffMember: used inside one filter() call, every
    condition holds for the same membership."""
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}staff_member__is_active": True,
            f"{prefix}staff_member__user__is_active": True,
            f"{prefix}team__is_active": True,
            f"{prefix}municipality__is_active": True,
        }
    )


class MembershipQuerySet(models.QuerySet):
    def active(self):
        """Active memberships of active people in active teams (`active_membership_q`)."""
        return self.filter(active_membership_q())

    def loket_consultants(self):
        """Memberships as consultant of a loket team (the role `loket_consultant`)."""
        return self.filter(function=Membership.Function.CONSULTANT, team__kind=Team.Kind.LOKET)


class _MembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    # Through get_queryset(), so that outside a municipality scope these raise
    # the scope error (fail closed) like any other query; the definitions are
    # the QuerySet's.
    def active(self):
        return self.get_queryset().active()

    def loket_consultants(self):
        return self.get_queryset().loket_consultants()


def former_membership_q(prefix: str = "") -> Q:
    """A membership that ended with its team: the team was ended (`team_end`)
    and the membership ended on the team's end date, of a person whose access
    and account are still active. Its holder keeps reading what was at the team
    (`apps.access.rules`: former members of an ended team); someone who left a
    team before it ended, or left a team that still runs, does not."""
    return Q(
        **{
            f"{prefix}is_active": False,
            f"{prefix}team__is_active": False,
            f"{prefix}team__ended_on__isnull": False,
            f"{prefix}ended_on": F(f"{prefix}team__ended_on"),
            f"{prefix}staff_member__is_active": True,
            f"{prefix}staff_member__user__is_active": True,
            f"{prefix}municipality__is_active": True,
        }
    )


class Membership(DatedMixin, MunicipalityOwned, VersionedModel):
    """A person working in a team, with a function, seconded from a mother
    organisation, for a number of hours a week."""

    objects = ScopedManager(municipality="municipality", _manager_class=_MembershipManager)

    class Function(models.TextChoices):
        CONSULTANT = "consultant", _("consulent / klantmanager")
        GATE_CLARIFIER = "gate_clarifier", _("vraagverhelderaar")
        TEAM_MEMBER = "team_member", _("teamlid")
        CASE_DIRECTOR = "case_director", _("casusregisseur")
        LIAISON = "liaison", _("verbindingsfunctionaris")
        BEHAVIOURAL_EXPERT = "behavioural_expert", _("gedragsdeskundige")
        COORDINATOR = "coordinator", _("coördinator")
        SUPPORT = "support", _("ondersteuner")
        VOLUNTEER = "volunteer", _("vrijwilliger")
        # Schil (seed 004): a professional around the core team (school, GP,
        # district nurse…): works only on the cases the director asks them to
        # join, never the team's inbox or caseload.
        SHELL_PARTNER = "shell_partner", _("schilpartner")

    staff_member = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("medewerker"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships"
    )
    function = models.CharField(_("functie"), max_length=30, choices=Function.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("moederorganisatie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_("De organisatie die de medewerker detacheert; leeg als onbekend."),
    )
    hours_per_week = models.DecimalField(
        _("uren per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    mandated_laws = models.JSONField(
        _("mandaat voor wetten"),
        default=list,
        blank=True,
        help_text=_(
            "Alleen voor consulenten van het loket: de wetten waarvoor zij mogen beschikken."
        ),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    started_on = models.DateField(_("begonnen op"), default=timezone.localdate)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("teamlidmaatschap")
        verbose_name_plural = _("teamlidmaatschappen")
        ordering = ["team__name", "staff_member__user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "staff_member", "function"],
                condition=models.Q(is_active=True),
                name="membership_one_active_per_function",
                violation_error_message=_("Deze medewerker heeft deze functie in dit team al."),
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "team", "is_active"]),
            models.Index(fields=["municipality", "staff_member", "is_active"]),
        ]

    def __str__(self):
        return f"{self.staff_member.user} — {self.get_function_display()}, {self.team}"

    @property
    def is_volunteer(self) -> bool:
        return self.function == self.Function.VOLUNTEER

    @property
    def is_loket_consultant(self) -> bool:
        return self.function == self.Function.CONSULTANT and self.team.kind == Team.Kind.LOKET

    def get_mandated_laws_display(self) -> str:
        labels = dict(Law.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.mandated_laws)

    def clean(self):
        super().clean()
        errors = self.clean_dates()
        laws = self.mandated_laws or []
        if not isinstance(laws, list) or any(code not in Law.values for code in laws):
            errors["mandated_laws"] = _("Kies uit Wmo 2015, Jeugdwet en Participatiewet.")
        else:
            self.mandated_laws = sorted(set(laws), key=Law.values.index)
        if self.team_id and self.staff_member_id:
            if self.team.municipality_id != self.municipality_id:
                errors["team"] = _("Kies een team van deze gemeente.")
            if self.staff_member.municipality_id != self.municipality_id:
                errors["staff_member"] = _("Kies een medewerker van deze gemeente.")
            elif self.staff_member.is_integration:
                errors["staff_member"] = _("Een koppelingsaccount is geen lid van een team.")
            if self.mandated_laws and not self.is_loket_consultant:
                errors["mandated_laws"] = _(
                    "Alleen een consulent van een loketteam kan een mandaat hebben."
                )
        if self.organisation_id and self.organisation.municipality_id != self.municipality_id:
            errors["organisation"] = _("Kies een organisatie van deze gemeente.")
        if (
            self.is_active
            and self.team_id
            and self.staff_member_id
            and type(self)
            ._base_manager.filter(
                team_id=self.team_id,
                staff_member_id=self.staff_member_id,
                function=self.function,
                is_active=True,
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["function"] = _("Deze medewerker heeft deze functie in dit team al.")
        if errors:
            raise ValidationError(errors)
