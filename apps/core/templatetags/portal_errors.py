"""Whether the page being rendered reports an error: a bound form with errors
anywhere in its context, or an error message. The <title> then starts with
"Fout:", as the GOV.UK and NL Design System error summaries do, so a screen
reader user hears at once that the page came back with errors."""

from django import forms, template
from django.contrib.messages import constants

register = template.Library()


def _forms_in(value):
    if isinstance(value, forms.BaseForm):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, forms.BaseForm):
                yield item
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, forms.BaseForm):
                yield item


def form_has_errors(form) -> bool:
    # Only a bound form can have errors; reading `errors` on it never runs a
    # validation that the view did not already run.
    return form.is_bound and bool(form.errors)


@register.simple_tag(takes_context=True)
def forms_have_errors(context) -> bool:
    """A form on the page came back with errors (and shows its own summary)."""
    return any(
        form_has_errors(form) for value in context.flatten().values() for form in _forms_in(value)
    )


@register.simple_tag(takes_context=True)
def messages_have_errors(context) -> bool:
    """An error message is shown (an action refused, after its redirect)."""
    return any(message.level >= constants.ERROR for message in context.get("messages") or ())


@register.filter
def field_anchor(bound_field) -> str:
    """The id an error summary links to: the field's control, or the first box or
    radio of a group (the group itself is a fieldset, which cannot take focus)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        for option in bound_field.subwidgets:
            return option.id_for_label
    return bound_field.id_for_label or bound_field.auto_id
