"""The letters app's part of the case page (`apps.cases.registry`): the letters
about the case (the reports of the investigation) with their downloads, and for
whoever works on the case the button to make one. Registered in
`LettersConfig.ready()`; the page includes `letters/_case_letters.html`."""

from apps.access import rules
from apps.cases.registry import register_case_section
from apps.letters.selectors import letters_of_case


def case_letters(case, user) -> dict:
    """`case_letters` (newest first, one query) and `may_write_case_report`.
    Whoever may see the case sees its letters (docs/permissions.md,
    `letter.read`)."""
    return {
        "case_letters": letters_of_case(case),
        "may_write_case_report": rules.may_write_case_letter(user, case),
    }


def register() -> None:
    register_case_section("letters", case_letters)
