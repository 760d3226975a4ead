"""Reads of the letters app."""

from django.db.models import Q

from apps.access import rules
from apps.cases.selectors import visible_cases
from apps.intake.selectors import visible_questions
from apps.letters.models import Letter, LetterTemplate
from apps.letters.placeholders import LetterKind
from apps.tenants.permissions import Action


def letter_list_qs():
    return Letter.objects.select_related(
        "resident", "created_by__user", "question", "case", "proposal__case"
    )


def visible_letters(user, municipality):
    """The letters about the questions `user` may open, about the cases they may
    see (the reports) and about the proposals whose letters they may read (the
    loket: every proposal offered to it; the rest: those of cases they see),
    one query with the list (`apps.access.rules.can_read_letter` per letter)."""
    cases = visible_cases(user, municipality)
    rule = (
        Q(question__in=visible_questions(user, municipality))
        | Q(case__in=cases)
        | Q(proposal__case__in=cases)
    )
    if rules.for_user(user, municipality).has(Action.PROPOSAL_DECIDE):
        # A notice exists only for a proposal offered to the loket (after an extension).
        rule |= Q(proposal__isnull=False) & (
            Q(proposal__submitted_at__isnull=False)
            | ~Q(proposal__status__in=["draft", "withdrawn"])
        )
    return letter_list_qs().filter(rule)


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


def letters_of_proposal(proposal) -> list:
    """The letters about a proposal (the notices of an extended decision deadline)."""
    return list(
        Letter.objects.filter(proposal=proposal)
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
