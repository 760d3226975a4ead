"""Reads of the letters app."""

from django.db.models import Q

from apps.cases.selectors import visible_cases
from apps.intake.selectors import visible_questions
from apps.letters.models import Letter, LetterTemplate
from apps.letters.placeholders import LetterKind


def letter_list_qs():
    return Letter.objects.select_related("resident", "created_by__user", "question", "case")


def visible_letters(user, municipality):
    """The letters about the questions `user` may open and the reports of the
    cases they may see (one query with the list)."""
    return letter_list_qs().filter(
        Q(question__in=visible_questions(user, municipality))
        | Q(case__in=visible_cases(user, municipality))
    )


def letters_of_question(question) -> list:
    return list(
        Letter.objects.filter(question=question)
        .select_related("created_by__user")
        .order_by("-created_at", "-pk")
    )


def letters_of_case(case) -> list:
    """The letters about a case (the reports of the investigation), newest first."""
    return list(
        Letter.objects.filter(case=case)
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
