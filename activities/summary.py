"""The dashboard's summary rows (`activities.summary_models`): kept for the readers who see
every record, read in place of the records when such a reader asks for figures without a
filter.

They hold what the records held when the figures' data version (`portal.dataversion`) was
the one `SummaryState` names. Every write path moves that version on after it commits (the
services, bulk writes, merges, imports, the worker); the first reader who finds it moved, or
the rows built on an earlier day, rebuilds them, in one transaction that others wait for,
from the same querysets the figures count from (`activities.figures`), so that both give the
same figures. A reader inside a transaction (whose writes there are not yet everyone's)
counts from the records, as every reader does while a failed rebuild waits to be retried.

Writes to these tables move no version: nothing in them is new, they only repeat what the
records say (`portal.dataversion.UNSHOWN`).
"""

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.summary_models import (
    SummaryActivity,
    SummaryCoverage,
    SummaryItem,
    SummaryMeeting,
    SummaryPeopleByGroup,
    SummaryPeopleByPlace,
    SummaryPlace,
    SummaryState,
    SummaryTrend,
)
from portal import dataversion
from portal.lib.cache import keep, recall
from portal.lib.prepared import Prepared, day
from portal.models import DataVersion

logger = logging.getLogger(__name__)

# The rows a rebuild writes, in the order it writes them.
MODELS: tuple[type[Model], ...] = (
    SummaryActivity,
    SummaryPlace,
    SummaryPeopleByGroup,
    SummaryPeopleByPlace,
    SummaryMeeting,
    SummaryItem,
    SummaryTrend,
    SummaryCoverage,
)
# A queryset that fills a summary table names its values after the table's columns, with
# this before them (a value cannot take the name of a field of the queryset's own model).
PREFIX = "summary_"
type Sources = Callable[[], Mapping[type[Model], QuerySet[Any, Any]]]


# A rebuild that failed is not tried again for the same version for this long: every
# secretariat reader would otherwise wait for it to fail again.
RETRY_SECONDS = 5 * 60


def ready(sources: Sources) -> bool:
    """Whether the summary rows may be read now, rebuilt first from `sources` when they were
    built from an older version or on an earlier day (a version move lost to a database
    error leaves them a day at most, as it leaves the cached figures)."""
    if _in_transaction():
        return False
    try:
        if _FRESH.rows(timezone.localdate()):
            return True
        version = dataversion.current(dataversion.FIGURES)
        if recall(("summary-failed", version)) is not None:
            return False
        try:
            rebuild(sources)
        except DatabaseError:
            keep(("summary-failed", version), True, RETRY_SECONDS)
            raise
    except DatabaseError:
        logger.exception("The summary rows could not be rebuilt; counting from the records.")
        return False
    return True


def _in_transaction() -> bool:
    """A reader inside a transaction counts from the records: what it wrote there is not yet
    everyone's, and a rebuild would hold the rows' lock until it ends."""
    return connection.in_atomic_block


# Whether the rows were built today from the figures' version now: one query.
_FRESH = Prepared(
    lambda today: SummaryState.objects.filter(
        pk=1,
        built_on=today,
        version=Coalesce(
            Subquery(DataVersion.objects.filter(pk=dataversion.FIGURES).values("version")),
            Value(0),
        ),
    ).values_list("pk"),
    (day(0),),
)


def rebuild(sources: Sources) -> None:
    """Build the rows again from the records, unless another reader did while this one
    waited for the lock."""
    today = timezone.localdate()
    with transaction.atomic():
        _lock()
        # Read before the records: should a write commit meanwhile, the rows are marked
        # older than they are, and are rebuilt once more, never the other way round.
        version = dataversion.current(dataversion.FIGURES)
        if SummaryState.objects.filter(pk=1, version=version, built_on=today).exists():
            return
        filled = sources()
        for model in MODELS:
            _fill(model, filled[model])
        SummaryState.objects.filter(pk=1).update(version=version, built_on=today)
        _analyze()


def _lock() -> None:
    """Hold the state's row until the transaction ends (its first rebuild makes it)."""
    if SummaryState.objects.select_for_update().filter(pk=1).exists():
        return
    try:
        with transaction.atomic():
            SummaryState.objects.create(pk=1, version=-1, built_on=timezone.localdate())
    except IntegrityError:
        # Another reader made it first: wait for theirs.
        SummaryState.objects.select_for_update().filter(pk=1).exists()


def _analyze() -> None:
    """Tell PostgreSQL's planner how many rows the tables hold now: statistics taken while
    they were empty, or a tenth of their size, make it choose plans several times slower."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _fill(model: type[Model], rows: QuerySet[Any, Any]) -> None:
    """Empty the table, then INSERT … SELECT: the rows are copied in the database, never
    read into Python."""
    columns = [
        str(field.column)
        for field in model._meta.concrete_fields
        if not (field.primary_key and field.auto_created)
    ]
    sql, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    named = ", ".join(quote(column) for column in columns)
    chosen = ", ".join(quote(PREFIX + column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        # SQL that Django compiled from the queryset, its parameters kept apart; around it
        # only the names of the summary table and its columns.
        cursor.execute(
            f"INSERT INTO {table} ({named}) "  # noqa: S608
            f"SELECT {chosen} FROM ({sql}) AS found",
            params,
        )
