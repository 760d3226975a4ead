"""The issue's "done when" in the demo: after seed_demo, the kernteam member of
Elst sends the acknowledgement of the Wmo melding at their team."""

from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from apps.accounts.models import User
from apps.intake.models import Question
from apps.letters.models import Letter, LetterTemplate
from apps.letters.placeholders import LetterKind
from apps.tenants.models import Municipality


def test_a_kernteam_member_sends_the_acknowledgement_in_the_demo(db, client):
    call_command("seed_demo", allow_without_debug=True)
    call_command("seed_demo", allow_without_debug=True)  # idempotent
    with scopes_disabled():
        municipality = Municipality.objects.get(name__icontains="Overbetuwe")
    member = User.objects.get(email="kernteamlid@overbetuwe.demo.test")
    with scope(municipality=municipality):
        assert LetterTemplate.objects.filter(municipality=municipality).count() == len(
            LetterKind.values
        )
        question = Question.objects.filter(
            municipality=municipality,
            team__name="Kernteam Elst",
            laws__contains=["wmo"],
            investigation_deadline__isnull=False,
        ).first()
    assert question is not None
    client.force_login(member)
    client.get(reverse("core:start"))  # the session settles on their one municipality
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    url = reverse("letters:acknowledgement_create", args=[question.pk])
    assert url in page
    assert client.post(url, {}).status_code == 302
    with scope(municipality=municipality):
        letter = Letter.objects.get(question=question)
    assert letter.kind == LetterKind.ACKNOWLEDGEMENT
    assert client.get(reverse("letters:letter_pdf", args=[letter.pk])).status_code == 200
