"""Queries compiled to SQL once a process, then run again with other values: for a page that
asks the same questions of many periods (the dashboard's summary rows), where building and
compiling a queryset takes longer than the database takes to answer it.

A `Prepared` builds its queryset once with stand-ins for the values that change (days,
strings and numbers that no record holds), finds each stand-in among the compiled SQL's
parameters, and from then on runs that SQL with the values given in their places. The
queryset is still the definition: its conditions are the selectors' own.
"""

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

type Compiled = tuple[str, tuple[Any, ...], tuple[int | None, ...]]
type Value = date | str | int

_FIRST_STAND_IN = date(1801, 1, 1)


def day(n: int) -> date:
    """The n-th stand-in day: far before any record's, and far from the others."""
    return _FIRST_STAND_IN + timedelta(days=1000 * n)


def text(n: int) -> str:
    """The n-th stand-in string: no code or name is written so."""
    return f"\x1fstand-in-{n}\x1f"


def number(n: int) -> int:
    """The n-th stand-in number: no year or count is so far below zero."""
    return -1_801_000_000 - n


class Prepared:
    """`build(*stand_ins)` gives a queryset, or SQL and its parameters; `rows(*values)` runs
    it with `values` in the stand-ins' places, and `dicts(*values)` names each row's values
    by their columns."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any, Any] | tuple[str, Sequence[Any]]],
        stand_ins: Sequence[Value],
    ) -> None:
        self._build = build
        self._stand_ins = tuple(stand_ins)
        self._compiled: dict[str, Compiled] = {}

    def rows(self, *values: Value, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        return self._run(values, using)[1]

    def dicts(self, *values: Value, using: str = DEFAULT_DB_ALIAS) -> list[dict[str, Any]]:
        names, rows = self._run(values, using)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _run(self, values: Sequence[Value], using: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        if len(values) != len(self._stand_ins):
            raise TypeError(f"{len(self._stand_ins)} values expected, {len(values)} given.")
        connection = connections[using]
        # What compiling may depend on besides the values: the database, the time zone and
        # the language a query is built in.
        key = f"{connection.vendor}|{timezone.get_current_timezone_name()}|{get_language()}"
        if key not in self._compiled:
            self._compiled[key] = self._compile(connection)
        sql, params, slots = self._compiled[key]
        adapted = [_adapt(connection, value) for value in values]
        actual = [
            param if slot is None else adapted[slot]
            for param, slot in zip(params, slots, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, actual)
            names = [column[0] for column in cursor.description]
            return names, cursor.fetchall()

    def _compile(self, connection: BaseDatabaseWrapper) -> Compiled:
        """Compile with the stand-ins, and again with others: a parameter worked out from a
        value (a day after it, say) would differ between the two and cannot be stood in for,
        so it is refused, as is a stand-in the query does not hold."""
        sql, params, slots = self._compile_with(connection, self._stand_ins)
        missing = set(range(len(self._stand_ins))) - set(slots)
        if missing:
            raise ImproperlyConfigured(
                f"Stand-ins {sorted(missing)} are not among the query's parameters: {sql}"
            )
        others = tuple(_other(value) for value in self._stand_ins)
        again = self._compile_with(connection, others)
        fixed = [param for param, slot in zip(params, slots, strict=True) if slot is None]
        fixed_again = [
            param for param, slot in zip(again[1], again[2], strict=True) if slot is None
        ]
        if (again[0], again[2], fixed_again) != (sql, slots, fixed):
            raise ImproperlyConfigured(
                f"The query holds values worked out from its stand-ins, or differs with them: {sql}"
            )
        return sql, params, slots

    def _compile_with(
        self, connection: BaseDatabaseWrapper, stand_ins: Sequence[Value]
    ) -> Compiled:
        built = self._build(*stand_ins)
        sql, params = built.query.sql_with_params() if isinstance(built, QuerySet) else built
        places = {_adapt(connection, value): n for n, value in enumerate(stand_ins)}
        slots = tuple(places.get(param) if _hashable(param) else None for param in params)
        return sql, tuple(params), slots


def _other(value: Value) -> Value:
    """A second stand-in for `value`, as unlike any record's."""
    if isinstance(value, date):
        return value + timedelta(days=40_000)  # in the 1910s: still before any record
    if isinstance(value, str):
        return f"{value}\x1e"
    return value - 1_000_000


def _adapt(connection: BaseDatabaseWrapper, value: Value) -> Any:
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
