"""Template helpers for linking to cases from other apps' pages."""

from django import template

from apps.access import rules

register = template.Library()


@register.filter
def may_open_case(question, user) -> bool:
    """Whether the 'Casus starten' button is offered on a question's page."""
    return rules.may_open_case(user, question)


@register.filter
def visible_case(question, user):
    """The question's case when the user may open it, else None."""
    from apps.cases.selectors import visible_cases

    if question.case_id is None:
        return None
    return visible_cases(user, question.municipality).filter(pk=question.case_id).first()
