"""Objections (bezwaar, #21 part 3) in today's Overbetuwe, for the local demo
(`seed_demo`): one decided and one still open, each against a Jeugdwet decision
of the youth consultant, made and handled through the services as any other.

- The gate clarifier registers both objections; the loket consultant (mandated
  for the Jeugdwet too, and not the one who decided: Awb 7:5) decides one of them
  (unfounded). The other waits at the loket, its term running.
- Not in the 2015 history: everything happens in the last weeks, with the clock
  set to the day it happened.

Loaded once: a municipality that has an objection already, or lacks the demo
people, residents or the youth care provision (an admin changed them), is left
alone.
"""

from datetime import datetime, time, timedelta

import time_machine
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases.services import case_open
from apps.decisions import services as decisions
from apps.decisions.models import Objection, ProvisionType
from apps.intake import services as intake
from apps.intake.models import Channel, LifeDomain, Resident

CBS_CODE = "GM1734"
LOKET = "Loket Samenleven"
CONSULTANT = "consulent@overbetuwe.demo.test"
YOUTH_CONSULTANT = "jeugdconsulent@overbetuwe.demo.test"
GATE = "vraagverhelderaar@overbetuwe.demo.test"
PROVISION = "Jeugdhulp"
LIFE_DOMAIN = "Gezinsrelaties"

# (the parent's BSN, who asks; the child's, for whom; days ago: question, decision,
# objection received, decision on the objection or None for an open one)
OBJECTIONS = [
    ("999990196", "999990238", (70, 63, 40, 6), "unfounded"),
    ("999990056", "999990147", (30, 24, 3, None), None),
]


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_objections(municipality, *, teams: dict, staff_by_email: dict) -> bool:
    """Load the demo objections of Overbetuwe once; False when left alone."""
    if municipality.cbs_code != CBS_CODE or LOKET not in teams:
        return False
    if Objection.objects.filter(municipality=municipality).exists():
        return False
    people = [staff_by_email.get(e) for e in (CONSULTANT, YOUTH_CONSULTANT, GATE)]
    provision = ProvisionType.objects.filter(
        municipality=municipality, name=PROVISION, is_active=True
    ).first()
    domains = LifeDomain.objects.filter(municipality=municipality, is_active=True)
    # Not another domain: the demo leaves a municipality whose domains an admin
    # changed alone, as its questions do.
    domain = domains.filter(name=LIFE_DOMAIN).first()
    if None in people or provision is None or domain is None:
        return False
    consultant, youth_consultant, gate = people
    loket = teams[LOKET]
    for parent_bsn, child_bsn, (asked, decided, received, outcome_day), outcome in OBJECTIONS:
        parent = Resident.objects.filter(municipality=municipality, bsn=parent_bsn).first()
        child = Resident.objects.filter(municipality=municipality, bsn=child_bsn).first()
        if parent is None or child is None or parent.household_id != child.household_id:
            continue
        with time_machine.travel(_at(asked), tick=False):
            question = intake.question_register(
                actor=None,
                municipality=municipality,
                received_by=youth_consultant,
                new=intake.NewQuestion(
                    resident=parent,
                    channel=Channel.EMAIL,
                    received_at=_at(asked),
                    description=_(
                        "Ouder vraagt jeugdhulp voor haar kind: het gaat thuis en op school "
                        "niet goed."
                    ),
                    life_domains=[domain],
                    laws=["jeugdwet"],
                    gate=loket,
                    override_team=loket,
                    override_reason=_("Het loket handelt dit zelf af."),
                ),
            ).question
            case = case_open(actor=youth_consultant.user, question=question)
            start = timezone.localdate()
            proposal = decisions.proposal_draft(
                actor=youth_consultant.user,
                case=case,
                provision_type=provision,
                resident=child,
                volume=2,
                unit=provision.unit,
                frequency="per_week",
                start_date=start,
                motivation=_("Ambulante begeleiding thuis, twee uur per week."),
                # A grant has a form of delivery (#21 part 1): here a pgb.
                delivery_form="pgb",
                budget_amount=420,
                budget_period="per_month",
            )
            proposal = decisions.proposal_submit(actor=youth_consultant.user, proposal=proposal)
        with time_machine.travel(_at(decided), tick=False):
            decision = decisions.proposal_decide(
                actor=youth_consultant.user,
                proposal=proposal,
                outcome="granted_changed",
                reasons=_("Eén uur per week volstaat naast de hulp van school."),
                volume=1,
            )
        with time_machine.travel(_at(received, 14), tick=False):
            objection = decisions.objection_register(
                actor=gate.user,
                decision=decision,
                received_on=timezone.localdate(),
                lodged_by_name=parent.full_name,
                lodged_by_relation=Objection.LodgedBy.REPRESENTATIVE,
                grounds=_(
                    "Eén uur per week is te weinig: de ouder vraagt de twee uur die de "
                    "jeugdconsulent zelf voorstelde."
                ),
            )
        if outcome is None:
            continue
        with time_machine.travel(_at(outcome_day), tick=False):
            decisions.objection_decide(
                actor=consultant.user,
                objection=objection,
                outcome=outcome,
                reasons=_(
                    "Na het gesprek met de ouder en de school blijft één uur per week passend; "
                    "de school biedt de rest van de ondersteuning."
                ),
            )
    return True
