"""A styled form's widgets carry each NL Design System class once, however often
the form is styled (on creation and after each validation)."""

from django import forms

from apps.core.forms import StyledForm


class Filters(StyledForm):
    status = forms.ChoiceField(choices=[("open", "open")], required=True)
    q = forms.CharField(required=False)


def test_classes_are_added_once_however_often_the_form_is_styled():
    form = Filters(data={"status": "closed", "q": "x"})
    form.is_valid()
    form.style_fields()
    status = form.fields["status"].widget.attrs["class"].split()
    assert status.count("utrecht-select") == 1
    assert status.count("utrecht-select--invalid") == 1
    assert form.fields["q"].widget.attrs["class"].split().count("utrecht-textbox") == 1
