"""The municipality's letter texts: placeholders from a whitelist only (a
template injection is refused, naming it), versioned edits, defaults."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from apps.core.exceptions import ConcurrentEditError
from apps.letters import services
from apps.letters.models import LetterTemplate
from apps.letters.placeholders import LetterKind, fill


def own_template(town, kind=LetterKind.ACKNOWLEDGEMENT):
    with scope(municipality=town["m"]):
        return services.letter_template_create(
            actor=town["municipality_admin"], municipality=town["m"], kind=kind
        )


def test_the_admin_changes_the_text_and_letters_use_it(town, client):
    template = own_template(town)
    client.force_login(town["municipality_admin"])
    url = reverse("letters:template_edit", args=[template.pk])
    page = client.get(url).content.decode()
    assert "{uiterste_datum_onderzoek}" in page
    response = client.post(
        url,
        {"subject": "Melding {vraagnummer}", "body": "Beste {naam}.", "version": template.version},
    )
    assert response.status_code == 302
    with scope(municipality=town["m"]):
        letter = services.letter_create(
            actor=town["team_member"], kind=LetterKind.ACKNOWLEDGEMENT, question=town["question"]
        )
        assert LetterTemplate.objects.get(pk=template.pk).version == template.version + 1
    assert letter.subject == f"Melding {town['question'].pk}"
    assert letter.body == "Beste Anna Brief-Ontvanger."


@pytest.mark.parametrize(
    "text, named",
    [
        ("Beste {achternaam},", "{achternaam}"),
        ("Sleutel: {{ settings.SECRET_KEY }}", "{ settings.SECRET_KEY }"),
        ("Klasse: {naam.__class__}", "{naam.__class__}"),
        ("{% load static %}{datum_gesprek}", "{datum_gesprek}"),
    ],
)
def test_unknown_placeholders_and_injections_are_refused_naming_them(town, client, text, named):
    template = own_template(town)
    client.force_login(town["municipality_admin"])
    response = client.post(
        reverse("letters:template_edit", args=[template.pk]),
        {"subject": "Onderwerp", "body": text, "version": template.version},
    )
    assert response.status_code == 200
    assert named in str(response.context["form"].errors["body"])
    with scope(municipality=town["m"]):
        stored = LetterTemplate.objects.get(pk=template.pk)
        assert stored.body == template.body and stored.version == template.version
        with pytest.raises(ValidationError) as refused:
            services.letter_template_update(
                actor=town["municipality_admin"],
                template=template,
                subject=text,
                body="Beste {naam},",
                expected_version=template.version,
            )
        assert named in str(refused.value.message_dict["subject"])


def test_fill_never_evaluates_anything():
    values = {"naam": "Anna"}
    text = "{naam} {{ settings.SECRET_KEY }} {naam.__class__} {% debug %} {unknown}"
    assert (
        fill(text, values)
        == "Anna {{ settings.SECRET_KEY }} {naam.__class__} {% debug %} {unknown}"
    )


def test_a_text_changed_meanwhile_is_not_overwritten(town, client):
    template = own_template(town)
    with scope(municipality=town["m"]):
        services.letter_template_update(
            actor=town["municipality_admin"],
            template=template,
            subject="Eerst",
            body="Beste {naam}.",
            expected_version=template.version,
        )
        with pytest.raises(ConcurrentEditError):
            services.letter_template_update(
                actor=town["municipality_admin"],
                template=template,
                subject="Daarna",
                body="Beste {naam}!",
                expected_version=template.version,
            )
        assert LetterTemplate.objects.get(pk=template.pk).subject == "Eerst"
    client.force_login(town["municipality_admin"])
    response = client.post(
        reverse("letters:template_edit", args=[template.pk]),
        {"subject": "Weer", "body": "Beste {naam}.", "version": template.version},
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_defaults_are_made_once_and_a_new_municipality_works_without_them(town, other_municipality):
    with scope(municipality=town["m"]):
        assert services.letter_templates_create_defaults(town["m"]) == len(LetterKind.values)
        assert services.letter_templates_create_defaults(town["m"]) == 0
        assert LetterTemplate.objects.count() == len(LetterKind.values)
    with scope(municipality=other_municipality):
        template = services.letter_template_for(other_municipality, LetterKind.ACKNOWLEDGEMENT)
        assert template.pk is None and "{uiterste_datum_onderzoek}" in template.body


def test_the_configuration_pages_link_to_the_letter_texts(town, client):
    client.force_login(town["municipality_admin"])
    url = reverse("letters:template_list")
    for page in ("teams:config_home", "core:start"):
        response = client.get(reverse(page))
        assert response.status_code == 200, page
        assert f'href="{url}"' in response.content.decode(), page
    client.force_login(town["team_member"])
    assert f'href="{url}"' not in client.get(reverse("core:start")).content.decode()
