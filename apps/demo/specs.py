"""The building blocks of the demo municipalities (`seed_demo`): people with
their memberships, triage rules, residents and questions, as plain data."""

from dataclasses import dataclass, field
from datetime import date

from apps.intake.models import Resident


@dataclass
class Person:
    email: str
    name: str
    login: bool = True  # demo role accounts log in; extra team members do not
    admin: bool = False
    policy: bool = False
    # (team name, function, organisation name or None, hours or None, laws,
    # started on or None: today)
    memberships: list = field(default_factory=list)


def m(team, function, org=None, hours=None, laws=(), started_on: date | None = None):
    return (team, function, org, hours, list(laws), started_on)


@dataclass
class Rule:
    name: str
    destination: str
    team: str | None = None  # team name, for Destination.TEAM
    channel: str = ""
    is_youth: bool | None = None
    law: str = ""


@dataclass
class DemoResident:
    """A fictional resident. The BSNs are generated: they pass the 11-test and lie
    in the 99999… range that Dutch test environments use for test persons (chosen
    so they are unlikely to be anyone's number)."""

    bsn: str
    first_names: str
    surname: str
    age: int  # years, on the day the demo is first loaded
    area: str
    relation: str = Resident.Relation.APPLICANT
    surname_prefix: str = ""


@dataclass
class DemoQuestion:
    resident_bsn: str
    days_ago: int
    channel: str
    gate: str  # team name
    received_by: str  # staff e-mail
    description: str
    life_domains: list
    laws: list = field(default_factory=list)
    reporter_name: str = ""
    reporter_relation: str = ""
    # Forwarded after registration: (to team, reason).
    forward: tuple[str, str] | None = None
