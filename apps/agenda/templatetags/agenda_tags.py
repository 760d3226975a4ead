from django import template

from apps.agenda.case_sections import question_appointments as appointments_of_question

register = template.Library()


@register.simple_tag(takes_context=True)
def question_appointments(context, question) -> dict:
    """The question page's "Afspraken" section (one include line there)."""
    return appointments_of_question(question, context["request"].user)
