"""Reads of the letters app."""

from apps.intake.selectors import visible_questions
from apps.letters.models import Letter, LetterTemplate
from apps.letters.placeholders import LetterKind


def letter_list_qs():
    return Letter.objects.select_related("resident", "created_by__user", "question")


def visible_letters(user, municipality):
    """The letters about the questions `user` may open (one query with the list)."""
    return letter_list_qs().filter(question__in=visible_questions(user, municipality))


def letters_of_question(question) -> list:
    return list(
        Letter.objects.filter(question=question)
        .select_related("created_by__user")
        .order_by("-created_at", "-pk")
    )


def letter_templates(municipality) -> list[dict]:
    """Every kind with the municipality's own text, or None (the default applies)."""
    own = {t.kind: t for t in LetterTemplate.objects.filter(municipality=municipality)}
    return [
        {"kind": kind, "label": label, "template": own.get(kind)}
        for kind, label in LetterKind.choices
    ]
