"""Who may do what, from data.

A person's roles in a municipality follow from their StaffMember record there
(municipality admin, policy advisor) and their active team memberships (the
function, and the kind of team). `ROLE_ACTIONS` is the one table of what each
role may do; `docs/permissions.md` shows the same table and a test keeps the two
identical. Every page, API view and service asks `has_action` / `require_action`.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from apps.accounts import access_version
from apps.teams.models import Membership, Team, active_membership_q, former_membership_q


class Role(models.TextChoices):
    # Every person with active access to the municipality, whatever else they do.
    STAFF = "staff", _("medewerker")
    PLATFORM_ADMIN = "platform_admin", _("platformbeheerder")
    MUNICIPALITY_ADMIN = "municipality_admin", _("functioneel beheerder")
    POLICY_ADVISOR = "policy_advisor", _("beleidsadviseur")
    LOKET_CONSULTANT = "loket_consultant", _("loketconsulent")
    GATE_CLARIFIER = "gate_clarifier", _("vraagverhelderaar")
    TEAM_MEMBER = "team_member", _("teamlid")
    BEHAVIOURAL_EXPERT = "behavioural_expert", _("gedragsdeskundige")
    COORDINATOR = "coordinator", _("coördinator")
    VOLUNTEER = "volunteer", _("vrijwilliger")
    # Worked in a team until it was ended (not as volunteer): reads what was at
    # that team (apps.access.rules.former_team_ids), never works on it.
    FORMER_MEMBER = "former_member", _("oud-lid van een beëindigd team")
    # Schil: works only on the cases they were asked to join (apps.access.rules).
    SHELL_PARTNER = "shell_partner", _("schilpartner")


class Action(models.TextChoices):
    START_VIEW = "start.view", _("startpagina van de gemeente zien")
    ORGANISATION_VIEW = "organisation.view", _("teams, gebieden en teamleden van de gemeente zien")
    CONFIGURATION_MANAGE = (
        "configuration.manage",
        _(
            "gebieden, organisaties, teams, lidmaatschappen, leefgebieden, triageregels en "
            "intake-instellingen beheren"
        ),
    )
    STAFF_MANAGE = "staff.manage", _("medewerkers uitnodigen, rollen geven en deactiveren")
    TWO_FACTOR_RESET = (
        "two_factor.reset",
        _("de tweestapsverificatie van een medewerker opnieuw laten instellen"),
    )
    API_TOKEN_MANAGE = "api_token.manage", _("API-sleutels van de gemeente uitgeven en intrekken")
    API_TOKEN_OWN = (
        "api_token.own",
        _("eigen API-sleutels uitgeven en intrekken (niet voor een koppelingsaccount)"),
    )
    QUESTION_REGISTER = "question.register", _("een vraag of melding registreren")
    QUESTION_VIEW = (
        "question.view",
        _("inwoners en vragen zien (vragen van het eigen team, of alle als loket of poort)"),
    )
    QUESTION_HANDLE = (
        "question.handle",
        _("een vraag van het eigen team oppakken of doorsturen"),
    )
    CASE_VIEW = (
        "case.view",
        _(
            "casussen zien die men mag zien (eigen team, als vaste loketconsulent, als loket "
            "na een voorstel, of gedeeld)"
        ),
    )
    CASE_WORK = (
        "case.work",
        _(
            "een casus starten en eraan werken: activiteiten, ZRM, ondersteuningsplan, "
            "voorwerk (voorstel) indienen, regie overdragen, delen en afsluiten"
        ),
    )
    PROPOSAL_DECIDE = (
        "proposal.decide",
        _(
            "over een voorstel besluiten (toekennen, gewijzigd toekennen, afwijzen, "
            "terugsturen) binnen het eigen mandaat, en de beslistermijn opschorten of verlengen"
        ),
    )
    AUDIT_LOG_VIEW = (
        "audit_log.view",
        _(
            "de toegangslog van de gemeente doorzoeken en exporteren, en het overzicht "
            "voor een inwoner maken"
        ),
    )
    REPORT_VIEW = (
        "report.view",
        _(
            "de monitoringrapportages van de gemeente zien, aanvragen en downloaden "
            "(alleen cijfers, nooit personen)"
        ),
    )
    MUNICIPALITY_CREATE = "municipality.create", _("gemeenten en hun beheerders aanmaken")
    PLATFORM_ADMIN = (
        "platform.admin",
        _("het platformbeheer (Django-admin) gebruiken, over alle gemeenten heen"),
    )


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Action.START_VIEW: frozenset({Role.STAFF}),
    Action.ORGANISATION_VIEW: frozenset({Role.STAFF}),
    Action.CONFIGURATION_MANAGE: frozenset({Role.MUNICIPALITY_ADMIN}),
    Action.STAFF_MANAGE: frozenset({Role.MUNICIPALITY_ADMIN}),
    Action.TWO_FACTOR_RESET: frozenset({Role.MUNICIPALITY_ADMIN, Role.PLATFORM_ADMIN}),
    Action.API_TOKEN_MANAGE: frozenset({Role.MUNICIPALITY_ADMIN}),
    # Every person; an integration account (which holds `staff` only) is refused
    # by the service itself: it never logs in and never mints keys.
    Action.API_TOKEN_OWN: frozenset({Role.STAFF}),
    Action.QUESTION_REGISTER: frozenset(
        {Role.GATE_CLARIFIER, Role.LOKET_CONSULTANT, Role.TEAM_MEMBER}
    ),
    Action.QUESTION_VIEW: frozenset(
        {
            Role.GATE_CLARIFIER,
            Role.LOKET_CONSULTANT,
            Role.TEAM_MEMBER,
            Role.BEHAVIOURAL_EXPERT,
            Role.FORMER_MEMBER,
        }
    ),
    Action.QUESTION_HANDLE: frozenset({Role.LOKET_CONSULTANT, Role.TEAM_MEMBER}),
    Action.CASE_VIEW: frozenset(
        {
            Role.LOKET_CONSULTANT,
            Role.TEAM_MEMBER,
            Role.BEHAVIOURAL_EXPERT,
            Role.FORMER_MEMBER,
            Role.SHELL_PARTNER,
        }
    ),
    # A shell partner only on the cases they joined (apps.access.rules.is_case_worker).
    Action.CASE_WORK: frozenset({Role.LOKET_CONSULTANT, Role.TEAM_MEMBER, Role.SHELL_PARTNER}),
    # Only the loket grants; the service checks the mandate for the law too.
    Action.PROPOSAL_DECIDE: frozenset({Role.LOKET_CONSULTANT}),
    Action.AUDIT_LOG_VIEW: frozenset({Role.MUNICIPALITY_ADMIN}),
    Action.REPORT_VIEW: frozenset({Role.POLICY_ADVISOR, Role.MUNICIPALITY_ADMIN}),
    Action.MUNICIPALITY_CREATE: frozenset({Role.PLATFORM_ADMIN}),
    Action.PLATFORM_ADMIN: frozenset({Role.PLATFORM_ADMIN}),
}


def _membership_roles(team_kind: str, function: str) -> set[str]:
    F = Membership.Function
    if function == F.CONSULTANT and team_kind == Team.Kind.LOKET:
        return {Role.LOKET_CONSULTANT}
    return {
        F.CONSULTANT: {Role.TEAM_MEMBER},
        F.TEAM_MEMBER: {Role.TEAM_MEMBER},
        F.CASE_DIRECTOR: {Role.TEAM_MEMBER},
        F.LIAISON: {Role.TEAM_MEMBER},
        F.SUPPORT: {Role.TEAM_MEMBER},
        F.GATE_CLARIFIER: {Role.GATE_CLARIFIER},
        F.BEHAVIOURAL_EXPERT: {Role.BEHAVIOURAL_EXPERT},
        F.COORDINATOR: {Role.COORDINATOR, Role.TEAM_MEMBER},
        F.VOLUNTEER: {Role.VOLUNTEER},
        F.SHELL_PARTNER: {Role.SHELL_PARTNER},
    }.get(function, set())


@dataclass(frozen=True)
class MembershipRow:
    """One active membership of the person, as the access rules need it."""

    pk: int
    team_id: int
    team_name: str
    team_kind: str
    function: str
    organisation: str
    mandated_laws: tuple[str, ...]


@dataclass(frozen=True)
class Identity:
    """Who `user` is in one municipality now: their active staff record and their
    active memberships (`Membership.objects.active()`), read in two queries and
    kept on the user object for the length of a request. The roles follow from
    it; `apps.access` answers every object rule from it."""

    staff_id: int | None = None
    is_integration: bool = False
    roles: frozenset = frozenset()
    memberships: tuple[MembershipRow, ...] = ()
    # Memberships that ended with their (ended) team (`former_membership_q`):
    # no role, only reading what was at that team (`apps.access.rules`).
    former_memberships: tuple[MembershipRow, ...] = ()


NOBODY = Identity()
# The per-request cache on the user object: municipality pk -> Identity (and the
# `apps.access.Access` built on it). `forget_roles` drops it.
CACHE = "_municipality_roles"


def identity_for(user, municipality) -> Identity:
    """The `Identity` of `user` in `municipality` (cached on the user object for
    the length of a request). Nothing counts in an inactive municipality, for an
    inactive account or without active staff access there."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cache = user.__dict__.setdefault(CACHE, {})
    key = municipality.pk if municipality is not None else None
    if key in cache:
        return cache[key]
    if municipality is None or not municipality.is_active:
        identity = _resolve(user, municipality)  # no query
    else:
        # Shared between requests under the person's access version, when it
        # was loaded with them (apps.accounts.access_version).
        identity = access_version.cached(
            user, f"identity:{municipality.pk}", lambda: _resolve(user, municipality)
        )
    cache[key] = identity
    return identity


def _resolve(user, municipality) -> Identity:
    roles: set[str] = set()
    if user.is_superuser:
        roles.add(Role.PLATFORM_ADMIN)
    if municipality is None or not municipality.is_active:
        return Identity(roles=frozenset(roles))
    from apps.tenants.models import StaffMember

    # Explicit: the roles are looked up in the municipality passed in, whichever
    # scope is active (no crossing: the database is told that municipality only).
    with scope(municipality=municipality):
        staff = (
            StaffMember.objects.filter(municipality=municipality, user=user, is_active=True)
            .values("pk", "is_municipality_admin", "is_policy_advisor", "is_integration")
            .first()
        )
        if staff is None:
            return Identity(roles=frozenset(roles))
        roles.add(Role.STAFF)
        if staff["is_integration"]:
            # An integration account is plain staff access, whatever else the
            # data might say: an API key for it never carries a role.
            return Identity(staff_id=staff["pk"], is_integration=True, roles=frozenset(roles))
        if staff["is_municipality_admin"]:
            roles.add(Role.MUNICIPALITY_ADMIN)
        if staff["is_policy_advisor"]:
            roles.add(Role.POLICY_ADVISOR)
        # The one definition of an active membership (teams.models), and in the
        # same query the memberships that ended with their team.
        rows, former = [], []
        for (
            pk,
            team_id,
            team_name,
            team_kind,
            function,
            organisation,
            laws,
            team_is_active,
        ) in (
            Membership.objects.filter(active_membership_q() | former_membership_q())
            .filter(
                municipality=municipality,
                team__municipality=municipality,
                staff_member_id=staff["pk"],
            )
            .order_by("team__name", "function", "pk")
            .values_list(
                "pk",
                "team_id",
                "team__name",
                "team__kind",
                "function",
                "organisation__name",
                "mandated_laws",
                "team__is_active",
            )
        ):
            row = MembershipRow(
                pk=pk,
                team_id=team_id,
                team_name=team_name,
                team_kind=team_kind,
                function=function,
                organisation=organisation or "",
                mandated_laws=tuple(laws or ()),
            )
            # An active membership is in an active team; a former one never is.
            (rows if team_is_active else former).append(row)
    for row in rows:
        roles |= _membership_roles(row.team_kind, row.function)
    # A volunteer or shell partner read nothing of their team, nor after it ended.
    outside = (Membership.Function.VOLUNTEER, Membership.Function.SHELL_PARTNER)
    if any(row.function not in outside for row in former):
        roles.add(Role.FORMER_MEMBER)
    return Identity(
        staff_id=staff["pk"],
        roles=frozenset(roles),
        memberships=tuple(rows),
        former_memberships=tuple(former),
    )


def roles_for(user, municipality) -> frozenset[str]:
    """The roles `user` holds in `municipality` now (cached on the user object
    for the length of a request)."""
    return identity_for(user, municipality).roles


def has_action(user, municipality, action: str) -> bool:
    allowed = ROLE_ACTIONS.get(action)
    if allowed is None:  # an unknown action is never allowed
        return False
    return bool(roles_for(user, municipality) & allowed)


def require_action(user, municipality, action: str) -> None:
    if not has_action(user, municipality, action):
        raise PermissionDenied(_("U heeft geen recht op deze handeling."))


def forget_roles(user) -> None:
    """Drop the per-request role cache (after a change of roles); for the rest
    of the request the roles are read from the database."""
    user.__dict__.pop(CACHE, None)
    access_version.forget(user)
    user.__dict__.pop("_audit_acted_as", None)  # apps.audit.services.acted_as
