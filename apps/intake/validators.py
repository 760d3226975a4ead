"""The burgerservicenummer (BSN) and its 11-test (elfproef)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_bsn(value: str) -> str:
    """Strip spaces, dots and dashes; an 8-digit number is a BSN written
    without its leading zero, so it gets it back."""
    digits = "".join(ch for ch in (value or "") if ch not in " .-")
    if digits.isdigit() and len(digits) == 8:
        digits = "0" + digits
    return digits


def is_valid_bsn(value: str) -> bool:
    """The 11-test: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not 0)."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    digits = [int(ch) for ch in value]
    total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits[:8], strict=True))
    total -= digits[8]
    return total != 0 and total % 11 == 0


def validate_bsn(value: str) -> None:
    if value and not is_valid_bsn(value):
        raise ValidationError(
            _("Dit is geen geldig burgerservicenummer (BSN): het voldoet niet aan de elfproef."),
            code="invalid_bsn",
        )
