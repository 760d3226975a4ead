"""Load the demo municipalities of the seed documents (local demo only).

Built as the documents in shared/seeds describe them; where a document is silent
(areas of Ouder-Amstel and Steenwijkerland, the composition of the kernteams
other than Elst, hours) the data below says "assumption" in a comment.
Running it twice changes nothing: every object is found by its natural key
and only created when missing; existing objects are left as they are.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.core.services import save_versioned
from apps.decisions.models import ProvisionType, Unit
from apps.demo.documents import (
    DOCUMENT_INTAKE,
    DOCUMENT_LETTER_SETTINGS,
    DOCUMENT_MUNICIPALITIES,
    DOCUMENT_RESIDENTS,
    link_executing_organisations,
)
from apps.demo.history import seed_history
from apps.demo.objections import seed_objections
from apps.demo.providers import seed_providers
from apps.demo.specs import DemoQuestion, DemoResident, Person, Rule, m
from apps.demo.work import seed_present_day_work
from apps.intake import services as intake
from apps.intake.models import (
    ZRM_LIFE_DOMAINS,
    Channel,
    Destination,
    Household,
    IntakeSettings,
    LifeDomain,
    Question,
    Resident,
    TriageRule,
)
from apps.letters.services import letter_templates_create_defaults
from apps.teams.models import Area, Law, Membership, Organisation, Team
from apps.tenants.models import Municipality, StaffMember

# The one password of every demo account. Local demo only: documented in the
# README as such, and the command refuses to run with DEBUG off unless told.
DEMO_PASSWORD = "Toegang-demo-2026"  # nosec B105
PLATFORM_ADMIN_EMAIL = "platform@demo.test"

F = Membership.Function
K = Team.Kind
O = Organisation.Kind  # noqa: E741
WMO, JW, PW = Law.WMO, Law.JEUGDWET, Law.PARTICIPATIEWET


DUO_CONSULTANT = "klantmanager@duoplus.demo.test"
DUO_GATE = "kcc@duoplus.demo.test"

MUNICIPALITIES = [
    {
        "name": "Overbetuwe",
        "cbs_code": "GM1734",
        # 002: the kernen; Randwijk and Valburg have no kernteam of their own.
        "areas": [
            "Elst",
            "Driel",
            "Heteren",
            "Zetten-Hemmen",
            "Oosterhout/Slijk-Ewijk",
            "Herveld-Andelst",
            "Randwijk",
            "Valburg",
        ],
        "organisations": [
            ("Gemeente Overbetuwe", O.MUNICIPALITY),
            ("STUW", O.MOTHER),
            ("MEE", O.MOTHER),
            ("Algemeen Maatschappelijk Werk (STMR)", O.MOTHER),
            ("RIBW", O.MOTHER),
            ("De Driestroom", O.MOTHER),
        ],
        # (name, kind, access, areas, run by, linked loket consultant e-mail)
        "teams": [
            ("Loket Samenleven", K.LOKET, "direct", [], "Gemeente Overbetuwe", None),
            (
                "Kernteam Elst",
                K.KERNTEAM,
                "direct",
                ["Elst"],
                None,
                "consulent@overbetuwe.demo.test",
            ),
            (
                "Kernteam Driel",
                K.KERNTEAM,
                "direct",
                ["Driel", "Randwijk"],
                None,
                "consulent@overbetuwe.demo.test",
            ),
            (
                "Kernteam Heteren",
                K.KERNTEAM,
                "direct",
                ["Heteren"],
                None,
                "consulent@overbetuwe.demo.test",
            ),
            (
                "Kernteam Zetten-Hemmen",
                K.KERNTEAM,
                "direct",
                ["Zetten-Hemmen"],
                None,
                "jeugdconsulent@overbetuwe.demo.test",
            ),
            (
                "Kernteam Oosterhout/Slijk-Ewijk",
                K.KERNTEAM,
                "direct",
                ["Oosterhout/Slijk-Ewijk", "Valburg"],
                None,
                "jeugdconsulent@overbetuwe.demo.test",
            ),
            (
                "Kernteam Herveld-Andelst",
                K.KERNTEAM,
                "direct",
                ["Herveld-Andelst"],
                None,
                "jeugdconsulent@overbetuwe.demo.test",
            ),
            (
                "Lokaal Expertiseteam Jeugd Overbetuwe (LEJO)",
                K.EXPERTISE,
                "referral",
                [],
                "Gemeente Overbetuwe",
                None,
            ),
        ],
        "people": [
            Person("beheerder@overbetuwe.demo.test", "Anouk de Beheerder", admin=True),
            Person("beleid@overbetuwe.demo.test", "Bas Beleid", policy=True),
            Person(
                "consulent@overbetuwe.demo.test",
                "Carla Consulent",
                memberships=[
                    m("Loket Samenleven", F.CONSULTANT, "Gemeente Overbetuwe", 36, [WMO, JW])
                ],
            ),
            Person(
                "jeugdconsulent@overbetuwe.demo.test",
                "Jeroen Jeugdconsulent",
                login=False,
                memberships=[m("Loket Samenleven", F.CONSULTANT, "Gemeente Overbetuwe", 32, [JW])],
            ),
            # Not in 002: a consultant of the loket who handles objections (bezwaar),
            # so the demo can decide on an objection against the decision of a
            # colleague: whoever made a decision never decides on the objection
            # against it (Awb 7:5). An assumption.
            Person(
                "bezwaar@overbetuwe.demo.test",
                "Bram Bezwaarbehandelaar",
                memberships=[
                    m("Loket Samenleven", F.CONSULTANT, "Gemeente Overbetuwe", 16, [WMO, JW])
                ],
            ),
            Person(
                "vraagverhelderaar@overbetuwe.demo.test",
                "Vera Vraagverhelderaar",
                memberships=[m("Loket Samenleven", F.GATE_CLARIFIER, "Gemeente Overbetuwe", 32)],
            ),
            # Kernteam Elst: 002 lists Elst Noord/Oost/Zuid, taken together here
            # as in the report's statistics: one STUW worker for all three, MEE
            # per team, two volunteers per team, one RIBW and one Driestroom.
            Person(
                "kernteamlid@overbetuwe.demo.test",
                "Kees Kernteamlid",
                memberships=[m("Kernteam Elst", F.TEAM_MEMBER, "MEE", 24)],
            ),
            Person(
                "coordinator@overbetuwe.demo.test",
                "Corrie Coördinator",
                memberships=[m("Kernteam Elst", F.COORDINATOR, "STUW", 28)],
            ),
            Person(
                "vrijwilliger@overbetuwe.demo.test",
                "Vincent Vrijwilliger",
                memberships=[m("Kernteam Elst", F.VOLUNTEER, None, 4)],
            ),
            Person(
                "gedragsdeskundige@overbetuwe.demo.test",
                "Gerda Gedragsdeskundige",
                memberships=[
                    m(
                        "Lokaal Expertiseteam Jeugd Overbetuwe (LEJO)",
                        F.BEHAVIOURAL_EXPERT,
                        "Gemeente Overbetuwe",
                        8,
                    )
                ],
            ),
            Person(
                "mee.elst2@overbetuwe.demo.test",
                "Mirjam van MEE",
                login=False,
                memberships=[m("Kernteam Elst", F.TEAM_MEMBER, "MEE", 20)],
            ),
            Person(
                "mee.elst3@overbetuwe.demo.test",
                "Mohamed van MEE",
                login=False,
                memberships=[m("Kernteam Elst", F.TEAM_MEMBER, "MEE", 20)],
            ),
            Person(
                "ribw.elst@overbetuwe.demo.test",
                "Rob van RIBW",
                login=False,
                memberships=[m("Kernteam Elst", F.TEAM_MEMBER, "RIBW", 16)],
            ),
            Person(
                "driestroom.elst@overbetuwe.demo.test",
                "Dewi van De Driestroom",
                login=False,
                memberships=[m("Kernteam Elst", F.TEAM_MEMBER, "De Driestroom", 16)],
            ),
            *[
                Person(
                    f"vrijwilliger.elst{i}@overbetuwe.demo.test",
                    f"Vrijwilliger Elst {i}",
                    login=False,
                    memberships=[m("Kernteam Elst", F.VOLUNTEER, None, 4)],
                )
                for i in range(2, 7)
            ],
            # Other kernteams: 002 gives only the make-up (STUW + MEE + at least
            # one volunteer); one of each is an assumption. Herveld-Andelst and
            # Oosterhout have no volunteer yet (002: "twee potentiële vrijwilligers").
            *[
                Person(
                    f"stuw.{slug}@overbetuwe.demo.test",
                    f"STUW-medewerker {name}",
                    login=False,
                    memberships=[m(f"Kernteam {name}", F.TEAM_MEMBER, "STUW", 16)],
                )
                for slug, name in [
                    ("driel", "Driel"),
                    ("heteren", "Heteren"),
                    ("zetten", "Zetten-Hemmen"),
                    ("oosterhout", "Oosterhout/Slijk-Ewijk"),
                    ("herveld", "Herveld-Andelst"),
                ]
            ],
            *[
                Person(
                    f"mee.{slug}@overbetuwe.demo.test",
                    f"MEE-medewerker {name}",
                    login=False,
                    memberships=[m(f"Kernteam {name}", F.TEAM_MEMBER, "MEE", 16)],
                )
                for slug, name in [
                    ("driel", "Driel"),
                    ("heteren", "Heteren"),
                    ("zetten", "Zetten-Hemmen"),
                    ("oosterhout", "Oosterhout/Slijk-Ewijk"),
                    ("herveld", "Herveld-Andelst"),
                ]
            ],
            *[
                Person(
                    f"vrijwilliger.{slug}@overbetuwe.demo.test",
                    f"Vrijwilliger {name}",
                    login=False,
                    memberships=[m(f"Kernteam {name}", F.VOLUNTEER, None, 4)],
                )
                for slug, name in [
                    ("driel", "Driel"),
                    ("heteren", "Heteren"),
                    ("zetten", "Zetten-Hemmen"),
                ]
            ],
        ],
    },
    {
        "name": "Uithoorn",
        "cbs_code": "GM0451",
        "areas": ["Thamerdal", "Zijdelwaard", "Europarei"],  # 003: the wijken named
        "organisations": [
            ("Gemeente Uithoorn", O.MUNICIPALITY),
            ("DUO+", O.EXECUTING),
            ("Detacheringsbureau", O.MOTHER),
            ("Uithoorn voor Elkaar", O.PARTNER),
        ],
        "teams": [
            ("Sociaal Loket", K.LOKET, "direct", [], "DUO+", None),
            (
                "Sociaal Team Uithoorn",
                K.SOCIAL_TEAM,
                "referral",
                [],
                "Gemeente Uithoorn",
                DUO_CONSULTANT,
            ),
        ],
        "people": [
            Person("beheerder@uithoorn.demo.test", "Ursula de Beheerder", admin=True),
            Person("beleid@uithoorn.demo.test", "Umar Beleid", policy=True),
            Person(
                DUO_CONSULTANT,
                "Dana Klantmanager (DUO+)",
                memberships=[m("Sociaal Loket", F.CONSULTANT, "DUO+", 36, [WMO, JW, PW])],
            ),
            Person(
                DUO_GATE,
                "Dirk KCC (DUO+)",
                memberships=[m("Sociaal Loket", F.GATE_CLARIFIER, "DUO+", 32)],
            ),
            Person(
                "casusregisseur@uithoorn.demo.test",
                "Cas Casusregisseur",
                memberships=[m("Sociaal Team Uithoorn", F.CASE_DIRECTOR, "Gemeente Uithoorn", 32)],
            ),
            Person(
                "coordinator@uithoorn.demo.test",
                "Coby Coördinator",
                memberships=[m("Sociaal Team Uithoorn", F.COORDINATOR, "Gemeente Uithoorn", 32)],
            ),
            Person(
                "gedragsdeskundige@uithoorn.demo.test",
                "Gijs Gedragsdeskundige",
                memberships=[
                    m("Sociaal Team Uithoorn", F.BEHAVIOURAL_EXPERT, "Gemeente Uithoorn", 16)
                ],
            ),
            # No volunteers are named in 003; one from the network is an assumption.
            Person(
                "vrijwilliger@uithoorn.demo.test",
                "Vera Vrijwilliger",
                memberships=[m("Sociaal Team Uithoorn", F.VOLUNTEER, "Uithoorn voor Elkaar", 4)],
            ),
            # 003: eight case directors, one of them the liaison with the loket,
            # mostly seconded through a detacheringsbureau.
            Person(
                "verbinder@uithoorn.demo.test",
                "Lotte Verbindingsfunctionaris",
                login=False,
                memberships=[m("Sociaal Team Uithoorn", F.LIAISON, "Gemeente Uithoorn", 32)],
            ),
            *[
                Person(
                    f"casusregisseur{i}@uithoorn.demo.test",
                    f"Casusregisseur {i}",
                    login=False,
                    memberships=[
                        m("Sociaal Team Uithoorn", F.CASE_DIRECTOR, "Detacheringsbureau", 32)
                    ],
                )
                for i in range(2, 8)
            ],
            Person(
                "werkbegeleiding@uithoorn.demo.test",
                "Adviseur Werkbegeleiding",
                login=False,
                memberships=[m("Sociaal Team Uithoorn", F.SUPPORT, "Gemeente Uithoorn", None)],
            ),
            Person(
                "ondersteuning@uithoorn.demo.test",
                "Administratief Ondersteuner",
                login=False,
                memberships=[m("Sociaal Team Uithoorn", F.SUPPORT, "Gemeente Uithoorn", 24)],
            ),
        ],
    },
    {
        "name": "Ouder-Amstel",
        "cbs_code": "GM0437",
        # Not in 003 (its chapter on Ouder-Amstel is missing): the two kernen of
        # the municipality, an assumption.
        "areas": ["Ouderkerk aan de Amstel", "Duivendrecht"],
        "organisations": [
            ("Gemeente Ouder-Amstel", O.MUNICIPALITY),
            ("DUO+", O.EXECUTING),
            ("Maatschappelijke partners", O.MOTHER),
        ],
        "teams": [
            ("Zorgadviespunt", K.LOKET, "direct", [], "DUO+", None),
            # 003's table: the Zorgadviespunt's klantmanagers assess Wmo and
            # Jeugdwet; the Participatiewet is DUO+'s "Klantmanagers Werk &
            # Inkomen", a loket team of its own here (#19).
            ("Klantmanagers Werk & Inkomen", K.LOKET, "direct", [], "DUO+", None),
            (
                "Kernteam Ouder-Amstel",
                K.KERNTEAM,
                "referral",
                [],
                "Gemeente Ouder-Amstel",
                DUO_CONSULTANT,
            ),
        ],
        "people": [
            Person("beheerder@ouder-amstel.demo.test", "Olga de Beheerder", admin=True),
            Person("beleid@ouder-amstel.demo.test", "Otto Beleid", policy=True),
            # The same DUO+ people as in Uithoorn: one account, two municipalities,
            # mandated per law as 003 describes each (#19).
            Person(
                DUO_CONSULTANT,
                "Dana Klantmanager (DUO+)",
                memberships=[
                    m("Zorgadviespunt", F.CONSULTANT, "DUO+", 28, [WMO, JW]),
                    m("Klantmanagers Werk & Inkomen", F.CONSULTANT, "DUO+", 8, [PW]),
                ],
            ),
            Person(
                DUO_GATE,
                "Dirk KCC (DUO+)",
                memberships=[m("Zorgadviespunt", F.GATE_CLARIFIER, "DUO+", 32)],
            ),
            Person(
                "casusregisseur@ouder-amstel.demo.test",
                "Karin Casusregisseur",
                memberships=[
                    m("Kernteam Ouder-Amstel", F.CASE_DIRECTOR, "Gemeente Ouder-Amstel", 32)
                ],
            ),
            Person(
                "coordinator@ouder-amstel.demo.test",
                "Koen Coördinator",
                memberships=[
                    m("Kernteam Ouder-Amstel", F.COORDINATOR, "Gemeente Ouder-Amstel", 32)
                ],
            ),
            Person(
                "gedragswetenschapper@ouder-amstel.demo.test",
                "Greet Gedragswetenschapper",
                memberships=[
                    m("Kernteam Ouder-Amstel", F.BEHAVIOURAL_EXPERT, "Gemeente Ouder-Amstel", 16)
                ],
            ),
            Person(
                "vrijwilliger@ouder-amstel.demo.test",
                "Vik Vrijwilliger",
                memberships=[m("Kernteam Ouder-Amstel", F.VOLUNTEER, None, 4)],
            ),
            Person(
                "casusregisseur2@ouder-amstel.demo.test",
                "Casusregisseur 2",
                login=False,
                memberships=[
                    m("Kernteam Ouder-Amstel", F.CASE_DIRECTOR, "Maatschappelijke partners", 24)
                ],
            ),
        ],
    },
    {
        "name": "Steenwijkerland",
        "cbs_code": "GM1708",
        # 004 names no areas; these kernen are an assumption.
        "areas": ["Steenwijk", "Vollenhove", "Giethoorn", "Oldemarkt"],
        "organisations": [
            ("Gemeente Steenwijkerland", O.MUNICIPALITY),
            ("IGSD", O.EXECUTING),
            ("CJG-partners", O.MOTHER),
            ("Algemeen maatschappelijk werk", O.PARTNER),
            ("Cliëntondersteuning", O.PARTNER),
            ("Jeugdgezondheidszorg", O.PARTNER),
            ("Wijkverpleging", O.PARTNER),
            ("Huisartsen", O.PARTNER),
            ("Scholen en kinderdagverblijven", O.PARTNER),
            ("Woningcorporaties", O.PARTNER),
        ],
        "teams": [
            # 004 does not say who grants; the municipality's own desk is an
            # assumption so the rule "only the loket grants" holds here too.
            ("Loket Steenwijkerland", K.LOKET, "direct", [], "Gemeente Steenwijkerland", None),
            (
                "Gebiedsteam Jeugd en Wmo",
                K.GEBIEDSTEAM,
                "direct",
                ["Steenwijk", "Vollenhove", "Giethoorn", "Oldemarkt"],
                "Gemeente Steenwijkerland",
                "consulent@steenwijkerland.demo.test",
            ),
        ],
        "people": [
            Person("beheerder@steenwijkerland.demo.test", "Sanne de Beheerder", admin=True),
            Person("beleid@steenwijkerland.demo.test", "Sem Beleid", policy=True),
            Person(
                "consulent@steenwijkerland.demo.test",
                "Stijn Consulent",
                memberships=[
                    m(
                        "Loket Steenwijkerland",
                        F.CONSULTANT,
                        "Gemeente Steenwijkerland",
                        36,
                        [WMO, JW],
                    )
                ],
            ),
            Person(
                "vraagverhelderaar@steenwijkerland.demo.test",
                "Sara Vraagverhelderaar",
                memberships=[
                    m("Gebiedsteam Jeugd en Wmo", F.GATE_CLARIFIER, "Gemeente Steenwijkerland", 24)
                ],
            ),
            # Core team: consultants / youth workers under municipal direction.
            Person(
                "gebiedsteamlid@steenwijkerland.demo.test",
                "Gert Gebiedsteamlid",
                memberships=[m("Gebiedsteam Jeugd en Wmo", F.TEAM_MEMBER, "CJG-partners", 32)],
            ),
            Person(
                "teamleider@steenwijkerland.demo.test",
                "Tineke Teamleider",
                memberships=[
                    m("Gebiedsteam Jeugd en Wmo", F.COORDINATOR, "Gemeente Steenwijkerland", 36)
                ],
            ),
            Person(
                "gedragsdeskundige@steenwijkerland.demo.test",
                "Guus Gedragsdeskundige",
                memberships=[
                    m("Gebiedsteam Jeugd en Wmo", F.BEHAVIOURAL_EXPERT, "CJG-partners", 8)
                ],
            ),
            Person(
                "vrijwilliger@steenwijkerland.demo.test",
                "Vos Vrijwilliger",
                memberships=[m("Gebiedsteam Jeugd en Wmo", F.VOLUNTEER, None, 4)],
            ),
            Person(
                "jeugdwerker@steenwijkerland.demo.test",
                "Jeugdwerker Gebiedsteam",
                login=False,
                memberships=[m("Gebiedsteam Jeugd en Wmo", F.TEAM_MEMBER, "CJG-partners", 32)],
            ),
            # The shell (004): partners who join the cases they are asked to
            # join, for a few hours; never the team's inbox or caseload.
            Person(
                "amw@steenwijkerland.demo.test",
                "Maatschappelijk werker (schil)",
                memberships=[
                    m(
                        "Gebiedsteam Jeugd en Wmo",
                        F.SHELL_PARTNER,
                        "Algemeen maatschappelijk werk",
                        4,
                    )
                ],
            ),
            Person(
                "wijkverpleging@steenwijkerland.demo.test",
                "Wijkverpleegkundige (schil)",
                login=False,
                memberships=[m("Gebiedsteam Jeugd en Wmo", F.SHELL_PARTNER, "Wijkverpleging", 4)],
            ),
            Person(
                "jgz@steenwijkerland.demo.test",
                "JGZ-verpleegkundige (schil)",
                login=False,
                memberships=[
                    m("Gebiedsteam Jeugd en Wmo", F.SHELL_PARTNER, "Jeugdgezondheidszorg", 4)
                ],
            ),
        ],
    },
]


# --- Intake: life domains, triage, demo residents ---------------------------------

# 002, table "Leefgebied ZRM": the eleven domains of Overbetuwe's report, named as
# the report names them ("Meedoen/maatsch. part." written out).
OVERBETUWE_LIFE_DOMAINS = [
    "Lichamelijk gezond",
    "Wonen",
    "Gezinsrelaties",
    "Justitie",
    "Werk en bezigheid",
    "Geld",
    "Meedoen en maatschappelijke participatie",
    "Verslaving",
    "Sociale relaties",
    "Geestelijk gezond",
    "Huishouden/verzorging",
]


# Per municipality (by CBS code): its life domains (None: the ZRM defaults), the
# default destination (and team), and the triage rules in order. Rules are only
# loaded into a municipality that has none, so a re-run never undoes an admin's
# changes or adds a rule twice.
INTAKE = {
    # 002 §2 "Aandachtsgebied jeugd": youth questions that come in at (the gate
    # of) a kernteam are passed on to the Loket Samenleven, and Veilig Thuis
    # reports always go to the loket. Every other question goes to the kernteam
    # of the resident's kern (Randwijk and Valburg: the kernteams that serve
    # them here); a resident whose kern is unknown ends at the loket.
    "GM1734": {
        "life_domains": OVERBETUWE_LIFE_DOMAINS,
        "default": (Destination.AREA_TEAM, None),
        "rules": [
            Rule(
                "Meldingen Veilig Thuis altijd naar het loket",
                Destination.LOKET,
                channel=Channel.VEILIG_THUIS,
            ),
            Rule("Jeugdvragen naar het loket", Destination.LOKET, is_youth=True),
        ],
    },
    # 003 §3.3: the Sociaal Loket is the directly accessible access; the Sociaal
    # Team takes households only by referral (from the loket, a GP, ...). So
    # every question starts at the loket, which forwards it when needed.
    "GM0451": {
        "life_domains": None,
        "default": (Destination.LOKET, None),
        "rules": [],
    },
    # 003 (overview table): the Zorgadviespunt (DUO+) is the access; the Kernteam
    # only by referral. Participatiewet questions go to DUO+'s klantmanagers Werk
    # & Inkomen (a loket team here, #19). The default names the Zorgadviespunt:
    # with two loket teams, "the loket" would be the first by name.
    "GM0437": {
        "life_domains": None,
        "default": (Destination.TEAM, "Zorgadviespunt"),
        "rules": [
            Rule(
                "Participatiewet naar Werk & Inkomen",
                Destination.TEAM,
                "Klantmanagers Werk & Inkomen",
                law=Law.PARTICIPATIEWET,
            ),
        ],
    },
    # 004: the integrated gebiedsteam Jeugd en Wmo is the one recognisable access
    # for care questions; the Participatiewet stays with the sociale dienst (IGSD)
    # until it joins the team. Assumptions: one gebiedsteam serves all areas, so
    # it is the default team (also for a resident whose area is unknown); the
    # demo has no IGSD team, so Participatiewet questions go to the loket; 004
    # says nothing about Veilig Thuis, which thus goes to the gebiedsteam (which
    # took over the CJG).
    "GM1708": {
        "life_domains": None,
        "default": (Destination.TEAM, "Gebiedsteam Jeugd en Wmo"),
        "rules": [
            Rule(
                "Participatiewet naar het loket (de sociale dienst is nog geen deel van het "
                "gebiedsteam)",
                Destination.LOKET,
                law=Law.PARTICIPATIEWET,
            ),
        ],
    },
}


OVERBETUWE_HOUSEHOLDS = {
    "Huishouden Verhoeven": [DemoResident("999990007", "Gerrit", "Verhoeven", 79, "Elst")],
    "Huishouden Bakker": [
        DemoResident("999990056", "Sandra", "Bakker", 44, "Heteren"),
        DemoResident(
            "999990147", "Noah", "Bakker", 15, "Heteren", relation=Resident.Relation.CHILD
        ),
    ],
    "Huishouden Smit": [
        DemoResident("999990196", "Linda", "Smit", 37, "Zetten-Hemmen"),
        DemoResident("999990238", "Daan", "Smit", 8, "Zetten-Hemmen", Resident.Relation.CHILD),
    ],
    "Huishouden Van Dijk": [
        DemoResident("999990287", "Hendrik", "Dijk", 63, "Randwijk", surname_prefix="van"),
    ],
}

LOKET = "Loket Samenleven"
GATE = "vraagverhelderaar@overbetuwe.demo.test"

# Registered through the intake service as a trusted operator, so Overbetuwe's
# triage rules really decide where each question lands.
OVERBETUWE_QUESTIONS = [
    # An adult of Elst phones the kernteam: no rule applies, the default sends
    # it to the kernteam of Elst. A Wmo report: its investigation is due soon.
    DemoQuestion(
        "999990007",
        38,
        Channel.TELEPHONE,
        "Kernteam Elst",
        "kernteamlid@overbetuwe.demo.test",
        "Meneer belt zelf. Sinds zijn vrouw is overleden lukt het huishouden niet meer en hij "
        "komt de deur weinig uit. Hij vraagt of iemand kan helpen.",
        ["Huishouden/verzorging", "Sociale relaties"],
        [Law.WMO],
    ),
    # The mother e-mails the loket about her son of 15: the youth rule keeps it
    # at the loket, which sends it on (with the reason) to the kernteam of Heteren.
    DemoQuestion(
        "999990147",
        6,
        Channel.EMAIL,
        LOKET,
        GATE,
        "Moeder mailt: Noah zit na schooltijd veel alleen thuis en zoekt aansluiting bij "
        "leeftijdgenoten. Ze vraagt wat er in Heteren te doen is.",
        ["Werk en bezigheid", "Meedoen en maatschappelijke participatie"],
        forward=(
            "Kernteam Heteren",
            "Lichte vraag zonder jeugdhulp: het kernteam kent het aanbod in Heteren en kan een "
            "vrijwilliger of activiteit zoeken.",
        ),
    ),
    # A Veilig Thuis report always goes to the loket (the first rule).
    DemoQuestion(
        "999990196",
        1,
        Channel.VEILIG_THUIS,
        LOKET,
        GATE,
        "Veilig Thuis meldt zorgen over spanningen thuis; er is een kind van 8 in het gezin. "
        "Verzoek om contact met het gezin op te nemen.",
        ["Gezinsrelaties", "Geestelijk gezond"],
        [Law.JEUGDWET],
        reporter_name="Veilig Thuis (regio)",
        reporter_relation=Question.ReporterRelation.PROFESSIONAL,
    ),
    # Randwijk has no kernteam of its own: the kernteam of Driel serves it.
    DemoQuestion(
        "999990287",
        12,
        Channel.WALK_IN,
        "Kernteam Driel",
        "stuw.driel@overbetuwe.demo.test",
        "Komt op het inloopspreekuur met een stapel onbetaalde rekeningen en weet niet waar "
        "te beginnen.",
        ["Geld"],
        [Law.PARTICIPATIEWET],
    ),
]

DEMO_RESIDENTS = {"GM1734": (OVERBETUWE_HOUSEHOLDS, OVERBETUWE_QUESTIONS)}


@dataclass
class DemoProvision:
    name: str
    law: str
    legal_basis: str
    unit: str
    end_date_required: bool = True
    default_duration_weeks: int | None = 52


WMO_BASIS = "artikel 2.3.5 Wmo 2015 en de Verordening maatschappelijke ondersteuning"
# The same catalogue for every demo municipality (the documents name the kinds of
# provision, not a catalogue: assumption).
DEMO_PROVISIONS = [
    DemoProvision("Hulp bij het huishouden", WMO, WMO_BASIS, Unit.HOURS_PER_WEEK),
    DemoProvision(
        "Rolstoel", WMO, WMO_BASIS, Unit.PIECE, end_date_required=False, default_duration_weeks=None
    ),
    # School transport rests on the municipality's own Verordening leerlingenvervoer
    # (artikel 4 WPO), no law of the three a mandate is recorded for: filed under the
    # Jeugdwet, the closest (it is for children, decided by the youth consultants).
    DemoProvision(
        "Leerlingenvervoer",
        JW,
        "artikel 4 Wet op het primair onderwijs en de Verordening leerlingenvervoer",
        Unit.TRIP,
        default_duration_weeks=52,
    ),
    DemoProvision("Begeleiding", WMO, WMO_BASIS, Unit.HOURS_PER_WEEK, default_duration_weeks=26),
    DemoProvision(
        "Jeugdhulp",
        JW,
        "artikel 2.3 Jeugdwet en de Verordening jeugdhulp",
        Unit.HOURS_PER_WEEK,
        default_duration_weeks=26,
    ),
    # Debt help rests on the Wet gemeentelijke schuldhulpverlening; filed under the
    # Participatiewet, the law of the income and debt consultants.
    DemoProvision(
        "Schuldhulpverlening",
        PW,
        "artikel 3 Wet gemeentelijke schuldhulpverlening",
        Unit.TRAJECTORY,
    ),
]

# The sender of the decision letters: the loket, a demo postbus, the municipality's
# 14 + area code number.
LETTER_SETTINGS = {
    "GM1734": (
        "Gemeente Overbetuwe, Loket Samenleven",
        "Postbus 11 (demo)\n6660 AA Elst",
        "14 0481",
    ),
    "GM0451": ("Gemeente Uithoorn, Sociaal Loket", "Postbus 8 (demo)\n1420 AA Uithoorn", "14 0297"),
    "GM0437": (
        "Gemeente Ouder-Amstel, Zorgadviespunt",
        "Postbus 35 (demo)\n1190 AA Ouderkerk aan de Amstel",
        "14 020",
    ),
    "GM1708": (
        "Gemeente Steenwijkerland, Loket Steenwijkerland",
        "Postbus 162 (demo)\n8330 AD Steenwijk",
        "14 0521",
    ),
}


# Seeds 000, 001 and Diemen of 003 (apps/demo/documents.py).
MUNICIPALITIES += DOCUMENT_MUNICIPALITIES
INTAKE.update(DOCUMENT_INTAKE)
DEMO_RESIDENTS.update(DOCUMENT_RESIDENTS)
LETTER_SETTINGS.update(DOCUMENT_LETTER_SETTINGS)


def seed_decisions(municipality):
    """The provision catalogue and the letter's sender (left alone once set)."""
    for spec in DEMO_PROVISIONS:
        if ProvisionType.objects.filter(municipality=municipality, name=spec.name).exists():
            continue
        save_versioned(
            ProvisionType(
                municipality=municipality,
                name=spec.name,
                law=spec.law,
                legal_basis=spec.legal_basis,
                unit=spec.unit,
                end_date_required=spec.end_date_required,
                default_duration_weeks=spec.default_duration_weeks,
            )
        )
    settings_row = IntakeSettings.objects.filter(municipality=municipality).first()
    letter = LETTER_SETTINGS.get(municipality.cbs_code)
    if settings_row is not None and letter and not settings_row.letter_sender:
        settings_row.letter_sender, settings_row.postal_address, settings_row.phone = letter
        save_versioned(settings_row)
    letter_templates_create_defaults(municipality)


def seed_intake(municipality, *, teams, areas, staff_by_email):
    """Life domains, intake settings and triage rules of one municipality, then
    its demo residents and questions (inside its scope)."""
    config = INTAKE[municipality.cbs_code]
    _seed_life_domains(municipality, config["life_domains"])
    destination, team_name = config["default"]
    IntakeSettings.objects.get_or_create(
        municipality=municipality,
        defaults={"default_destination": destination, "default_team": teams.get(team_name)},
    )
    if not TriageRule.objects.filter(municipality=municipality).exists():
        for position, rule in enumerate(config["rules"], start=1):
            save_versioned(
                TriageRule(
                    municipality=municipality,
                    position=position,
                    name=rule.name,
                    destination=rule.destination,
                    team=teams.get(rule.team),
                    channel=rule.channel,
                    is_youth=rule.is_youth,
                    law=rule.law,
                )
            )
    if municipality.cbs_code in DEMO_RESIDENTS:
        households, questions = DEMO_RESIDENTS[municipality.cbs_code]
        _seed_residents(municipality, households, areas)
        _seed_questions(municipality, questions, teams, staff_by_email)


def _seed_life_domains(municipality, names):
    """The municipality's own list, or the ZRM defaults. A database loaded before
    the intake app existed got the ZRM defaults from a migration: while nobody has
    used or changed them, they make way for the municipality's own list."""
    if names is None:
        intake.life_domains_create_defaults(municipality)
        return
    existing = LifeDomain.objects.filter(municipality=municipality)
    untouched_defaults = set(existing.values_list("name", flat=True)) == set(ZRM_LIFE_DOMAINS)
    used = (
        Question.life_domains.through.objects.filter(lifedomain__in=existing).exists()
        or TriageRule.objects.filter(life_domain__in=existing).exists()
    )
    if untouched_defaults and not used and list(names) != ZRM_LIFE_DOMAINS:
        try:
            with transaction.atomic():
                existing.delete()
        except ProtectedError:
            pass  # something else refers to them now: leave the list as it is
    intake.life_domains_create_defaults(municipality, names=names)


def _seed_residents(municipality, households, areas):
    today = timezone.localdate()
    for name, members in households.items():
        household, _ = Household.objects.get_or_create(municipality=municipality, name=name)
        for member in members:
            if Resident.objects.filter(municipality=municipality, bsn=member.bsn).exists():
                continue
            area = areas[member.area]
            resident = Resident(
                municipality=municipality,
                bsn=member.bsn,
                first_names=member.first_names,
                surname_prefix=member.surname_prefix,
                surname=member.surname,
                date_of_birth=today - timedelta(days=member.age * 365 + 100),
                city=area.name,
                area=area,
                household=household,
                household_relation=member.relation,
            )
            resident.full_clean()
            resident.save()


def _seed_questions(municipality, questions, teams, staff_by_email):
    domains = {d.name: d for d in LifeDomain.objects.filter(municipality=municipality)}
    now = timezone.localtime().replace(second=0, microsecond=0)
    for spec in questions:
        resident = Resident.objects.get(municipality=municipality, bsn=spec.resident_bsn)
        if Question.objects.filter(resident=resident, description=spec.description).exists():
            continue
        if any(name not in domains for name in spec.life_domains):
            continue  # the admin changed the life domains: this demo question does not fit
        question = intake.question_register(
            actor=None,
            municipality=municipality,
            received_by=staff_by_email[spec.received_by],
            new=intake.NewQuestion(
                resident=resident,
                channel=spec.channel,
                received_at=now - timedelta(days=spec.days_ago),
                description=spec.description,
                life_domains=[domains[name] for name in spec.life_domains],
                laws=spec.laws,
                gate=teams[spec.gate],
                reporter_name=spec.reporter_name,
                reporter_relation=spec.reporter_relation,
            ),
        ).question
        if spec.forward:
            to_team, reason = spec.forward
            intake.question_forward(
                actor=None, question=question, to_team=teams[to_team], reason=reason
            )


class Command(BaseCommand):
    help = "Load the demo municipalities of the seed documents. Local demo only; idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even with DEBUG off (tests). Never on a production database.",
        )
        parser.add_argument(
            "--without-work",
            action="store_true",
            help="Leave out today's work in the queues (apps/demo/work.py): the structure "
            "only, for the tests of the structure.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "seed_demo creates accounts with a published password and only runs with "
                "DEBUG on (the local demo)."
            )
        User = get_user_model()
        with transaction.atomic():
            with scopes_disabled():
                admin, created = User.objects.get_or_create(
                    email=PLATFORM_ADMIN_EMAIL,
                    defaults={
                        "full_name": "Petra Platformbeheer",
                        "is_staff": True,
                        "is_superuser": True,
                    },
                )
                if created:
                    admin.set_password(DEMO_PASSWORD)
                    admin.save()
            for spec in MUNICIPALITIES:
                self._seed_municipality(User, spec, work=not options["without_work"])
            link_executing_organisations()
        self.stdout.write(self.style.SUCCESS("Demo municipalities are loaded."))

    def _seed_municipality(self, User, spec, work=True):
        with scopes_disabled():
            municipality, _ = Municipality.objects.get_or_create(
                cbs_code=spec["cbs_code"], defaults={"name": spec["name"]}
            )
        with scope(municipality=municipality):
            areas = {
                name: Area.objects.get_or_create(municipality=municipality, name=name)[0]
                for name in spec["areas"]
            }
            orgs = {
                name: Organisation.objects.get_or_create(
                    municipality=municipality, name=name, defaults={"kind": kind}
                )[0]
                for name, kind in spec["organisations"]
            }
            teams = {}
            linked = {}
            for name, kind, access, area_names, run_by, consultant, *started in spec["teams"]:
                defaults = {"kind": kind, "access": access, "run_by": orgs.get(run_by)}
                if started:  # a team of the past or with a known start (seed 000, 001)
                    defaults["started_on"] = started[0]
                team, created = Team.objects.get_or_create(
                    municipality=municipality, name=name, defaults=defaults
                )
                if created:
                    team.areas.set([areas[a] for a in area_names])
                    if consultant:
                        linked[team] = consultant
                teams[name] = team
            staff_by_email = {}
            for person in spec["people"]:
                user, created = User.objects.get_or_create(
                    email=person.email, defaults={"full_name": person.name}
                )
                if created:
                    if person.login:
                        user.set_password(DEMO_PASSWORD)
                    else:
                        user.set_unusable_password()
                    user.save()
                staff, _ = StaffMember.objects.get_or_create(
                    municipality=municipality,
                    user=user,
                    defaults={
                        "is_municipality_admin": person.admin,
                        "is_policy_advisor": person.policy,
                    },
                )
                staff_by_email[person.email] = staff
                for team_name, function, org, hours, laws, started_on in person.memberships:
                    # Ended memberships count as present: a re-run does not
                    # bring back what an admin ended.
                    defaults = {
                        "organisation": orgs.get(org) if org else None,
                        "hours_per_week": hours,
                        "mandated_laws": laws,
                    }
                    if started_on:
                        defaults["started_on"] = started_on
                    Membership.objects.get_or_create(
                        municipality=municipality,
                        team=teams[team_name],
                        staff_member=staff,
                        function=function,
                        defaults=defaults,
                    )
            for team, email in linked.items():
                team.linked_loket_consultant = staff_by_email[email]
                team.full_clean()
                team.save(update_fields=["linked_loket_consultant"])
            seed_intake(municipality, teams=teams, areas=areas, staff_by_email=staff_by_email)
            seed_decisions(municipality)
            seed_providers(municipality)  # #21 part 1: contracted providers
            # Overbetuwe's January–May 2015, as its report 002 counts it.
            seed_history(municipality, teams=teams, staff_by_email=staff_by_email)
            seed_objections(municipality, teams=teams, staff_by_email=staff_by_email)
            # What a seed document tells beyond the structure: a team that
            # stopped, a consultation (seed 000), the teams a Wijkteam replaced
            # (seed 001). See apps/demo/documents.py.
            if "after" in spec:
                spec["after"](municipality, teams=teams, staff_by_email=staff_by_email)
            # A working day in every queue, dated from today (apps/demo/work.py).
            if work:
                seed_present_day_work(municipality, today=timezone.localdate())
