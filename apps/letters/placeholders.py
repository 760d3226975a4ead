"""The kinds of letter and the placeholders their texts may use.

A municipality's text is never rendered by the Django template engine (it is
typed by an administrator: `{{ settings.SECRET_KEY }}` must stay text). A
placeholder is a name between single braces from the kind's whitelist,
replaced by `fill()` with a plain string; anything else between braces is
refused when the template is saved (`validate_placeholders`), naming it."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("ontvangstbevestiging melding")
    INVITATION = "invitation", _("uitnodiging keukentafelgesprek")
    POSTPONEMENT = "postponement", _("verlenging onderzoekstermijn")
    REPORT = "report", _("verslag van het onderzoek")
    DECISION_POSTPONEMENT = "decision_postponement", _("verdaging beslistermijn aanvraag")


COMMON = {
    "naam": _("naam van de inwoner"),
    "gemeente": _("naam van de gemeente"),
    "datum": _("datum van de brief"),
    "medewerker": _("naam van de medewerker die de brief maakt"),
}
# #19: how the resident reaches the team of the question or case (the team's
# contact data and walk-in locations, `Team.phone/email`, `TeamLocation`).
TEAM_CONTACT = {
    "team": _("naam van het team van de vraag of casus"),
    "team_telefoon": _("telefoonnummer van het team (anders dat van de afzender)"),
    "team_email": _("e-mailadres van het team"),
    "inloopadressen": _("inlooplocaties van het team, met adres en inlooptijden"),
}
PLACEHOLDERS: dict[str, dict] = {
    LetterKind.ACKNOWLEDGEMENT: {
        **COMMON,
        **TEAM_CONTACT,
        "vraagnummer": _("nummer van de melding"),
        "datum_melding": _("datum waarop de melding binnenkwam"),
        "uiterste_datum_onderzoek": _("uiterste datum van het onderzoek"),
        "uiterste_datum_persoonlijk_plan": _("uiterste datum voor het persoonlijk plan"),
    },
    LetterKind.INVITATION: {
        **COMMON,
        **TEAM_CONTACT,
        "vraagnummer": _("nummer van de vraag"),
        "datum_gesprek": _("datum van het gesprek"),
        "tijd_gesprek": _("tijd van het gesprek"),
        "plaats_gesprek": _("plaats van het gesprek"),
    },
    LetterKind.POSTPONEMENT: {
        **COMMON,
        **TEAM_CONTACT,
        "vraagnummer": _("nummer van de melding"),
        "datum_melding": _("datum waarop de melding binnenkwam"),
        "oude_termijn": _("de termijn voor de verlenging"),
        "nieuwe_termijn": _("de nieuwe termijn"),
        "reden": _("de reden van de verlenging"),
    },
    # The ZRM table and the support plan are a fixed part of the layout
    # (templates/pdf/letter.html), not placeholders of the text.
    LetterKind.REPORT: {
        **COMMON,
        **TEAM_CONTACT,
        "casusnummer": _("nummer van de casus"),
        "datum_meting": _("datum van de laatste zelfredzaamheidsmeting"),
        "status_plan": _("stand van het ondersteuningsplan (concept of afgesproken)"),
    },
    LetterKind.DECISION_POSTPONEMENT: {
        **COMMON,
        "aanvraagnummer": _("nummer van de aanvraag"),
        "voorziening": _("de aangevraagde voorziening"),
        "datum_aanvraag": _("datum van de aanvraag"),
        "oude_termijn": _("de termijn voor de verlenging"),
        "nieuwe_termijn": _("de nieuwe termijn"),
        "reden": _("de reden van de verlenging"),
    },
}

# Anything between single braces; a name is lowercase letters and underscores.
_BRACED = re.compile(r"\{([^{}\n]{0,60})\}")


def unknown_placeholders(kind: str, text: str) -> list[str]:
    allowed = PLACEHOLDERS.get(kind, {})
    found = []
    for match in _BRACED.finditer(text or ""):
        name = match.group(1)
        if name not in allowed and match.group(0) not in found:
            found.append(match.group(0))
    return found


def validate_placeholders(*, kind: str, subject: str, body: str) -> None:
    """Refuse a text with a placeholder the kind does not know (or a brace that
    opens something else, such as `{{ ... }}` or `{naam.__class__}`)."""
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        unknown = unknown_placeholders(kind, text)
        if unknown:
            errors[field] = gettext(
                "Onbekende invulvelden: %(names)s. Toegestaan zijn: %(allowed)s."
            ) % {
                "names": ", ".join(unknown),
                "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS.get(kind, {})),
            }
    if errors:
        raise ValidationError(errors)


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with every known placeholder replaced by its value (a plain
    string); anything else is left as it stands. Never evaluates anything."""

    def replace(match):
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return _BRACED.sub(replace, text or "")
