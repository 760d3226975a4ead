from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import gettext_lazy as _

from apps.teams.models import (
    Area,
    Law,
    Membership,
    Organisation,
    Team,
    TeamLocation,
    active_membership_q,
)
from apps.tenants.models import RoleChange, StaffMember
from apps.tenants.permissions import Role, identity_for


def teams_linked_to(municipality, staff_id) -> list[int]:
    """The active teams of `municipality` whose linked loket consultant
    (`Team.linked_loket_consultant`) is staff member `staff_id`: data only; that
    the link counts only while they work at the loket is the rule of
    `apps.access.rules.linked_team_ids`."""
    return list(
        Team.objects.filter(
            municipality=municipality, is_active=True, linked_loket_consultant_id=staff_id
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def team_list():
    """Teams of the active municipality with their areas and member counts, in a
    fixed number of queries."""
    return (
        Team.objects.select_related("run_by", "linked_loket_consultant__user", "successor")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
        .annotate(
            member_count=Count(
                "memberships",
                filter=active_membership_q("memberships__")
                & ~Q(memberships__function=Membership.Function.VOLUNTEER),
                distinct=True,
            ),
            volunteer_count=Count(
                "memberships",
                filter=active_membership_q("memberships__")
                & Q(memberships__function=Membership.Function.VOLUNTEER),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def membership_list(*, team=None):
    qs = Membership.objects.select_related("team", "organisation", "staff_member__user").order_by(
        "team__name", "staff_member__user__full_name", "function"
    )
    if team is not None:
        qs = qs.filter(team=team)
    return qs


def staff_list():
    return StaffMember.objects.select_related("user").order_by("user__full_name")


def organisation_list():
    return (
        Organisation.objects.select_related("shared")
        .annotate(member_count=Count("memberships", filter=active_membership_q("memberships__")))
        .order_by("name")
    )


def area_list():
    return Area.objects.annotate(team_count=Count("teams", distinct=True)).order_by("name")


def start_page_overview(*, user, municipality, roles) -> dict:
    """What the start page shows a person: their teams and functions, colleagues
    per team, the mandate of a loket consultant, the kernteams a consultant is
    linked to, and for the admin the size of the configuration."""
    my_memberships = list(
        Membership.objects.active()
        .filter(staff_member__user=user)
        .select_related("team", "organisation")
        .order_by("team__name")
    )
    team_ids = {m.team_id for m in my_memberships}
    colleagues = (
        Membership.objects.active()
        .filter(team_id__in=team_ids)
        .exclude(staff_member__user=user)
        .select_related("staff_member__user", "organisation")
        .order_by("staff_member__user__full_name")
    )
    by_team: dict[int, list] = {}
    for membership in colleagues:
        by_team.setdefault(membership.team_id, []).append(membership)
    teams = [
        {"membership": m, "team": m.team, "colleagues": by_team.get(m.team_id, [])}
        for m in my_memberships
    ]
    overview = {
        "my_teams": teams,
        "mandated_laws": sorted(
            {
                m.get_mandated_laws_display()
                for m in my_memberships
                if m.is_loket_consultant and m.mandated_laws
            }
        ),
        "linked_teams": [],
        "config_counts": None,
        "composition": None,
    }
    if Role.LOKET_CONSULTANT in roles:
        # The teams that count for `apps.access.rules.linked_team_ids`: only while
        # a loket consultant (the guard above).
        staff_id = identity_for(user, municipality).staff_id
        overview["linked_teams"] = list(
            Team.objects.filter(pk__in=teams_linked_to(municipality, staff_id)).order_by("name")
        )
    if Role.MUNICIPALITY_ADMIN in roles:
        overview["config_counts"] = {
            "areas": Area.objects.filter(is_active=True).count(),
            "organisations": Organisation.objects.filter(is_active=True).count(),
            "teams": Team.objects.filter(is_active=True).count(),
            "staff": StaffMember.objects.filter(is_active=True).count(),
        }
    if Role.POLICY_ADVISOR in roles:
        overview["composition"] = team_composition()
    return overview


def team_composition():
    """Members per mother organisation per team, and volunteers: aggregates only
    (the policy advisor sees no persons)."""
    rows = (
        Membership.objects.active()
        .values("team__name", "organisation__name")
        .annotate(
            professionals=Count("pk", filter=~Q(function=Membership.Function.VOLUNTEER)),
            volunteers=Count("pk", filter=Q(function=Membership.Function.VOLUNTEER)),
            hours=Sum("hours_per_week"),
        )
        .order_by("team__name", "organisation__name")
    )
    return list(rows)


ROLE_FIELD_LABELS = {
    "is_active": _("toegang"),
    "is_municipality_admin": _("functioneel beheerder"),
    "is_policy_advisor": _("beleidsadviseur"),
    "team": _("team"),
    "function": _("functie"),
    "mandated_laws": _("mandaat voor wetten"),
    "team_kind": _("soort team"),
    "team_is_active": _("team actief"),
    "linked_team": _("vaste loketconsulent van team"),
}


def _role_value(field, value) -> str:
    if value is None or value == []:
        return "–"
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if field == "function":
        return str(dict(Membership.Function.choices).get(value, value))
    if field == "team_kind":
        return str(dict(Team.Kind.choices).get(value, value))
    if field == "mandated_laws":
        labels = dict(Law.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    return str(value)


def role_history(staff_member, limit: int = 100) -> list[dict]:
    """The newest changes of a person's access, roles, memberships and
    mandates (the append-only `RoleChange`), as rows for the staff page: when,
    by whom (as they were named then), what, and per field before → after."""
    entries = (
        RoleChange.objects.filter(staff_member=staff_member)
        .select_related("membership__team")
        .order_by("-at", "-pk")[:limit]
    )
    return [
        {
            "at": entry.at,
            "by": entry.by_label or _("beheerder op de server"),
            "what": (
                f"{entry.get_kind_display()}: {entry.membership.team.name}"
                if entry.membership_id
                else entry.get_kind_display()
            ),
            "changes": [
                (
                    ROLE_FIELD_LABELS.get(field, field),
                    _role_value(field, values[0]),
                    _role_value(field, values[1]),
                )
                for field, values in entry.changes.items()
            ],
        }
        for entry in entries
    ]


def team_location_list():
    """Walk-in locations of the active municipality with their team (#19)."""
    return TeamLocation.objects.select_related("team").order_by("team__name", "name")
