"""The case page's "Afspraken" section (`apps.cases.registry`) and the question
page's (`agenda_tags.question_appointments`): the appointments of the case or
question, in a fixed number of queries, and whether the user may plan one."""

from apps.access import rules
from apps.agenda import selectors
from apps.agenda.models import Appointment


def case_appointments(case, user) -> dict:
    # The case page shows the case to `user`: its appointments are theirs to see.
    return {
        "appointments": list(
            selectors.with_details(Appointment.objects.filter(case=case)).order_by(
                "starts_at", "pk"
            )[: selectors.LIST_LIMIT]
        ),
        "may_plan_appointment": rules.may_plan_on_case(user, case),
    }


def question_appointments(question, user) -> dict:
    # The question page shows the question to `user` (else it is refused), but
    # an appointment of a case only to who sees that case: the appointment rule.
    appointments = selectors.visible_appointments(user, question.municipality).filter(
        question=question
    )
    return {
        "appointments": list(
            selectors.with_details(appointments).order_by("starts_at", "pk")[: selectors.LIST_LIMIT]
        ),
        "may_plan": rules.may_plan_on_question(user, question),
    }
