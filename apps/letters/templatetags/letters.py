"""The letters sections of a question's page and of the loket's proposal page
(the intake and decisions apps below cannot read letters):
`{% question_letters question %}`, `{% proposal_letters proposal %}`."""

from django import template

from apps.access import rules
from apps.letters import selectors, services
from apps.letters.placeholders import LetterKind
from apps.teams.models import Law

register = template.Library()


@register.inclusion_tag("letters/_question_letters.html", takes_context=True)
def question_letters(context, question):
    """The letters sent about the question (two queries) and, for whoever handles
    it, the letters they may make now."""
    user = context["request"].user
    may_write = rules.may_write_question_letter(user, question)
    is_wmo_melding = Law.WMO in (question.laws or []) and question.investigation_deadline
    return {
        "question": question,
        "letters": selectors.letters_of_question(question),
        "may_write": may_write,
        "offer_acknowledgement": bool(may_write and is_wmo_melding),
        # After an extension of the investigation deadline: the notice of it.
        "offer_postponement": bool(may_write and services.latest_extension(question)),
        "kinds": LetterKind,
        "request": context["request"],
    }


@register.inclusion_tag("letters/_proposal_letters.html", takes_context=True)
def proposal_letters(context, proposal):
    """The letters sent about the proposal (one query) and, for whoever may
    change its decision deadline, the notice after an extension."""
    user = context["request"].user
    may_write = rules.may_write_proposal_letter(user, proposal)
    return {
        "proposal": proposal,
        "letters": selectors.letters_of_proposal(proposal),
        "offer_postponement": bool(may_write and services.latest_proposal_extension(proposal)),
        "request": context["request"],
    }
