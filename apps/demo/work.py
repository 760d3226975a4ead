"""A realistic working day in every demo municipality (`seed_demo`, issue #19 part 5).

`seed_present_day_work(municipality, today=...)` fills the queues of one
municipality from its STRUCTURE, never from names: its active teams by kind, the
people in them by function (logins first) and the loket consultants by mandate.
So it also fills a municipality someone adds to the demo later. Per municipality:

- 20–40 fictional residents in households, with Dutch names and addresses in the
  municipality's areas, most with a (test-range) BSN; chosen by a random generator
  seeded with the municipality's CBS code, so every run makes the same people;
- questions registered by a gate clarifier (else a loket consultant) and triaged
  by the municipality's own rules; one that lands elsewhere than the team of the
  resident's area is forwarded there, with the reason, by a handler of the team
  it landed at. Every team gets new questions in its inbox; one per team is taken
  up by a member;
- running cases (each handler with a login directs one) with ZRM scores, an
  agreed support plan and activities; appointments today and this week;
- proposals submitted to the loket (one past its decision deadline, one close to
  it, the rest fresh), a granted and a refused decision (their letters built after the commit), a
  closed case whose check-ins are due today and later this week, and, where a
  team has a shell partner, a case they were asked to join;
- last month's report (the monthly job), for the policy advisor.

Everything goes through the services, with the member who would do it as the
actor, dated relative to `today`. Where a service stamps "now" and offers no date
argument, one step writes the timestamps only (`_backdate`): a case's opening
date and a proposal's submission (its decision deadline recomputed by the
service's own `decision_deadline`). Nothing falls in 2015, so Overbetuwe's
history and its report stay as they are.

Idempotent: a municipality that has a resident with a BSN of this module's range
(`WORK_BSN_PREFIX`) already has its work and is left alone.
"""

import random
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.access.rules import HANDLING_FUNCTIONS, mandate_for
from apps.agenda.models import Appointment
from apps.agenda.services import appointment_plan
from apps.cases import services as cases
from apps.cases.models import Activity, Case, Solution
from apps.decisions.models import (
    BudgetPeriod,
    Decision,
    DeliveryForm,
    Frequency,
    Proposal,
    Provider,
    ProvisionType,
)
from apps.decisions.services import (
    decision_deadline,
    decision_weeks,
    proposal_decide,
    proposal_draft,
    proposal_submit,
)
from apps.intake import services as intake
from apps.intake.models import Channel, LifeDomain, Question, Resident
from apps.intake.validators import is_valid_bsn
from apps.reporting.services import report_schedule_last_month
from apps.teams.models import Area, Law, Membership, Team

F = Membership.Function

# The BSNs of this module: valid (11-test) numbers in the 9997… test range (the
# 2015 history uses 99991…, the hand-written residents 99999…). Also the marker
# that a municipality's present-day work is loaded.
WORK_BSN_PREFIX = "9997"

FIRST_NAMES_F = [
    "Anna", "Sanne", "Fatima", "Ingrid", "Marieke", "Yvonne", "Esra", "Petra", "Lotte",
    "Wilma", "Naima", "Joke", "Monique", "Priya", "Ria", "Karin", "Mila", "Saskia",
]  # fmt: skip
FIRST_NAMES_M = [
    "Jan", "Mohamed", "Peter", "Kevin", "Henk", "Ahmet", "Ruud", "Dennis", "Willem",
    "Youssef", "Bram", "Gert", "Marco", "Stefan", "Kofi", "Theo", "Johan", "Erik",
]  # fmt: skip
FIRST_NAMES_CHILD = [
    "Emma", "Liam", "Noor", "Sem", "Julia", "Finn", "Sara", "Levi", "Zoë", "Adam",
    "Tess", "Mees", "Lina", "Daan", "Yara", "Luuk",
]  # fmt: skip
SURNAMES = [
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Visser"), ("", "Meijer"),
    ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"),
    ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"),
    ("de", "Wit"), ("", "Dijkstra"), ("de", "Graaf"), ("van der", "Meer"), ("", "Kok"),
    ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"),
    ("van der", "Veen"), ("van den", "Broek"), ("", "Schouten"), ("van", "Beek"),
    ("", "Willems"), ("van", "Vliet"), ("", "Hoekstra"), ("", "Maas"), ("", "Koster"),
    ("van", "Dam"), ("", "Prins"), ("", "Blom"), ("", "Huisman"), ("El", "Amrani"),
    ("", "Yilmaz"), ("", "Öztürk"), ("", "Pinas"), ("", "Nguyen"), ("", "Kaya"),
]  # fmt: skip
STREETS = [
    "Dorpsstraat", "Kerkstraat", "Molenweg", "Julianalaan", "Beatrixstraat", "Schoolstraat",
    "Lindenlaan", "Eikenlaan", "Wilhelminastraat", "Prins Bernhardlaan", "Rozenstraat",
    "Merelstraat", "Vondellaan", "Stationsweg", "Burgemeester de Withstraat", "Zuiderweg",
    "Populierenlaan", "Irisstraat", "Esdoornlaan", "Marktplein",
]  # fmt: skip


@dataclass
class Story:
    """One question of a resident: what they ask, in which life domains (matched
    to the municipality's own list by keyword), under which laws, and the
    provision it may lead to (by law)."""

    description: str
    domains: tuple
    laws: tuple = ()
    channel: str = Channel.TELEPHONE
    youth: bool = False
    provision_law: str = ""
    goal: str = ""
    solution: str = ""


STORIES = [
    Story(
        "Mevrouw belt: sinds haar heupoperatie lukt het schoonmaken niet meer en haar "
        "dochter woont ver weg. Ze vraagt om hulp in het huishouden.",
        ("huishoud", "adl", "lichamelijk"),
        (Law.WMO,),
        provision_law=Law.WMO,
        goal="Het huis is schoon en leefbaar; mevrouw houdt energie over voor de dag.",
        solution="Dochter komt om de week op zaterdag de boodschappen doen.",
    ),
    Story(
        "Meneer komt op het inloopspreekuur met een stapel onbetaalde rekeningen. Er "
        "dreigt afsluiting van gas en licht.",
        ("geld", "financ"),
        (Law.PARTICIPATIEWET,),
        Channel.WALK_IN,
        provision_law=Law.PARTICIPATIEWET,
        goal="De vaste lasten worden elke maand op tijd betaald.",
        solution="Vrijwilliger van de thuisadministratie komt elke week langs.",
    ),
    Story(
        "De huisarts meldt dat moeder overbelast is: de zoon van 10 heeft veel woedeuitbarstingen "
        "en de school maakt zich zorgen.",
        ("gezin", "huiselijk", "geestelijk"),
        (Law.JEUGDWET,),
        Channel.THIRD_PARTY,
        youth=True,
        provision_law=Law.JEUGDWET,
        goal="Thuis en op school zijn er minder conflicten; moeder weet hoe ze kan reageren.",
        solution="Opvoedcursus bij het wijkcentrum (algemene voorziening).",
    ),
    Story(
        "Meneer zit sinds zijn ontslag veel thuis, ziet bijna niemand meer en vraagt wat er "
        "in de buurt te doen is.",
        ("sociaal", "sociale", "tijdsbesteding", "werk", "meedoen"),
        (),
        Channel.EMAIL,
        goal="Meneer heeft twee vaste momenten per week buiten de deur.",
        solution="Buurman neemt hem mee naar de biljartclub.",
    ),
    Story(
        "Mevrouw loopt slecht en kan haar woning niet meer uit zonder hulp. Ze vraagt naar "
        "een rolstoel en vervoer.",
        ("lichamelijk", "participatie", "meedoen"),
        (Law.WMO,),
        provision_law=Law.WMO,
        goal="Mevrouw kan zelf naar de supermarkt en de kerk.",
        solution="Kleinzoon rijdt op zondag naar de kerk.",
    ),
    Story(
        "Vader mailt: hun dochter van 14 gaat al weken niet naar school en zit veel op haar "
        "kamer. Hij weet niet hoe hij haar kan helpen.",
        ("gezin", "huiselijk", "geestelijk", "opleiding", "werk"),
        (Law.JEUGDWET,),
        Channel.EMAIL,
        youth=True,
        provision_law=Law.JEUGDWET,
        goal="Dochter gaat weer naar school, eerst halve dagen.",
        solution="Mentor van school belt elke ochtend even.",
    ),
    Story(
        "De woningcorporatie meldt een huurachterstand van drie maanden en een rommelige "
        "woning; meneer reageert niet op brieven.",
        ("wonen", "huisvesting", "geld", "financ"),
        (),
        Channel.THIRD_PARTY,
        provision_law=Law.WMO,
        goal="De huurachterstand is geregeld en de woning is weer op orde.",
        solution="Betalingsregeling met de corporatie, met hulp van zijn broer.",
    ),
    Story(
        "Mantelzorger belt: haar man met beginnende dementie wordt 's middags onrustig en zij "
        "raakt uitgeput. Ze vraagt om begeleiding of dagbesteding.",
        ("geestelijk", "sociaal", "sociale", "tijdsbesteding"),
        (Law.WMO,),
        provision_law=Law.WMO,
        goal="De mantelzorger heeft drie middagen per week voor zichzelf.",
        solution="Zoon neemt één middag per week over.",
    ),
]


@dataclass
class People:
    """Who works where, read from the municipality's memberships."""

    loket: Team | None
    consultants: list  # loket consultant memberships, logins first
    gate: Membership | None  # who registers questions (a gate clarifier)
    handlers: dict  # team -> handling memberships, logins first
    viewers: dict  # team -> memberships that only read (behavioural expert)
    shell_partners: dict  # team -> shell partner memberships
    teams: list = field(default_factory=list)


def _logins_first(memberships):
    return sorted(
        memberships,
        key=lambda m: (not m.staff_member.user.has_usable_password(), m.staff_member.user.email),
    )


def _people(municipality) -> People:
    memberships = list(
        Membership.objects.active()
        .filter(municipality=municipality)
        .select_related("team", "staff_member__user")
        .order_by("team__name", "pk")
    )
    teams = sorted({m.team for m in memberships}, key=lambda t: (t.kind != Team.Kind.LOKET, t.name))
    loket = next((t for t in teams if t.kind == Team.Kind.LOKET), None)
    consultants = _logins_first(m for m in memberships if m.is_loket_consultant)
    gates = _logins_first(m for m in memberships if m.function == F.GATE_CLARIFIER)
    by_team = {t: [m for m in memberships if m.team_id == t.pk] for t in teams}
    handlers = {
        t: _logins_first(m for m in ms if m.function in HANDLING_FUNCTIONS)
        for t, ms in by_team.items()
    }
    viewers = {
        t: [m for m in ms if m.function == F.BEHAVIOURAL_EXPERT] for t, ms in by_team.items()
    }
    shell_partners = {
        t: _logins_first(m for m in ms if m.function == F.SHELL_PARTNER)
        for t, ms in by_team.items()
    }
    return People(
        loket=loket,
        consultants=consultants,
        gate=gates[0] if gates else (consultants[0] if consultants else None),
        handlers=handlers,
        viewers=viewers,
        shell_partners=shell_partners,
        teams=teams,
    )


def work_is_loaded(municipality) -> bool:
    return Resident.objects.filter(
        municipality=municipality, bsn__startswith=WORK_BSN_PREFIX
    ).exists()


def seed_present_day_work(municipality, *, today: date | None = None) -> bool:
    """Load the municipality's working day (once, inside its scope). Returns
    whether it did: not when it is loaded already, nor when the municipality has
    no loket consultant or nobody to register a question."""
    today = today or timezone.localdate()
    if work_is_loaded(municipality):
        return False
    people = _people(municipality)
    if people.loket is None or not people.consultants or people.gate is None:
        return False
    _Day(municipality, people, today).load()
    return True


# --- the one place a grant, a refusal and a proposal are made -------------------------


def _propose(*, case: Case, director, provision_type: ProvisionType, today: date, motivation):
    """Draft and submit a proposal (voorwerk, or the loket's own path on a loket
    case). Every proposal of the demo's present day is made here."""
    unit = provision_type.unit
    volume = {"hours_per_week": Decimal("3"), "trip": Decimal("10")}.get(unit, Decimal("1"))
    proposal = proposal_draft(
        actor=director.user,
        case=case,
        provision_type=provision_type,
        volume=volume,
        unit=unit,
        frequency=Frequency.PER_WEEK if unit in ("hours_per_week", "trip") else Frequency.ONCE,
        start_date=today + timedelta(days=14),
        motivation=motivation,
        **_delivery_form(case.municipality, provision_type),
    )
    return proposal_submit(actor=director.user, proposal=proposal)


def _delivery_form(municipality, provision_type: ProvisionType) -> dict:
    """The form of delivery the team proposes (#21 part 1): in kind by the first
    active provider contracted for the provision, or else a personal budget."""
    provider = (
        Provider.objects.filter(
            municipality=municipality, is_active=True, provision_types=provision_type
        )
        .order_by("name")
        .first()
    )
    if provider is not None:
        return {"delivery_form": DeliveryForm.ZIN, "provider": provider}
    return {
        "delivery_form": DeliveryForm.PGB,
        "budget_amount": Decimal("350"),
        "budget_period": BudgetPeriod.PER_MONTH,
    }


def _grant(*, consultant, proposal: Proposal) -> Decision:
    """Grant a proposal as proposed, with the form of delivery its proposal
    carries (`_delivery_form`). Every grant of the demo's present day is made
    here. Its letter is built after the commit, as for any decision (by the
    worker, or at once where Celery runs eagerly: `make run`)."""
    return proposal_decide(
        actor=consultant.user, proposal=proposal, outcome=Decision.Outcome.GRANTED
    )


def _refuse(*, consultant, proposal: Proposal, reasons: str) -> Decision:
    return proposal_decide(
        actor=consultant.user,
        proposal=proposal,
        outcome=Decision.Outcome.REFUSED,
        reasons=reasons,
    )


# --- back-dating: timestamps only -----------------------------------------------------


def _backdate(*, case: Case | None = None, opened_on=None, proposal=None, submitted_on=None):
    """Write when something happened where the service stamps today and offers
    no date argument: a case's opening date, a proposal's submission (with the
    decision deadline the law gives from that date, by the service's own rule).
    Timestamps only, never a status."""
    if case is not None:
        Case.objects.filter(pk=case.pk).update(
            opened_on=opened_on, created_at=_moment(opened_on, 10)
        )
    if proposal is not None:
        Proposal.objects.filter(pk=proposal.pk).update(
            application_date=submitted_on,
            submitted_at=_moment(submitted_on, 11),
            decision_deadline=decision_deadline(
                proposal.municipality, proposal.provision_type.law, submitted_on
            ),
        )


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _working_day(day: date, step: int = -1) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


def _bsns(municipality, rng, count: int) -> list[str]:
    taken = set(Resident.objects.filter(municipality=municipality).values_list("bsn", flat=True))
    number = int(WORK_BSN_PREFIX) * 100_000 + rng.randrange(0, 90) * 1000
    found = []
    while len(found) < count:
        candidate = str(number)
        if is_valid_bsn(candidate) and candidate not in taken:
            found.append(candidate)
        number += 1
    return found


class _Day:
    def __init__(self, municipality, people: People, today: date):
        self.municipality = municipality
        self.people = people
        self.today = today
        self.now = timezone.localtime()
        # Demo data, not security: seeded so every run makes the same people.
        self.rng = random.Random(zlib.crc32(municipality.cbs_code.encode()))  # noqa: S311
        self.domains = list(LifeDomain.objects.filter(municipality=municipality, is_active=True))
        self.areas = list(Area.objects.filter(municipality=municipality).order_by("name"))
        self.types = list(ProvisionType.objects.filter(municipality=municipality).order_by("name"))
        self.surnames = list(SURNAMES)
        self.rng.shuffle(self.surnames)
        self.bsns = iter(_bsns(municipality, self.rng, 40))
        self.postcodes = {
            area.pk: f"{self.rng.randrange(1000, 9999)} {self._letters()}" for area in self.areas
        }
        self.story = 0
        self.registrar = people.gate.staff_member

    def _letters(self) -> str:
        return "".join(self.rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))

    # --- residents and questions --------------------------------------------------

    def _area_for(self, team: Team) -> Area | None:
        own = list(team.areas.all())
        if own:
            return self.rng.choice(own)
        return self.rng.choice(self.areas) if self.areas else None

    def _domains(self, story: Story) -> list:
        found = [d for d in self.domains if any(word in d.name.lower() for word in story.domains)]
        return found[:2] or self.domains[:1]

    def _resident_data(self, area, *, age: int, female: bool, surname) -> dict:
        prefix, name = surname
        first = self.rng.choice(
            FIRST_NAMES_CHILD if age < 18 else (FIRST_NAMES_F if female else FIRST_NAMES_M)
        )
        return {
            "bsn": next(self.bsns) if self.rng.random() < 0.8 or age < 18 else "",
            "first_names": first,
            "surname_prefix": prefix,
            "surname": name,
            "date_of_birth": self.today - timedelta(days=age * 365 + self.rng.randrange(300)),
            "street": f"{self.rng.choice(STREETS)} {self.rng.randrange(1, 140)}",
            "postcode": self.postcodes.get(area.pk, "") if area else "",
            "city": area.name if area else self.municipality.name,
            "area": area,
        }

    def question(self, team: Team, *, days_ago: int, story: Story | None = None) -> Question:
        """A resident (in a household) asks a question that ends at `team`."""
        story = story or STORIES[self.story % len(STORIES)]
        self.story += 1
        area = self._area_for(team)
        surname = self.surnames.pop() if self.surnames else ("", "Jansen")
        child_age = self.rng.randrange(8, 16)
        adult = self._resident_data(
            area, age=self.rng.randrange(30, 50) if story.youth else self.rng.randrange(35, 88),
            female=self.rng.random() < 0.6, surname=surname,
        )  # fmt: skip
        subject = (
            self._resident_data(area, age=child_age, female=False, surname=surname)
            if story.youth
            else None
        )
        received_at = _moment(
            _working_day(self.today - timedelta(days=days_ago)), self.rng.randrange(9, 16)
        )
        if received_at > self.now:
            received_at = self.now - timedelta(minutes=30)
        actor = self.registrar.user
        child = None
        if story.youth:
            # The parent is the household's applicant; the question is about the child.
            parent = intake.resident_save(
                actor=actor, resident=Resident(municipality=self.municipality, **adult)
            )
            household = intake.household_create(actor=actor, resident=parent)
            child = intake.household_add_member(
                actor=actor, household=household, relation=Resident.Relation.CHILD,
                resident_data=subject,
            )  # fmt: skip
        new = intake.NewQuestion(
            resident=child,
            resident_data=None if child else adult,
            access_reason="Aanmelding door de ouder voor het kind in het huishouden."
            if child
            else "",
            channel=story.channel,
            received_at=received_at,
            description=story.description,
            life_domains=self._domains(story),
            laws=list(story.laws),
            gate=self.people.gate.team,
        )
        landing = intake.triage(
            municipality=self.municipality,
            channel=new.channel,
            is_youth=story.youth,
            laws=new.laws,
            life_domains=new.life_domains,
            area=area,
        ).team
        forwarder = self.people.handlers.get(landing) if landing else None
        if landing != team and not forwarder:
            new.override_team = team
            new.override_reason = f"Hoort bij {team.name}: daar kent men de buurt en het aanbod."
        question = intake.question_register(
            actor=actor, municipality=self.municipality, received_by=self.registrar, new=new
        ).question
        if child is None:
            household = intake.household_create(actor=actor, resident=question.resident)
            if self.rng.random() < 0.4:
                partner = self._resident_data(
                    area, age=self.rng.randrange(35, 85),
                    female=adult["first_names"] not in FIRST_NAMES_F, surname=surname,
                )  # fmt: skip
                intake.household_add_member(
                    actor=actor, household=household, relation=Resident.Relation.PARTNER,
                    resident_data=partner,
                )  # fmt: skip
        if question.team_id != team.pk:
            intake.question_forward(
                actor=self.people.handlers[question.team][0].staff_member.user,
                question=question,
                to_team=team,
                reason=f"De inwoner woont in het werkgebied van {team.name}, dat de vraag "
                f"verder oppakt.",
            )
            question.refresh_from_db()
        return question

    # --- cases --------------------------------------------------------------------

    def case(self, question: Question, director: Membership, *, story: Story) -> Case:
        user = director.staff_member.user
        case = cases.case_open(actor=user, question=question)
        opened = timezone.localtime(question.received_at).date() + timedelta(days=2)
        opened = min(opened, self.today)
        _backdate(case=case, opened_on=opened)
        case.refresh_from_db()
        cases.activity_record(
            actor=user,
            case=case,
            kind=Activity.Kind.KITCHEN_TABLE,
            date=opened,
            note="Keukentafelgesprek met de inwoner: de vraag en de eigen mogelijkheden "
            "doorgenomen.",
        )
        scores = {d: self.rng.randrange(2, 4) for d in self.domains[:5]}
        for d in self._domains(story):
            scores[d] = 2
        cases.assessment_record(
            actor=user, case=case, assessed_on=opened, scores=scores,
            note="Eerste meting bij het keukentafelgesprek.",
        )  # fmt: skip
        plan = cases.plan_start(actor=user, case=case)
        cases.plan_update(
            actor=user, plan=plan,
            summary="Wat de inwoner zelf wil bereiken, en wie daarbij helpt.",
        )  # fmt: skip
        goal = cases.goal_add(
            actor=user, plan=plan, life_domain=self._domains(story)[0],
            description=story.goal or "De inwoner redt het weer zelf.",
        )  # fmt: skip
        cases.solution_add(
            actor=user, goal=goal, level=Solution.Level.NETWORK,
            description=story.solution or "Familie helpt mee.",
        )  # fmt: skip
        cases.plan_agree(
            actor=user, plan=plan, agreed_on=min(opened + timedelta(days=3), self.today)
        )
        cases.activity_record(
            actor=user,
            case=case,
            kind=Activity.Kind.CONTACT,
            date=self.today - timedelta(days=1),
            note="Telefonisch contact: de afspraken uit het plan lopen.",
        )
        case.refresh_from_db()
        return case

    def appointment(self, case: Case, director: Membership, *, day_offset: int, extra=()):
        day = self.today + timedelta(days=day_offset)
        starts = _moment(day, 10 + day_offset % 5)
        if starts <= self.now + timedelta(minutes=30):
            starts = _moment(self.today + timedelta(days=1), 14)
        return appointment_plan(
            actor=director.staff_member.user,
            case=case,
            kind=Appointment.Kind.HOME_VISIT if extra else Appointment.Kind.KITCHEN_TABLE,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            place=case.resident.street if case.resident else "",
            participants=list(extra),
        )

    def provision_type(self, law: str) -> ProvisionType | None:
        mandated = [
            t
            for t in self.types
            if t.law == (law or Law.WMO)
            and any(
                mandate_for(c.staff_member, self.municipality, t.law)
                for c in self.people.consultants
            )
        ]
        return mandated[0] if mandated else None

    def consultant_for(self, law: str) -> Membership | None:
        return next(
            (
                c
                for c in self.people.consultants
                if mandate_for(c.staff_member, self.municipality, law)
            ),
            None,
        )

    # --- the day ------------------------------------------------------------------

    def load(self):
        people = self.people
        teams = [t for t in people.teams if people.handlers.get(t)]
        reading_only = [t for t in people.teams if not people.handlers.get(t)]
        # Every team's inbox: new questions (the older ones past their Wmo
        # investigation term when they are a Wmo report), one taken up by a member.
        per_team = max(2, min(4, 12 // max(len(teams), 1)))
        for team in teams:
            for n in range(per_team - 1):
                self.question(team, days_ago=(0, 3, 9)[n % 3])
            taken = self.question(team, days_ago=6)
            intake.question_assign(actor=people.handlers[team][0].staff_member.user, question=taken)
        # A team where nobody handles questions (an expertise team) still gets one
        # sent to it by the loket, for those who read it.
        for team in reading_only:
            if people.viewers.get(team):
                question = self.question(people.loket, days_ago=2)
                intake.question_forward(
                    actor=people.consultants[0].staff_member.user,
                    question=question,
                    to_team=team,
                    reason="Advies van de gedragsdeskundige nodig voordat het team verder gaat.",
                )
        # Running cases: each handler with a login directs one (a team without
        # logins: its first handler), with an appointment today or this week.
        self.proposals = []
        self.cases_made = 0
        for team in teams:
            directors = [
                m for m in people.handlers[team] if m.staff_member.user.has_usable_password()
            ]
            others = [m for m in people.handlers[team] if m not in directors]
            if others and (not directors or (len(directors) < 2 and len(teams) <= 3)):
                directors.append(others[0])
            for i, director in enumerate(directors[:4]):
                self._running_case(team, director, i)
        # At least five proposals in every municipality: more cases at the teams
        # that are not the loket, with a Wmo question.
        kernteams = [t for t in teams if t.kind != Team.Kind.LOKET] or teams
        extra = 0
        while len(self.proposals) < 5 and extra < 10:
            team = kernteams[extra % len(kernteams)]
            self._running_case(
                team, people.handlers[team][0], 4 + extra, story=STORIES[extra % 2 * 4]
            )
            extra += 1
        # A closed case whose check-ins are due today and later this week, at a
        # team where someone with a login directs it.
        team = next(
            (t for t in kernteams if people.handlers[t][0].staff_member.user.has_usable_password()),
            kernteams[0],
        )
        director = people.handlers[team][0]
        question = self.question(team, days_ago=70, story=STORIES[3])
        case = self.case(question, director, story=STORIES[3])
        cases.case_close(
            actor=director.staff_member.user,
            case=case,
            note="De doelen zijn bereikt; we bellen nog twee keer om te horen hoe het gaat.",
            closed_on=self.today - timedelta(days=28),
            follow_up_dates=[self.today, self.today + timedelta(days=3)],
        )
        self._proposals(self.proposals)
        # The monthly job made last month's report for the policy advisor.
        report_schedule_last_month(self.municipality, today=self.today)

    def _running_case(self, team, director, i, story=None):
        story = story or STORIES[self.cases_made % len(STORIES)]
        self.cases_made += 1
        question = self.question(team, days_ago=20 + 9 * (i % 4), story=story)
        case = self.case(question, director, story=story)
        linked = team.linked_loket_consultant
        extra = []
        if linked is not None and i == 0 and team.kind != Team.Kind.LOKET:
            extra = [linked]  # a joint home visit with the loket
        self.appointment(case, director, day_offset=i % 5, extra=extra)
        provision_type = self.provision_type(story.provision_law) if story.provision_law else None
        if provision_type is not None:
            self.proposals.append((case, director, provision_type))
        partners = self.people.shell_partners.get(team)
        if i == 0 and partners:
            cases.case_join(
                actor=director.staff_member.user,
                case=case,
                staff_member=partners[0].staff_member,
                reason="De schilpartner kent het gezin en sluit aan bij de casusbespreking.",
            )
        return case

    def _proposals(self, proposals):
        """Submitted proposals in the loket's queue (one past its deadline, one
        close to it), and a granted and a refused decision."""
        decide = proposals[:2]
        for n, (case, director, provision_type) in enumerate(proposals):
            proposal = _propose(
                case=case,
                director=director.staff_member,
                provision_type=provision_type,
                today=self.today,
                motivation="Het plan laat zien dat eigen kracht en netwerk niet genoeg zijn; "
                "een maatwerkvoorziening is nodig om het doel te halen.",
            )
            if (case, director, provision_type) in decide:
                consultant = self.consultant_for(provision_type.law)
                if consultant is None:
                    continue
                if n == 0:
                    _grant(consultant=consultant.staff_member, proposal=proposal)
                else:
                    _refuse(
                        consultant=consultant.staff_member,
                        proposal=proposal,
                        reasons="Er is een passende algemene voorziening in de buurt; die "
                        "gaat voor een maatwerkvoorziening.",
                    )
                continue
            weeks = decision_weeks(
                intake.intake_settings_for(self.municipality), provision_type.law
            )
            if n == len(decide):
                # Past its decision deadline: submitted longer ago than the law allows.
                _backdate(
                    proposal=proposal,
                    submitted_on=self.today - timedelta(weeks=weeks, days=2),
                )
            elif n == len(decide) + 1:
                # Three days left.
                _backdate(
                    proposal=proposal,
                    submitted_on=self.today - timedelta(weeks=weeks, days=-3),
                )
