"""SQL building blocks of the report figures that Django does not ship: a
percentile aggregate, a day number to subtract dates with, and a test whether a
JSON list holds a code — each for PostgreSQL (the production database) and
SQLite (the local `make run`).

They exist so that every figure is a GROUP BY in the database: the number of
queries of a report does not grow with the number of questions."""

import math

from django.db import connection as default_connection
from django.db.models import Aggregate, FloatField, Func, IntegerField, Q

SQLITE_PERCENTILE = "portal_percentile"


class Percentile(Aggregate):
    """The continuous percentile (linear interpolation, as PostgreSQL's
    `percentile_cont(f) WITHIN GROUP (ORDER BY x)`); NULLs are skipped, an
    empty group gives NULL. On SQLite an aggregate of the same meaning is
    registered on each new connection (`register_sqlite_functions`)."""

    name = "Percentile"
    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile fraction lies between 0 and 1.")
        # A float we made ourselves: safe to write into the SQL text.
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        # On the attributes, not as arguments: Aggregate.as_sql builds its
        # FILTER clause around `template` and passes it on itself.
        clone = self.copy()
        clone.function = SQLITE_PERCENTILE
        clone.template = "%(function)s(%(expressions)s, %(fraction)s)"
        return super(Percentile, clone).as_sql(compiler, connection, **extra_context)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont on a list (for SQLite's aggregate)."""
    if not values:
        return None
    values = sorted(values)
    position = fraction * (len(values) - 1)
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


class _SqlitePercentile:
    def __init__(self):
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction):
        if value is not None:
            self.values.append(float(value))
            self.fraction = float(fraction)

    def finalize(self):
        return percentile_cont(self.values, self.fraction)


def register_sqlite_functions(sender, connection, **kwargs):
    """`connection_created` receiver: SQLite learns the percentile aggregate."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_PERCENTILE, 2, _SqlitePercentile)


class DayNumber(Func):
    """A date as a whole number of days, so that two of them subtract to the
    number of calendar days between them on both databases."""

    output_field = IntegerField()
    arity = 1
    template = "(%(expressions)s - DATE '1970-01-01')"

    def as_sqlite(self, compiler, connection, **extra_context):
        # julianday() of a date is always x.5: the whole part subtracts exactly.
        return super().as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)"
        )


def json_list_has(field: str, code: str, connection=None) -> Q:
    """A JSON list field (laws, joint_laws) holds `code`. PostgreSQL: jsonb
    containment; SQLite has no containment lookup, so the quoted code is
    looked for in the JSON text (the codes are plain words, none inside another
    with its quotes)."""
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [code]})
    return Q(**{f"{field}__icontains": f'"{code}"'})
