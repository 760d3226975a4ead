"""Who acted, as the access log pages show it (the organisation, team and
function at the time, from the entry's `acted_as`): the labels of functions and
roles live in teams and tenants, above the kernel's audit app."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.audit.models import AccessLogEntry
from apps.audit.selectors import object_type_label
from apps.teams.models import Membership
from apps.tenants.permissions import Role


@dataclass(frozen=True)
class Actor:
    """Who acted, as the organisation, team and function they acted in: what
    the overview for a resident shows instead of a name."""

    organisation: str
    team: str
    function: str


def actors_of(entry: AccessLogEntry, municipality_name: str) -> list[Actor]:
    """The organisation, team and function of the person behind `entry` at the
    time (one per team membership they had then, and one per role without a
    team). A team member seconded by a mother organisation shows that
    organisation; otherwise the municipality."""
    if entry.user_id is None:
        return [Actor(municipality_name, "", _("systeem (automatische verwerking)"))]
    acted = entry.acted_as or {}
    functions = dict(Membership.Function.choices)
    found = [
        Actor(
            m.get("organisation") or municipality_name,
            m.get("team", ""),
            str(functions.get(m.get("function"), m.get("function", ""))),
        )
        for m in acted.get("memberships", [])
    ]
    without_team = {
        Role.MUNICIPALITY_ADMIN: (municipality_name, Role.MUNICIPALITY_ADMIN.label),
        Role.POLICY_ADVISOR: (municipality_name, Role.POLICY_ADVISOR.label),
        Role.PLATFORM_ADMIN: (_("beheerder van het portaal"), Role.PLATFORM_ADMIN.label),
    }
    for role in acted.get("roles", []):
        if role in without_team:
            organisation, label = without_team[role]
            found.append(Actor(str(organisation), "", str(label)))
    if not found:
        if entry.channel == AccessLogEntry.Channel.API:
            found.append(Actor(municipality_name, "", _("koppeling met een ander systeem")))
        else:
            found.append(Actor(municipality_name, "", _("medewerker")))
    # The same organisation, team and function twice says nothing new.
    return list(dict.fromkeys(found))


def acted_as_summary(entry: AccessLogEntry, municipality_name: str) -> str:
    """One line for the log page and its CSV: 'casusregisseur, Kernteam Elst (STUW)'."""
    parts = []
    for actor in actors_of(entry, municipality_name):
        text = actor.function
        if actor.team:
            text = f"{text}, {actor.team}"
        if actor.organisation and actor.organisation != municipality_name:
            text = f"{text} ({actor.organisation})"
        parts.append(text)
    return "; ".join(parts)


def label_entries(entries, staff, municipality_name: str) -> None:
    """Set what the log page shows beside each entry: the staff member to link
    to (`staff_pk`), the kind of data in words and who acted as what."""
    staff_by_user = {s.user_id: s.pk for s in staff}
    for entry in entries:
        entry.staff_pk = staff_by_user.get(entry.user_id)
        entry.object_type_text = object_type_label(entry.object_type)
        entry.acted_as_text = acted_as_summary(entry, municipality_name)
