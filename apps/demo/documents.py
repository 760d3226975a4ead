"""The demo municipalities of seed documents 000, 001 and 003 (Diemen), beside
Overbetuwe (002), Uithoorn and Ouder-Amstel (003) and Steenwijkerland (004) in
`seed_demo`. Each is built as its document describes it; where the document is
silent the data says "assumption" in a comment.

- 000 (a council memo of 7 March 2017, municipality not named): 't Loket, the
  central access for Wmo, Jeugdwet and (parts of) the Participatiewet; the
  local Specialistisch Team (SpT) that advised the loket for two years and was
  ended, its members' history kept; a behavioural expert linked directly to 't
  Loket for a few hours a week, consulted by its consultants (recorded as an
  activity "consultatie gedragsdeskundige" on a case).
- 001 (a news item on "Samen naar het wijkteam van morgen", municipality not
  named): one Wijkteam from 1 January 2020 with one phone number, one e-mail
  address and two walk-in locations (de Burgt, het Kwadrant); its staff
  durably seconded from Cardea, Kwadraad, MEE and Welzijnskwartier; the Team
  Sociale Ondersteuning, the Centrum voor Jeugd en Gezin (its Jeugd- en
  Gezinsteams) and the Samenlevingsloket it replaced, ended on 31 December 2019
  with the Wijkteam as successor.
- 003 (Movisie, the DUO municipalities): Diemen with its Team Maatschappelijke
  ondersteuning, Team Sociale zaken and the directly accessible Brede Hoed team
  (the overview table "Huidige inrichting gemeentelijke toegang").

Who grants in 001: the document does not say. Only a consultant of a loket team
holds a mandate (docs/permissions.md), and 001 wants residents "via één loket"
helped; so the Wijkteam's own consultants form a small loket team, "Wijkteam
Toegang", at the same locations, mandated for Wmo and Jeugdwet (wheelchairs,
school transport, youth help: the examples of 001), the Participatiewet
(debts) included. Assumption, written down in the README too.
"""

from datetime import date, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from apps.cases.models import Activity
from apps.cases.services import activity_record, case_open, team_end
from apps.demo.specs import DemoQuestion, DemoResident, Person, Rule, m
from apps.intake.models import Channel, Destination, Question
from apps.teams.models import (
    ExecutingOrganisation,
    Law,
    Membership,
    Organisation,
    Team,
    TeamLocation,
)

F = Membership.Function
K = Team.Kind
O = Organisation.Kind  # noqa: E741
WMO, JW, PW = Law.WMO, Law.JEUGDWET, Law.PARTICIPATIEWET

# --- 000: 't Loket and the SpT that stopped -------------------------------------

# 000 names no municipality: a fictional name and a code outside the CBS range
# (assumption).
LOKET_000 = "'t Loket"
SPT = "Specialistisch Team (SpT)"
# 000 is dated 7 March 2017 and looks back on "de afgelopen 2 jaar" of the SpT:
# it began two years earlier and was ended that day.
SPT_STARTED = date(2015, 3, 7)
SPT_ENDED = date(2017, 3, 7)
SPT_END_REASON = (
    "Evaluatie: het SpT had voor de medewerkers van 't Loket niet de beoogde meerwaarde en "
    "kostte de deelnemende organisaties veel tijd. Een gedragsdeskundige krijgt een aantal "
    "uren per week een plek in 't Loket; de korte lijnen blijven via een periodiek overleg."
)
# The organisations that took part in the SpT are not named in 000 (assumption).
SPT_ORGANISATIONS = ["MEE", "Maatschappelijk werk", "GGZ-instelling", "Jeugdhulpaanbieder"]

MUNICIPALITY_000 = {
    "name": "Zuidwoude",
    "cbs_code": "GM9000",
    "areas": ["Zuidwoude"],  # one kern (assumption)
    "organisations": [
        ("Gemeente Zuidwoude", O.MUNICIPALITY),
        *[(name, O.MOTHER) for name in SPT_ORGANISATIONS],
    ],
    "teams": [
        (LOKET_000, K.LOKET, "direct", [], "Gemeente Zuidwoude", None, SPT_STARTED),
        (SPT, K.EXPERTISE, "referral", [], "Gemeente Zuidwoude", None, SPT_STARTED),
    ],
    "people": [
        Person("beheerder@zuidwoude.demo.test", "Zoë de Beheerder", admin=True),
        Person("beleid@zuidwoude.demo.test", "Zeger Beleid", policy=True),
        Person(
            "consulent@zuidwoude.demo.test",
            "Zara Consulent",
            memberships=[
                m(LOKET_000, F.CONSULTANT, "Gemeente Zuidwoude", 36, [WMO, JW], SPT_STARTED)
            ],
        ),
        # "(delen van) de Participatiewet": a consultant of its own (assumption).
        Person(
            "consulent.pw@zuidwoude.demo.test",
            "Zeno Consulent Participatie",
            login=False,
            memberships=[m(LOKET_000, F.CONSULTANT, "Gemeente Zuidwoude", 32, [PW], SPT_STARTED)],
        ),
        # "een gedragsdeskundige voor een aantal uren in de week een plek in 't
        # Loket": eight hours, employed by the municipality (assumption).
        Person(
            "gedragsdeskundige@zuidwoude.demo.test",
            "Gina Gedragsdeskundige",
            memberships=[
                m(LOKET_000, F.BEHAVIOURAL_EXPERT, "Gemeente Zuidwoude", 8, (), SPT_ENDED)
            ],
        ),
        # A participant of the SpT from MEE, who keeps reading its history.
        Person(
            "spt@zuidwoude.demo.test",
            "Stan SpT-lid (MEE)",
            memberships=[m(SPT, F.TEAM_MEMBER, "MEE", 4, (), SPT_STARTED)],
        ),
        *[
            Person(
                f"spt{i}@zuidwoude.demo.test",
                f"SpT-lid {name}",
                login=False,
                memberships=[m(SPT, F.TEAM_MEMBER, name, 4, (), SPT_STARTED)],
            )
            for i, name in enumerate(SPT_ORGANISATIONS[1:], start=2)
        ],
    ],
}

HOUSEHOLDS_000 = {
    "Huishouden De Wit": [
        DemoResident("999990329", "Marloes", "Wit", 41, "Zuidwoude", surname_prefix="de"),
    ],
}
QUESTIONS_000 = [
    DemoQuestion(
        "999990329",
        21,
        Channel.TELEPHONE,
        LOKET_000,
        "consulent@zuidwoude.demo.test",
        "Moeder belt: haar zoon van 12 loopt vast op school en thuis escaleert het steeds "
        "vaker. Ze weet niet meer hoe ze met zijn woede-uitbarstingen om moet gaan.",
        ["Huiselijke relaties", "Geestelijke gezondheid"],
        [Law.JEUGDWET],
    ),
]
CONSULTATION_NOTE = (
    "Casus voorgelegd aan de gedragsdeskundige van 't Loket: advies om eerst een "
    "gezinsgesprek te voeren en de school te betrekken voordat jeugdhulp wordt overwogen."
)


def after_000(municipality, *, teams, staff_by_email):
    """End the SpT (once) and record the consultation of the behavioural expert
    on the case of the demo question (once)."""
    admin = staff_by_email["beheerder@zuidwoude.demo.test"].user
    spt = teams[SPT]
    if spt.is_active:
        team_end(
            actor=admin,
            team=spt,
            ended_on=SPT_ENDED,
            reason=SPT_END_REASON,
            expected_version=None,
            successor=teams[LOKET_000],
        )
    consultant = staff_by_email["consulent@zuidwoude.demo.test"]
    question = Question.objects.filter(
        municipality=municipality, description=QUESTIONS_000[0].description
    ).first()
    if question is None or question.team_id != teams[LOKET_000].pk:
        return  # changed since: leave it
    case = question.case or case_open(
        actor=consultant.user, question=question, title="Vastlopen thuis en op school"
    )
    if not Activity.objects.filter(case=case, kind=Activity.Kind.EXPERT_CONSULTATION).exists():
        activity_record(
            actor=consultant.user,
            case=case,
            kind=Activity.Kind.EXPERT_CONSULTATION,
            date=timezone.localdate() - timedelta(days=14),
            participants=[consultant, staff_by_email["gedragsdeskundige@zuidwoude.demo.test"]],
            note=CONSULTATION_NOTE,
        )


# --- 001: one Wijkteam from 2020 -------------------------------------------------

WIJKTEAM = "Wijkteam"
WIJKTEAM_TOEGANG = "Wijkteam Toegang"
WIJKTEAM_STARTED = date(2020, 1, 1)
REPLACED_ENDED = date(2019, 12, 31)
# When the replaced teams began is not in 001 (assumption: the decentralisation
# of 2015).
REPLACED_STARTED = date(2015, 1, 1)
REPLACED_TEAMS = ["Team Sociale Ondersteuning", "Centrum voor Jeugd en Gezin", "Samenlevingsloket"]
REPLACED_REASON = (
    "Vanaf 2020 kunnen inwoners met al hun vragen bij één Wijkteam terecht: één "
    "telefoonnummer, één e-mailadres en inloop bij de Burgt of het Kwadrant."
)
MOTHERS_001 = ["Cardea", "Kwadraad", "MEE", "Welzijnskwartier"]

MUNICIPALITY_001 = {
    # 001 names no municipality: a fictional name and code (assumption).
    "name": "Oosterveen",
    "cbs_code": "GM9001",
    "areas": ["Oosterveen"],
    "organisations": [
        ("Gemeente Oosterveen", O.MUNICIPALITY),
        *[(name, O.MOTHER) for name in MOTHERS_001],
    ],
    "teams": [
        (WIJKTEAM, K.WIJKTEAM, "direct", [], "Gemeente Oosterveen", None, WIJKTEAM_STARTED),
        (WIJKTEAM_TOEGANG, K.LOKET, "direct", [], "Gemeente Oosterveen", None, WIJKTEAM_STARTED),
        (
            "Team Sociale Ondersteuning",
            K.SOCIAL_TEAM,
            "direct",
            [],
            "Gemeente Oosterveen",
            None,
            REPLACED_STARTED,
        ),
        # 001: "het Centrum voor Jeugd en Gezin" with its Jeugd- en Gezinsteams,
        # one team here (assumption).
        (
            "Centrum voor Jeugd en Gezin",
            K.SOCIAL_TEAM,
            "direct",
            [],
            "Gemeente Oosterveen",
            None,
            REPLACED_STARTED,
        ),
        (
            "Samenlevingsloket",
            K.LOKET,
            "direct",
            [],
            "Gemeente Oosterveen",
            None,
            REPLACED_STARTED,
        ),
    ],
    "people": [
        Person("beheerder@oosterveen.demo.test", "Olivier de Beheerder", admin=True),
        Person("beleid@oosterveen.demo.test", "Odette Beleid", policy=True),
        Person(
            "consulent@oosterveen.demo.test",
            "Owen Consulent",
            memberships=[
                m("Samenlevingsloket", F.CONSULTANT, "Gemeente Oosterveen", 36, [WMO, JW, PW]),
                m(
                    WIJKTEAM_TOEGANG,
                    F.CONSULTANT,
                    "Gemeente Oosterveen",
                    36,
                    [WMO, JW, PW],
                    WIJKTEAM_STARTED,
                ),
            ],
        ),
        # The staff of the former teams, durably seconded to the Wijkteam.
        Person(
            "wijkteamlid@oosterveen.demo.test",
            "Wendy Wijkteamlid (Cardea)",
            memberships=[
                m("Centrum voor Jeugd en Gezin", F.TEAM_MEMBER, "Cardea", 32, (), REPLACED_STARTED),
                m(WIJKTEAM, F.TEAM_MEMBER, "Cardea", 32, (), WIJKTEAM_STARTED),
            ],
        ),
        Person(
            "coordinator@oosterveen.demo.test",
            "Cor Coördinator",
            memberships=[
                m(
                    "Team Sociale Ondersteuning",
                    F.COORDINATOR,
                    "Gemeente Oosterveen",
                    32,
                    (),
                    REPLACED_STARTED,
                ),
                m(WIJKTEAM, F.COORDINATOR, "Gemeente Oosterveen", 32, (), WIJKTEAM_STARTED),
            ],
        ),
        *[
            Person(
                f"{org.lower()}@oosterveen.demo.test",
                f"Wijkteamlid {org}",
                login=False,
                memberships=[
                    m("Team Sociale Ondersteuning", F.TEAM_MEMBER, org, 28, (), REPLACED_STARTED),
                    m(WIJKTEAM, F.TEAM_MEMBER, org, 28, (), WIJKTEAM_STARTED),
                ],
            )
            for org in ["Kwadraad", "MEE", "Welzijnskwartier"]
        ],
    ],
}


# 001: "via één telefoonnummer, e-mail of door binnen te lopen bij de Burgt of
# het Kwadrant". The number, address and hours are not in 001 (assumption:
# demo values).
WIJKTEAM_PHONE = "14 0001"
WIJKTEAM_EMAIL = "wijkteam@oosterveen.demo.test"
WIJKTEAM_LOCATIONS = [
    ("De Burgt", "Burgtplein 1, Oosterveen (demo)", "maandag t/m donderdag 9.00–12.00 uur"),
    ("Het Kwadrant", "Kwadrantweg 2, Oosterveen (demo)", "dinsdag en vrijdag 13.30–16.30 uur"),
]


def after_001(municipality, *, teams, staff_by_email):
    """End the three teams the Wijkteam replaced (once); the Wijkteam's phone
    number, e-mail address (while it has none) and walk-in locations."""
    wijkteam = teams[WIJKTEAM]
    if not wijkteam.phone and not wijkteam.email:
        wijkteam.phone, wijkteam.email = WIJKTEAM_PHONE, WIJKTEAM_EMAIL
        wijkteam.full_clean()
        wijkteam.save(update_fields=["phone", "email"])
    for name, address, hours in WIJKTEAM_LOCATIONS:
        if not TeamLocation.objects.filter(team=wijkteam, name=name).exists():
            location = TeamLocation(
                municipality=municipality,
                team=wijkteam,
                name=name,
                address=address,
                walk_in_hours=hours,
            )
            location.full_clean()
            location.save()
    admin = staff_by_email["beheerder@oosterveen.demo.test"].user
    for name in REPLACED_TEAMS:
        team = teams[name]
        if team.is_active:
            team_end(
                actor=admin,
                team=team,
                ended_on=REPLACED_ENDED,
                reason=REPLACED_REASON,
                expected_version=None,
                successor=teams[WIJKTEAM],
            )


# --- 003: Diemen -------------------------------------------------------------------

DIEMEN_MO = "Team Maatschappelijke ondersteuning"
DIEMEN_SZ = "Team Sociale zaken"
BREDE_HOED = "Brede Hoed team"

MUNICIPALITY_DIEMEN = {
    "name": "Diemen",
    "cbs_code": "GM0384",
    # 003 names no areas of Diemen (assumption).
    "areas": ["Diemen-Noord", "Diemen-Centrum", "Diemen-Zuid"],
    "organisations": [
        ("Gemeente Diemen", O.MUNICIPALITY),
        # Linked to the one platform-wide DUO+; in Diemen it runs no team of the
        # access (003's table: every team of Diemen is "in dienst gemeente").
        ("DUO+", O.EXECUTING),
        # "detachering vanuit instellingen en detacheringsbureau"
        ("Detacheringsbureau", O.MOTHER),
        ("Instellingen (gedetacheerd)", O.MOTHER),
    ],
    "teams": [
        # "beoordeling / beschikking (behalve Participatiewet en specialistische
        # jeugdhulp)": the consultants' mandate.
        (DIEMEN_MO, K.LOKET, "direct", [], "Gemeente Diemen", None),
        # "uitvoering Participatiewet en wet Schuldhulpverlening"
        (DIEMEN_SZ, K.LOKET, "direct", [], "Gemeente Diemen", None),
        # "direct toegankelijk voor inwoners"; its indication of specialist
        # youth help is decided by a Jeugdwet consultant of the MO team in this
        # demo (a mandate belongs to a loket team: assumption).
        (
            BREDE_HOED,
            K.SOCIAL_TEAM,
            "direct",
            [],
            "Gemeente Diemen",
            "consulent@diemen.demo.test",
        ),
    ],
    "people": [
        Person("beheerder@diemen.demo.test", "Dirkje de Beheerder", admin=True),
        Person("beleid@diemen.demo.test", "Daan Beleid", policy=True),
        Person(
            "consulent@diemen.demo.test",
            "Demi Wmo-consulent",
            memberships=[m(DIEMEN_MO, F.CONSULTANT, "Gemeente Diemen", 36, [WMO, JW])],
        ),
        Person(
            "klantmanager@diemen.demo.test",
            "Driss Klantmanager Sociale zaken",
            memberships=[m(DIEMEN_SZ, F.CONSULTANT, "Gemeente Diemen", 36, [PW])],
        ),
        Person(
            "coordinator@diemen.demo.test",
            "Dorien Coördinator Brede Hoed",
            memberships=[m(BREDE_HOED, F.COORDINATOR, "Gemeente Diemen", 32)],
        ),
        Person(
            "bredehoed@diemen.demo.test",
            "Bram Brede Hoed",
            memberships=[m(BREDE_HOED, F.CASE_DIRECTOR, "Detacheringsbureau", 32)],
        ),
        Person(
            "bredehoed2@diemen.demo.test",
            "Casusregisseur Brede Hoed 2",
            login=False,
            memberships=[m(BREDE_HOED, F.CASE_DIRECTOR, "Instellingen (gedetacheerd)", 24)],
        ),
    ],
}

# 003: DUO+, the executing organisation of the DUO municipalities, is one
# record for the platform, linked from each municipality's own organisation row.
SHARED_EXECUTING_ORGANISATIONS = {"DUO+": ["GM0451", "GM0437", "GM0384"]}


def link_executing_organisations():
    """One platform record per shared executing organisation, and the link from
    the organisation row of each municipality it serves (left alone once set)."""
    with scopes_disabled():
        for name, cbs_codes in SHARED_EXECUTING_ORGANISATIONS.items():
            shared, _ = ExecutingOrganisation.objects.get_or_create(name=name)
            Organisation.objects.filter(
                name=name,
                kind=Organisation.Kind.EXECUTING,
                municipality__cbs_code__in=cbs_codes,
                shared__isnull=True,
            ).update(shared=shared)


DOCUMENT_MUNICIPALITIES = [
    {**MUNICIPALITY_000, "after": after_000},
    {**MUNICIPALITY_001, "after": after_001},
    MUNICIPALITY_DIEMEN,
]

DOCUMENT_INTAKE = {
    # 000: 't Loket is the central access for everything.
    "GM9000": {"life_domains": None, "default": (Destination.LOKET, None), "rules": []},
    # 001: every question to the one Wijkteam.
    "GM9001": {"life_domains": None, "default": (Destination.TEAM, WIJKTEAM), "rules": []},
    # 003: the Brede Hoed team is directly accessible, the MO team assesses;
    # Participatiewet questions go to Sociale zaken (assumption: a question
    # starts at the MO team unless it is about the Participatiewet).
    "GM0384": {
        "life_domains": None,
        "default": (Destination.TEAM, DIEMEN_MO),
        "rules": [
            Rule("Participatiewet naar Sociale zaken", Destination.TEAM, DIEMEN_SZ, law=PW),
        ],
    },
}

DOCUMENT_RESIDENTS = {"GM9000": (HOUSEHOLDS_000, QUESTIONS_000)}

DOCUMENT_LETTER_SETTINGS = {
    "GM9000": ("Gemeente Zuidwoude, 't Loket", "Postbus 1 (demo)\n9999 AA Zuidwoude", "14 0000"),
    "GM9001": ("Gemeente Oosterveen, Wijkteam", "Postbus 2 (demo)\n9999 AB Oosterveen", "14 0001"),
    "GM0384": ("Gemeente Diemen", "Postbus 191 (demo)\n1110 AD Diemen", "14 020"),
}
