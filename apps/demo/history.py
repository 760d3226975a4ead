"""The first five months of 2015 in Overbetuwe, for the local demo (`seed_demo`).

The seed document 002 (Tussenrapportage Kernteams, June 2015) is itself the
monitoring report a policy advisor expects. This module loads a history that
reproduces its figures, so the demo report for January–May 2015 shows them:

- table 1 exactly: the new questions per kernteam per month (246), counted at the
  kernteam where each question is now, in the month it was received;
- the life-domain table per kernteam exactly (262 mentions: several domains per
  question, a few questions without known domains);
- 45 youth questions (under 18 on the day received);
- the channels: telephone 60%, walk-in hours 20%, e-mail 15%, and the ~5% (12)
  that came in at the Loket Samenleven and were forwarded to a kernteam (the
  "grensverkeer"), recorded as real forwards;
- 13 joint home visits, and the 15 + 15 cases the memo plans to compare: 15
  provisions proposed by a kernteam (voorwerk) and 15 prepared by the loket
  itself, each decided (granted or refused) by a loket consultant with the
  mandate for its law.

Questions, cases and proposals are written straight to the tables with their
2015 dates, keeping the rules by hand: a case has one household and one
director. The decisions are not: each goes through `proposal_decide`, with the
clock set to the day it happened (time-machine, the `demo` extra), by a loket
consultant of the demo with the mandate for its law, as any decision is; that is
also the one way a decision can be written. It is loaded once: a municipality that already has
questions from 2015, lacks a kernteam of table 1 or one of the report's life
domains (an admin changed them) is left alone.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import time_machine
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases.models import Activity, Case, DirectorChange
from apps.decisions.models import (
    BudgetPeriod,
    Decision,
    DeliveryForm,
    Proposal,
    Provider,
    Provision,
    ProvisionType,
)
from apps.decisions.services import decision_deadline, proposal_decide
from apps.intake.models import (
    Channel,
    Household,
    LifeDomain,
    Question,
    QuestionForward,
    Resident,
)
from apps.intake.services import intake_settings_for
from apps.intake.validators import is_valid_bsn
from apps.teams.models import Law, Membership, Team

CBS_CODE = "GM1734"
YEAR = 2015
MONTHS = (1, 2, 3, 4, 5)
LOKET = "Loket Samenleven"

# 002, onderwerp 1, the first table: new questions per kernteam, January–May
# 2015 ("De kernteams in Elst zijn samengenomen").
TABLE_1 = {
    "Kernteam Elst": (28, 31, 35, 22, 10),
    "Kernteam Driel": (6, 8, 2, 0, 3),
    "Kernteam Heteren": (3, 6, 5, 9, 3),
    "Kernteam Zetten-Hemmen": (11, 6, 7, 4, 0),
    "Kernteam Oosterhout/Slijk-Ewijk": (2, 0, 3, 8, 0),
    "Kernteam Herveld-Andelst": (8, 3, 13, 6, 4),
}
TEAMS = list(TABLE_1)

# 002, table "Leefgebied ZRM": mentions per kernteam, in the order of TEAMS.
# The scanned rows of "Lichamelijk gezond" and "Werk en bezigheid" lost one
# figure each; the column totals (137 19 24 26 18 38) and row totals (12, 20)
# leave one solution, restored here: Elst 6 and 6.
LIFE_DOMAIN_TABLE = {
    "Lichamelijk gezond": (6, 1, 0, 1, 2, 2),
    "Wonen": (9, 2, 1, 4, 1, 5),
    "Gezinsrelaties": (15, 6, 0, 4, 0, 4),
    "Justitie": (2, 0, 0, 0, 0, 0),
    "Werk en bezigheid": (6, 2, 3, 2, 1, 6),
    "Geld": (20, 1, 2, 1, 0, 5),
    "Meedoen en maatschappelijke participatie": (31, 2, 7, 9, 2, 7),
    "Verslaving": (0, 0, 0, 0, 0, 0),
    "Sociale relaties": (6, 0, 0, 0, 5, 2),
    "Geestelijk gezond": (17, 3, 3, 4, 1, 3),
    "Huishouden/verzorging": (25, 2, 8, 1, 6, 4),
}

# 002: 45 questions (about 17%) are primarily about someone under 18.
YOUTH_QUESTIONS = 45
# 002: "slechts 5% afkomstig van het loket (plus minus 12 cases)"; of the rest
# telephone 60%, walk-in hours 20%, e-mail 15% (of all 246: 148 + 49 + 37 + 12).
FORWARDED_FROM_LOKET = 12
CHANNEL_COUNTS = {Channel.TELEPHONE: 148, Channel.WALK_IN: 49, Channel.EMAIL: 37}
# At the loket's own gate (not in table 1): questions it kept, and a few a
# kernteam passed on to the loket for a kitchen-table talk.
LOKET_CASES = 15  # of which FORWARDED_TO_LOKET came from a kernteam
FORWARDED_TO_LOKET = 4
LOKET_INFO_ONLY = 3
# 002: "Gezamenlijke huisbezoeken ... we tellen er op dit moment 13"; the memo
# plans to compare 15 cases with voorwerk and 15 without.
JOINT_HOME_VISITS = 13
VOORWERK_CASES = 15

# Dutch public holidays in January–May 2015 (no questions registered).
HOLIDAYS_2015 = {
    date(2015, 1, 1),
    date(2015, 4, 6),  # Easter Monday
    date(2015, 4, 27),  # King's Day
    date(2015, 5, 5),  # Liberation Day (a lustrum year)
    date(2015, 5, 14),  # Ascension Day
    date(2015, 5, 25),  # Whit Monday
}

FIRST_NAMES = [
    "Anna", "Bram", "Carolien", "Dirk", "Els", "Frank", "Gerda", "Hans", "Ilse", "Jan",
    "Karin", "Lars", "Marieke", "Nico", "Petra", "Ruud", "Sanne", "Theo", "Wilma", "Yvonne",
    "Ahmed", "Fatima", "Johan", "Truus", "Kees",
]  # fmt: skip
CHILD_NAMES = [
    "Daan", "Emma", "Finn", "Julia", "Lucas", "Mila", "Sem", "Tess", "Levi", "Sara",
    "Milan", "Lotte",
]  # fmt: skip
# Not the surnames of seed_demo's present-day households, which it finds by name.
SURNAMES = [
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Koster"), ("", "Visser"),
    ("", "Prins"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"),
    ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"),
    ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Willems"),
    ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Verhoef"),
    ("van", "Wijk"), ("", "Schouten"), ("", "Gerritsen"), ("", "Hermsen"), ("", "Arts"),
]  # fmt: skip

# What a question was about, by its first life domain (fictional, short).
DESCRIPTIONS = {
    "Lichamelijk gezond": "Na een val thuis lukt traplopen niet meer; vraagt wat er mogelijk is.",
    "Wonen": "Zorgen over de woning: te groot en niet aangepast. Zoekt advies over verhuizen.",
    "Gezinsrelaties": "Veel spanning in het gezin sinds de scheiding; vraagt om een gesprek.",
    "Justitie": "Komt net uit detentie en zoekt hulp bij het opnieuw opbouwen van zijn leven.",
    "Werk en bezigheid": "Zit sinds kort thuis zonder werk en zoekt zinvolle dagbesteding.",
    "Geld": "Loopt achter met betalingen en weet niet waar te beginnen.",
    "Meedoen en maatschappelijke participatie": "Voelt zich eenzaam en komt de deur weinig "
    "uit; zoekt contact met anderen in de kern.",
    "Verslaving": "Zorgen om het alcoholgebruik van een huisgenoot.",
    "Sociale relaties": "Heeft weinig mensen om zich heen en vraagt om een maatje.",
    "Geestelijk gezond": "Voelt zich somber en overbelast; vraagt wie kan meedenken.",
    "Huishouden/verzorging": "De huishoudelijke hulp is verminderd; het huishouden lukt "
    "niet meer goed.",
}
NO_DOMAIN_DESCRIPTION = "Vraag om informatie over de mogelijkheden van het kernteam."
CLOSURE_NOTE = "Afgehandeld in 2015 (demogegevens)."


def _working_days(month: int) -> list[date]:
    day = date(YEAR, month, 1)
    days = []
    while day.month == month:
        if day.weekday() < 5 and day not in HOLIDAYS_2015:
            days.append(day)
        day += timedelta(days=1)
    return days


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in office hours on `day`, local time."""
    minutes = rng.randrange(8 * 60 + 30, 16 * 60 + 30, 5)
    naive = datetime.combine(day, time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _next_working_day(day: date, days: int) -> date:
    day += timedelta(days=days)
    while day.weekday() >= 5 or day in HOLIDAYS_2015:
        day += timedelta(days=1)
    return day


def _bsns(municipality, count: int):
    """Valid (11-test) BSNs in the 99991… test range, not yet in use here."""
    taken = set(Resident.objects.filter(municipality=municipality).values_list("bsn", flat=True))
    number = 999910000
    found = []
    while len(found) < count:
        candidate = str(number)
        if is_valid_bsn(candidate) and candidate not in taken:
            found.append(candidate)
        number += 1
    return found


def history_is_loaded(municipality) -> bool:
    return Question.objects.filter(municipality=municipality, received_at__year=YEAR).exists()


def seed_history(municipality, *, teams: dict, staff_by_email: dict) -> bool:
    """Load Overbetuwe's January–May 2015 (once). Returns whether it did."""
    if municipality.cbs_code != CBS_CODE or history_is_loaded(municipality):
        return False
    if any(name not in teams for name in [*TEAMS, LOKET]):
        return False  # the teams were changed: table 1 cannot be reproduced
    domains = {
        d.name: d
        for d in LifeDomain.objects.filter(municipality=municipality, name__in=LIFE_DOMAIN_TABLE)
    }
    if len(domains) != len(LIFE_DOMAIN_TABLE):
        return False  # an admin changed the life domains
    _History(municipality, teams, staff_by_email, domains).load()
    return True


class _History:
    def __init__(self, municipality, teams, staff_by_email, domains):
        self.municipality = municipality
        self.teams = teams
        self.domains = domains
        self.rng = random.Random(YEAR)  # noqa: S311  # nosec B311: demo data, the same every time
        self.loket = teams[LOKET]
        self.gate_clarifier = staff_by_email["vraagverhelderaar@overbetuwe.demo.test"]
        self.members = {}
        for name in TEAMS:
            rows = (
                Membership.objects.filter(
                    municipality=municipality,
                    team=teams[name],
                    is_active=True,
                    function__in=[Membership.Function.TEAM_MEMBER, Membership.Function.COORDINATOR],
                )
                .select_related("staff_member")
                .order_by("pk")
            )
            self.members[name] = [m.staff_member for m in rows] or [self.gate_clarifier]
        self.areas = {name: list(teams[name].areas.order_by("name")) for name in TEAMS}
        self.all_areas = [a for name in TEAMS for a in self.areas[name]]
        # The loket consultants and the mandate each decides with.
        self.mandates = {}
        for membership in (
            Membership.objects.filter(
                municipality=municipality,
                team=self.loket,
                function=Membership.Function.CONSULTANT,
                is_active=True,
            )
            .select_related("staff_member")
            .order_by("pk")
        ):
            for law in membership.mandated_laws:
                self.mandates.setdefault(law, membership)
        self.youth_consultant = next(
            (
                m
                for m in Membership.objects.filter(
                    municipality=municipality, team=self.loket, function="consultant"
                )
                if m.mandated_laws == [Law.JEUGDWET]
            ),
            self.mandates.get(Law.JEUGDWET),
        )
        self.provision_types = {
            p.name: p for p in ProvisionType.objects.filter(municipality=municipality)
        }
        # #21 part 1: a grant has a form of delivery. In kind by the first demo
        # provider contracted for the provision, every third a pgb (no random
        # draw: the history's numbers stay as they were).
        self.providers = {}
        for provider in Provider.objects.filter(municipality=municipality, is_active=True).order_by(
            "name"
        ):
            for type_id in provider.provision_types.values_list("pk", flat=True):
                self.providers.setdefault(type_id, provider)

    def _delivery_form(self, provision, index: int) -> dict:
        provider = self.providers.get(provision.pk)
        if provider is not None and index % 3:
            return {"delivery_form": DeliveryForm.ZIN, "provider": provider}
        if provision.unit == "piece":
            return {
                "delivery_form": DeliveryForm.PGB,
                "budget_amount": Decimal("1500.00"),
                "budget_period": BudgetPeriod.TOTAL,
            }
        return {
            "delivery_form": DeliveryForm.PGB,
            "budget_amount": Decimal("250.00"),
            "budget_period": BudgetPeriod.PER_MONTH,
        }

    # --- questions --------------------------------------------------------------

    def load(self):
        specs = self._question_specs()
        questions = self._create_questions(specs)
        self._create_forwards(specs, questions)
        if {"Hulp bij het huishouden", "Begeleiding", "Jeugdhulp", "Rolstoel"} <= set(
            self.provision_types
        ) and {Law.WMO, Law.JEUGDWET} <= set(self.mandates):
            self._create_cases(specs, questions)
        # Registered in 2015: the bookkeeping dates follow the history.
        Question.objects.filter(pk__in=[q.pk for q in questions]).update(
            created_at=F("received_at"), updated_at=F("closed_at")
        )

    def _question_specs(self) -> list[dict]:
        rng = self.rng
        specs = []
        for team_name, counts in TABLE_1.items():
            for month, count in zip(MONTHS, counts, strict=True):
                days = _working_days(month)
                for _i in range(count):
                    specs.append({"team": team_name, "gate": team_name, "day": rng.choice(days)})
        # Life domains, per kernteam exactly as 002 counts them: spread over the
        # team's questions in random order, a second domain where there are more
        # mentions than questions, none where there are fewer ("niet bekend").
        for index, team_name in enumerate(TEAMS):
            own = [s for s in specs if s["team"] == team_name]
            rng.shuffle(own)
            mentions = [
                name for name, counts in LIFE_DOMAIN_TABLE.items() for _ in range(counts[index])
            ]
            for spec in own:
                spec["domains"] = []
            for i, name in enumerate(mentions):
                own[i % len(own)]["domains"].append(name)
        # Youth: family questions first, then others, at random.
        order = list(range(len(specs)))
        rng.shuffle(order)
        order.sort(key=lambda i: "Gezinsrelaties" not in specs[i]["domains"])
        youth = set(order[:YOUTH_QUESTIONS])
        for i, spec in enumerate(specs):
            spec["youth"] = i in youth
        # Channels: 12 came in at the loket and were forwarded; the rest as 002.
        order = list(range(len(specs)))
        rng.shuffle(order)
        channels = [Channel.KCC] * FORWARDED_FROM_LOKET + [
            channel for channel, n in CHANNEL_COUNTS.items() for _ in range(n)
        ]
        assert len(channels) == len(specs), "002's channels add up to table 1"
        for i, channel in zip(order, channels, strict=True):
            specs[i]["channel"] = channel
            if channel == Channel.KCC:
                specs[i]["gate"] = LOKET
        # The loket's own questions (not in table 1): kitchen-table cases, a few
        # passed on by a kernteam, and a few answered at once.
        loket_days = [d for m in MONTHS[:4] for d in _working_days(m)]
        for i in range(LOKET_CASES + LOKET_INFO_ONLY):
            from_team = TEAMS[i % len(TEAMS)] if i < FORWARDED_TO_LOKET else None
            domain = "Huishouden/verzorging" if i % 3 else "Lichamelijk gezond"
            specs.append(
                {
                    "team": LOKET,
                    "gate": from_team or LOKET,
                    "day": rng.choice(loket_days),
                    "domains": [domain],
                    "youth": False,
                    "channel": Channel.TELEPHONE if from_team else Channel.KCC,
                    "loket_case": i < LOKET_CASES,
                }
            )
        return specs

    def _create_questions(self, specs) -> list[Question]:
        rng = self.rng
        municipality = self.municipality
        bsns = iter(_bsns(municipality, len(specs)))
        households, residents = [], []
        for spec in specs:
            first_names = rng.choice(CHILD_NAMES if spec["youth"] else FIRST_NAMES)
            prefix, surname = rng.choice(SURNAMES)
            age = rng.randint(4, 16) if spec["youth"] else rng.randint(23, 91)
            born = spec["day"] - timedelta(days=age * 365 + rng.randint(30, 330))
            team = self.teams[spec["team"] if spec["team"] != LOKET else spec["gate"]]
            areas = self.areas.get(team.name) or self.all_areas
            area = rng.choice(areas) if areas else None
            households.append(
                Household(
                    municipality=municipality,
                    name=_("Huishouden %(name)s") % {"name": f"{prefix} {surname}".strip()},
                )
            )
            residents.append(
                Resident(
                    municipality=municipality,
                    bsn=next(bsns),
                    first_names=first_names,
                    surname_prefix=prefix,
                    surname=surname,
                    date_of_birth=born,
                    city=area.name if area else "Elst",
                    area=area,
                    household_relation=(
                        Resident.Relation.CHILD if spec["youth"] else Resident.Relation.APPLICANT
                    ),
                )
            )
        Household.objects.bulk_create(households)
        for household, resident in zip(households, residents, strict=True):
            resident.household = household
        Resident.objects.bulk_create(residents)

        settings = intake_settings_for(municipality)
        questions = []
        for n, (spec, resident) in enumerate(zip(specs, residents, strict=True)):
            received_at = _at(spec["day"], rng)
            if spec["gate"] == LOKET:
                received_by = self.gate_clarifier
            else:
                team_members = self.members[spec["gate"]]
                received_by = team_members[n % len(team_members)]
            handler = self.members[spec["team"]] if spec["team"] != LOKET else None
            assigned = handler[n % len(handler)] if handler else self._mandate(Law.WMO).staff_member
            laws = []
            if "Huishouden/verzorging" in spec["domains"] or spec.get("loket_case"):
                laws.append(Law.WMO)
            if spec["youth"]:
                laws.append(Law.JEUGDWET)
            if "Geld" in spec["domains"]:
                laws.append(Law.PARTICIPATIEWET)
            first = spec["domains"][0] if spec["domains"] else None
            questions.append(
                Question(
                    municipality=self.municipality,
                    resident=resident,
                    household=resident.household,
                    area=resident.area,
                    channel=spec["channel"],
                    received_at=received_at,
                    received_by=received_by,
                    gate=self.teams[spec["gate"]],
                    description=DESCRIPTIONS[first] if first else NO_DOMAIN_DESCRIPTION,
                    laws=laws,
                    is_youth=spec["youth"],
                    youth_is_derived=True,
                    investigation_deadline=(
                        Question.deadline_for(spec["day"], settings.wmo_investigation_weeks)
                        if Law.WMO in laws
                        else None
                    ),
                    triage_rule_name=_("overgenomen uit de registratie van 2015"),
                    triage_team=self.teams[spec["gate"]],
                    team=self.teams[spec["team"]],
                    assigned_to=assigned,
                    status=Question.Status.CLOSED,
                    closed_at=received_at + timedelta(days=rng.randint(7, 45)),
                    closed_by=assigned,
                    closure_note=CLOSURE_NOTE,
                )
            )
        Question.objects.bulk_create(questions)
        links = [
            Question.life_domains.through(question_id=q.pk, lifedomain_id=self.domains[name].pk)
            for spec, q in zip(specs, questions, strict=True)
            for name in spec["domains"]
        ]
        Question.life_domains.through.objects.bulk_create(links)
        return questions

    def _create_forwards(self, specs, questions):
        forwards = []
        for spec, question in zip(specs, questions, strict=True):
            if spec["gate"] == spec["team"]:
                continue
            if spec["gate"] == LOKET:
                reason = _(
                    "Geen maatwerkvoorziening nodig: het kernteam kan met de inwoner zoeken "
                    "naar eigen kracht, netwerk of een vrijwilliger."
                )
            else:
                reason = _(
                    "De inwoner vraagt een maatwerkvoorziening: keukentafelgesprek door het loket."
                )
            forwards.append(
                QuestionForward(
                    municipality=self.municipality,
                    question=question,
                    from_team=question.gate,
                    to_team=question.team,
                    by=question.received_by,
                    at=question.received_at + timedelta(hours=self.rng.randint(2, 48)),
                    reason=reason,
                )
            )
        QuestionForward.objects.bulk_create(forwards)

    # --- cases, home visits, proposals and decisions -----------------------------

    def _mandate(self, law: str, team: Team | None = None) -> Membership:
        """The consultant who decides: the youth consultant for youth questions of
        the kernteams linked to him, else the first consultant mandated."""
        if (
            law == Law.JEUGDWET
            and team is not None
            and self.youth_consultant is not None
            and team.linked_loket_consultant_id == self.youth_consultant.staff_member_id
        ):
            return self.youth_consultant
        return self.mandates[law]

    def _create_cases(self, specs, questions):
        rng = self.rng
        # 15 with voorwerk: kernteam questions of January–April that ask for a
        # provision (household help, support, youth care), over all kernteams.
        candidates = [
            (spec, q)
            for spec, q in zip(specs, questions, strict=True)
            if spec["team"] in TABLE_1
            and spec["day"].month <= 4
            and (spec["youth"] or "Huishouden/verzorging" in spec["domains"])
        ]
        rng.shuffle(candidates)
        candidates.sort(key=lambda c: not c[0]["youth"])  # a few youth cases first
        youth = [c for c in candidates if c[0]["youth"]][:4]
        adults = [c for c in candidates if not c[0]["youth"]][: VOORWERK_CASES - len(youth)]
        voorwerk = youth + adults
        loket = [
            (spec, q) for spec, q in zip(specs, questions, strict=True) if spec.get("loket_case")
        ]
        plans = []
        for i, (spec, question) in enumerate(voorwerk):
            team = question.team
            director = question.assigned_to
            if spec["youth"]:
                kind, law, volume = "Jeugdhulp", Law.JEUGDWET, Decimal(2)
            elif i % 4 == 0:
                kind, law, volume = "Begeleiding", Law.WMO, Decimal(3)
            else:
                kind, law, volume = "Hulp bij het huishouden", Law.WMO, Decimal(3)
            opened = _next_working_day(spec["day"], rng.randint(2, 7))
            submitted = _next_working_day(opened, rng.randint(12, 24))
            # 002/memo: voorwerk lets the loket decide quickly.
            decided = _next_working_day(submitted, rng.randint(1, 6))
            outcome = (
                Decision.Outcome.REFUSED
                if i in (5, 11)
                else Decision.Outcome.GRANTED_CHANGED
                if i == 8
                else Decision.Outcome.GRANTED
            )
            mandate = self._mandate(law, team)
            plans.append(
                {
                    "question": question,
                    "team": team,
                    "director": director,
                    "provision": self.provision_types[kind],
                    "volume": volume,
                    "opened": opened,
                    "submitted": submitted,
                    "decided": decided,
                    "outcome": outcome,
                    "mandate": mandate,
                    "voorwerk": True,
                    "visit": i < JOINT_HOME_VISITS,
                }
            )
        for i, (spec, question) in enumerate(loket):
            law = Law.WMO
            kind, volume = (
                ("Rolstoel", Decimal(1)) if i % 5 == 0 else ("Hulp bij het huishouden", Decimal(4))
            )
            mandate = self._mandate(law)
            opened = _next_working_day(spec["day"], rng.randint(1, 5))
            submitted = _next_working_day(opened, rng.randint(14, 28))
            # Without voorwerk the consultant still works out the provision;
            # two miss the two weeks of the Wmo.
            wait = rng.randint(15, 19) if i in (3, 9) else rng.randint(6, 12)
            decided = _next_working_day(submitted, wait)
            outcome = (
                Decision.Outcome.REFUSED
                if i in (2, 7, 12)
                else Decision.Outcome.GRANTED_CHANGED
                if i == 10
                else Decision.Outcome.GRANTED
            )
            plans.append(
                {
                    "question": question,
                    "team": self.loket,
                    "director": mandate.staff_member,
                    "provision": self.provision_types[kind],
                    "volume": volume,
                    "opened": opened,
                    "submitted": submitted,
                    "decided": decided,
                    "outcome": outcome,
                    "mandate": mandate,
                    "voorwerk": False,
                    "visit": False,
                }
            )
        self._write_cases(plans)

    def _write_cases(self, plans):
        rng = self.rng
        municipality = self.municipality
        cases = []
        for plan in plans:
            question = plan["question"]
            closed_on = _next_working_day(plan["decided"], rng.randint(5, 20))
            cases.append(
                Case(
                    municipality=municipality,
                    household_id=question.household_id,
                    resident=question.resident,
                    team=plan["team"],
                    director=plan["director"],
                    status=Case.Status.CLOSED,
                    title=question.description[:80],
                    opened_on=plan["opened"],
                    closed_on=closed_on,
                    closure_note=CLOSURE_NOTE,
                    created_by=plan["director"],
                    updated_by=plan["director"],
                )
            )
        Case.objects.bulk_create(cases)
        DirectorChange.objects.bulk_create(
            DirectorChange(
                municipality=municipality,
                case=case,
                to_director=plan["director"],
                by=plan["director"],
                at=_at(plan["opened"], rng),
            )
            for case, plan in zip(cases, plans, strict=True)
        )
        for case, plan in zip(cases, plans, strict=True):
            plan["question"].case = case
        Question.objects.bulk_update([p["question"] for p in plans], ["case"])

        activities, participants = [], []
        for case, plan in zip(cases, plans, strict=True):
            if plan["visit"]:
                consultant = plan["mandate"]
                visit_day = _next_working_day(plan["opened"], rng.randint(3, 9))
                activities.append(
                    Activity(
                        municipality=municipality,
                        case=case,
                        kind=Activity.Kind.HOME_VISIT,
                        date=visit_day,
                        other_participants=_("de inwoner"),
                        note=_("Gezamenlijk huisbezoek van kernteam en loket."),
                        # What activity_record derives from the participants.
                        is_joint=True,
                        joint_laws=list(consultant.mandated_laws),
                        recorded_by=plan["director"],
                    )
                )
                participants.append([plan["director"], consultant.staff_member])
            elif not plan["voorwerk"]:
                activities.append(
                    Activity(
                        municipality=municipality,
                        case=case,
                        kind=Activity.Kind.KITCHEN_TABLE,
                        date=_next_working_day(plan["opened"], rng.randint(5, 12)),
                        other_participants=_("de inwoner"),
                        recorded_by=plan["director"],
                    )
                )
                participants.append([plan["director"]])
        Activity.objects.bulk_create(activities)
        Activity.participants.through.objects.bulk_create(
            Activity.participants.through(activity_id=a.pk, staffmember_id=s.pk)
            for a, people in zip(activities, participants, strict=True)
            for s in people
        )

        proposals = []
        for case, plan in zip(cases, plans, strict=True):
            provision = plan["provision"]
            start = plan["decided"]
            end = (
                start + timedelta(weeks=provision.default_duration_weeks)
                if provision.default_duration_weeks
                else None
            )
            submitted_at = _at(plan["submitted"], rng)
            proposals.append(
                Proposal(
                    municipality=municipality,
                    case=case,
                    resident=case.resident,
                    provision_type=provision,
                    volume=plan["volume"],
                    unit=provision.unit,
                    frequency="" if provision.unit == "piece" else "per_week",
                    start_date=start,
                    end_date=end,
                    motivation=_(
                        "Eigen kracht, netwerk en algemene voorzieningen zijn onvoldoende; "
                        "besproken met de inwoner."
                    ),
                    # At the loket: decided below, through the service.
                    status=Proposal.Status.SUBMITTED,
                    is_voorwerk=plan["voorwerk"],
                    drafted_by=plan["director"],
                    submitted_at=submitted_at,
                    submitted_by=plan["director"],
                    application_date=plan["submitted"],
                    decision_deadline=decision_deadline(
                        municipality, provision.law, plan["submitted"]
                    ),
                    assigned_consultant=plan["mandate"].staff_member,
                    updated_by=plan["mandate"].staff_member,
                    **self._delivery_form(provision, len(proposals)),
                )
            )
        Proposal.objects.bulk_create(proposals)

        # Each decided by its consultant through proposal_decide, with the clock
        # set to the moment it happened: the service checks the mandate, writes
        # the decision and grants the provision as on any other day.
        decisions = []
        for proposal, plan in zip(proposals, plans, strict=True):
            outcome = plan["outcome"]
            changes = {}
            reasons = ""
            if outcome == Decision.Outcome.GRANTED_CHANGED:
                changes["volume"] = proposal.volume - 1
                reasons = _("Toegekend met een uur minder: de mantelzorger helpt mee.")
            elif outcome == Decision.Outcome.REFUSED:
                reasons = _(
                    "Afgewezen: met de algemene voorziening en het netwerk is de inwoner "
                    "voldoende geholpen."
                )
            with time_machine.travel(_at(plan["decided"], rng), tick=False):
                decisions.append(
                    proposal_decide(
                        actor=plan["mandate"].staff_member.user,
                        proposal=proposal,
                        outcome=outcome,
                        reasons=reasons,
                        # Sent in 2015: not built now, one by one, while the
                        # demo loads (the daily sweep builds missing letters).
                        queue_letter=False,
                        **changes,
                    )
                )
        # What the daily sweep does with them since: a provision past its end
        # date has ended (without flagging a re-assessment ten years late).
        Provision.objects.filter(decision__in=decisions, end_date__lt=timezone.localdate()).update(
            status=Provision.Status.ENDED
        )
        # The bookkeeping dates of 2015.
        for case, plan in zip(cases, plans, strict=True):
            case.created_at = case.updated_at = _at(plan["opened"], rng)
        Case.objects.bulk_update(cases, ["created_at", "updated_at"])
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
            created_at=F("submitted_at"), updated_at=F("submitted_at")
        )
