"""The data versions: numbers in the database that move on after committed writes, whatever
wrote them (a form through a service, a bulk update, a merge, an import or a reminder in the
worker, the admin).

- `FIGURES` moves on after a write to a record the dashboard counts: each app names the
  models whose records its figures count (`count`).
- `PAGES` moves on after a write to any table but those no page shows (`UNSHOWN`: sessions,
  failed logins, records of logins, migrations' own, the versions themselves) and the
  dashboard's summary rows (rebuilt from records whose own writes moved both), and after
  `FIGURES` when both move; cached pages are kept under it (`portal.lib.pagecache`).

Every SQL statement goes through `_watch` (Django's execute wrappers); an INSERT, UPDATE or
DELETE marks the data changed, and the version moves on, through the connection that wrote,
once its transaction commits, so that nothing computed from the old data is cached under the
new version. A rolled-back transaction moves nothing.
"""

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Model

logger = logging.getLogger(__name__)

FIGURES = 1
PAGES = 2
_TABLES: set[str] = set()
# Tables whose writes move no version: those no page shows (written by logging in, by the
# versions themselves and by migrations), and the dashboard's summary rows, which only repeat
# what records say whose writes moved both (`activities.summary`).
UNSHOWN = re.compile(
    r"django_session|axes_\w+|portal_dataversion|stakeholders_loginsession"
    r"|django_migrations|django_content_type|auth_permission|activities_summary\w+"
)
# A write and the table it writes to: INSERT (with SQLite's OR IGNORE / OR REPLACE, as
# many-to-many adds and bulk creations that ignore conflicts are written there), UPDATE,
# DELETE, REPLACE, MERGE, TRUNCATE and COPY, after any whitespace and comments, the table
# maybe under ONLY and a schema.
_WRITE = re.compile(
    r"(?:\s|/\*.*?\*/|--[^\n]*(?:\n|$))*"
    r"(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO"
    r"|TRUNCATE(?:\s+TABLE)?|COPY)"
    r'(?:\s+ONLY)?\s+(?:"?\w+"?\.)?"?(\w+)"?',
    re.IGNORECASE | re.DOTALL,
)
# A statement that may write through a common table expression: counted as a write to
# every table.
_WITH_WRITE = re.compile(
    r"(?:\s|/\*.*?\*/|--[^\n]*(?:\n|$))*WITH\b.*\b(?:INSERT|UPDATE|DELETE|MERGE)\b",
    re.IGNORECASE | re.DOTALL,
)
# What a statement may start with for either to match (SELECT, SAVEPOINT and SET cannot).
_MAY_WRITE = frozenset("IUDRMTCWiudrmtcw/- \t\r\n")


def count(*models: type[Model]) -> None:
    """Watch the tables of `models` and of their many-to-many relations."""
    for model in models:
        _TABLES.add(model._meta.db_table)
        for relation in model._meta.local_many_to_many:
            through = relation.remote_field.through
            if through is not None and through._meta.auto_created:
                _TABLES.add(through._meta.db_table)


def counted_tables() -> frozenset[str]:
    return frozenset(_TABLES)


def current(which: int = FIGURES) -> int:
    """The version now (0 before any write that moves it)."""
    from portal.models import DataVersion

    found = list(DataVersion.objects.filter(pk=which).values_list("version", flat=True)[:1])
    return found[0] if found else 0


def _move(which: int, connection: BaseDatabaseWrapper | None = None) -> None:
    """Move a version on through the connection that wrote (a connection of its own, such as
    an import's progress, moves it in its own autocommit, not in another's transaction)."""
    from portal.models import DataVersion

    connection = connection or connections[DEFAULT_DB_ALIAS]
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET version = version + 1 WHERE id = %s", [which])  # noqa: S608
            if cursor.rowcount == 0:
                cursor.execute(f"INSERT INTO {table} (id, version) VALUES (%s, 1)", [which])  # noqa: S608
    except DatabaseError as error:
        # Before the table exists (while migrating), nothing is cached to drop.
        logger.warning("The data version could not move on: %s", error)


def _bump(connection: BaseDatabaseWrapper | None = None) -> None:
    # The pages show figures: their version moves after the figures', so that no page is
    # kept with figures older than its version.
    _move(FIGURES, connection)
    _move(PAGES, connection)


def _bump_pages(connection: BaseDatabaseWrapper | None = None) -> None:
    _move(PAGES, connection)


def _registered(connection: BaseDatabaseWrapper, bump: Callable[..., None]) -> bool:
    return any(
        isinstance(entry[1], partial) and entry[1].func is bump
        for entry in connection.run_on_commit
    )


def changed(connection: BaseDatabaseWrapper, bump: Callable[..., None] = _bump) -> None:
    """Move a version on after the current transaction commits (at once in autocommit);
    once per transaction, however many writes it holds."""
    if connection.in_atomic_block:
        if not _registered(connection, bump):
            connection.on_commit(partial(bump, connection), robust=True)
    else:
        bump(connection)


def pending(connection: BaseDatabaseWrapper, which: int = PAGES) -> bool:
    """Whether the connection's open transaction holds writes that will move a version (the
    pages' by default): what it reads is not yet what others read."""
    bump = _bump if which == FIGURES else _bump_pages
    return connection.in_atomic_block and _registered(connection, bump)


def _watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if _migrating or sql[:1] not in _MAY_WRITE:
        return result
    if found := _WRITE.match(sql):
        table = found.group(1)
        if not UNSHOWN.fullmatch(table):
            changed(context["connection"], _bump_pages)
            if table in _TABLES:
                changed(context["connection"])
    elif _WITH_WRITE.match(sql):
        changed(context["connection"], _bump_pages)
        changed(context["connection"])
    return result


_migrating = False


@contextmanager
def migrating() -> Iterator[None]:
    """Run migrations unwatched (they rebuild tables before the versions' own exists); once
    they end, however they end, whatever was cached may be out of date: both versions move
    on (`portal/management/commands/migrate.py`)."""
    global _migrating
    _migrating = True
    try:
        yield
    finally:
        _migrating = False
        _bump()


def _install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """Watch every database connection, those open now and those opened later."""
    connection_created.connect(_install, dispatch_uid="portal.dataversion")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
