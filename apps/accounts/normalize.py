"""One form of an e-mail address for every count and lookup."""

import unicodedata


def normalize_email(value: str | None) -> str:
    """The address as it is stored, counted (login lock, reset-mail budget) and
    looked up: Unicode NFKC, then case-folded, without surrounding spaces. A
    look-alike spelling (a long s `ſ` for `s`, a fullwidth `ｓ`) becomes the
    plain address, so it shares the account's lock counter and mail budget
    instead of getting its own while the login still reaches the account."""
    value = unicodedata.normalize("NFKC", value or "").casefold()
    # Case folding can undo the composition (e.g. `ẞ`); compose again.
    return unicodedata.normalize("NFKC", value).strip()
