"""A prefix condition that PostgreSQL may check in an index under row-level
security.

With row-level security on, PostgreSQL applies the policy's filter before any
condition of the query that is not *leakproof*, and an index may only be used
for leakproof conditions. `LIKE`, `ILIKE`, `UPPER()` and pg_trgm's operators are
not leakproof, so `icontains` on a name reads every resident of the
municipality (600 ms at 200 000, scripts/bench_inbox.py). The text pattern
comparisons `~>=~` and `~<~` are: a prefix is the range [prefix, prefix with its
last character raised by one), which a `text_pattern_ops` index on
`(municipality_id, column)` finds directly. SQLite (the local demo) compares
the first characters instead."""

from django.db.models import BooleanField, F, Func


def capitals(text: str) -> str:
    """`text` in capitals as PostgreSQL's UPPER() writes them: letter by letter,
    so a letter without a single capital (ß) stays as it is, where Python's
    str.upper() would write two ('SS')."""
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in text)


def prefix_upper_bound(prefix: str) -> str | None:
    """The least string above every string that starts with `prefix` (in the
    byte order of `text_pattern_ops`, which for UTF-8 is code point order), or
    None when there is none (the prefix ends in the last code point). The
    surrogates (U+D800–U+DFFF) are no characters: after U+D7FF comes U+E000."""
    following = ord(prefix[-1]) + 1
    if following > 0x10FFFF:
        return None
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return prefix[:-1] + chr(following)


class HasPrefix(Func):
    """`column` starts with `prefix` (compared as given: pass a capitalised
    prefix for a capitalised column)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, prefix: str):
        if not prefix:
            raise ValueError("An empty prefix matches everything.")
        super().__init__(F(column))
        self.prefix = prefix

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            high = prefix_upper_bound(self.prefix)
            if high is None:
                return f"({column} ~>=~ %s)", [*params, self.prefix]
            return (
                f"({column} ~>=~ %s AND {column} ~<~ %s)",
                [*params, self.prefix, *params, high],
            )
        return f"(substr({column}, 1, %s) = %s)", [*params, len(self.prefix), self.prefix]
