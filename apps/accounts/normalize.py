"""One form of an e-mail address for every count and lookup."""

import unicodedata


def normalize_email(value: str | None) -> str:
    """The address as it is stored, counted (login lock, reset-mail budget) and
    looked up: Unicode NFKC, then lower case, without surrounding spaces. A
    look-alike spelling (a long s `ſ` for `s`, a fullwidth `ｓ`) becomes the
    plain address, so it shares the account's lock counter and mail budget
    instead of getting its own while the login still reaches the account.

    Lower case, not `casefold()`: case folding also maps `ß` to `ss` and a final
    `ς` to `σ`, which turns `jan@straße.de` into `jan@strasse.de`, another
    (IDNA 2008) domain and so another person's mailbox. NFKC plus `lower()` only
    unifies spellings that mail systems already treat as one address."""
    return unicodedata.normalize("NFKC", value or "").lower().strip()
