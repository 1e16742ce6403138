"""Creating a batch from a file, then importing all its rows or none, or discarding it."""

import os
from collections.abc import Iterable, Iterator
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.lib.tabular import TableError, read_table
from portal.lib.versions import VersionConflict
from stakeholders import permissions
from stakeholders.imports import kinds
from stakeholders.imports.columns import ROW_NUMBER, _messages
from stakeholders.imports.preview import import_batch_preview
from stakeholders.imports.results import ImportRejected, Outcome, Preview, RowRef, RowResult
from stakeholders.models import ImportBatch, Organisation, Person, User


def _require(user: User, kind: str) -> None:
    if not kinds.get(kind).may_import(user):
        raise PermissionDenied


def import_batch_create(*, user: User, kind: str, upload: UploadedFile[bytes]) -> ImportBatch:
    """Read an uploaded file into a batch that awaits confirmation; TableError when unreadable."""
    spec = kinds.get(kind)
    _require(user, kind)
    table = read_table(upload)
    known = spec.columns
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(table.header):
        name = spec.header_column(header)
        if not name:
            continue
        if name in positions:
            raise TableError(_("The column “%(name)s” appears twice.") % {"name": header})
        if name in known:
            positions[name] = index
        else:
            unknown.append(header)
    missing = [name for name in spec.required if name not in positions]
    if missing:
        titles = spec.column_titles()
        raise TableError(
            _("Required columns are missing: %(names)s.")
            % {"names": ", ".join(titles[name] for name in missing)}
        )
    rows = [
        {
            ROW_NUMBER: str(number),
            **{name: cells[i] if i < len(cells) else "" for name, i in positions.items()},
        }
        for number, cells in table.rows
    ]
    return ImportBatch.objects.create(
        kind=kind,
        file_name=os.path.basename(upload.name or "")[:255] or "upload",
        rows=rows,
        summary={"unknown_columns": unknown},
        uploaded_by=user,
    )


def import_batch_confirm(*, user: User, batch: ImportBatch) -> None:
    """Queue the import of a batch awaiting confirmation; a worker imports all its rows or none."""
    _require(user, batch.kind)
    # Claiming the batch first means two confirmations cannot both queue it.
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        status=ImportBatch.Status.QUEUED,
        confirmed_by=user,
        claimed_at=timezone.now(),
        progress=0,
        total=len(batch.rows),
        summary={k: v for k, v in batch.summary.items() if k not in REJECTION_KEYS},
    )
    if claimed != 1:
        raise ValidationError(_("This import has already been confirmed or discarded."))
    from stakeholders.tasks import apply_import_batch

    # robust: a broker that is down must not fail the request; the batch stays queued.
    transaction.on_commit(lambda: apply_import_batch.delay(batch.pk, user.pk), robust=True)
    batch.refresh_from_db()


def import_batch_apply(*, user: User, batch: ImportBatch) -> dict[str, int] | None:
    """Check a queued batch again and import all its rows, or none.

    Returns the counts, or None when the batch was not queued (another worker
    has it) or nothing was imported: then the batch is back to its preview with
    the reason in `summary["rejected"]`.
    """
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.RUNNING,
        claimed_at=timezone.now(),
        progress=0,
        total=len(batch.rows),
    )
    if claimed != 1:
        return None
    progress = _Progress(batch.pk)
    try:
        _require(user, batch.kind)
        with transaction.atomic():
            # Worked out again inside the transaction, from the rows as they are now.
            preview = import_batch_preview(batch)
            if preview.has_errors:
                raise ImportRejected(preview)
            reason = _("Imported from the file %(name)s") % {"name": batch.file_name}
            kinds.get(batch.kind).write(user, preview, progress, reason)
            counts = preview.counts
            applied = {
                "created": counts[Outcome.NEW],
                "updated": counts[Outcome.UPDATE],
                "unchanged": counts[Outcome.UNCHANGED],
            }
            # The rows are in the records and their history now; the batch keeps the
            # counts and drops the personal data its rows hold. Written last: the
            # progress connection must never wait on a lock this transaction holds.
            done = ImportBatch.objects.filter(
                pk=batch.pk, status=ImportBatch.Status.RUNNING
            ).update(
                status=ImportBatch.Status.APPLIED,
                applied_at=timezone.now(),
                progress=len(batch.rows),
                summary={**batch.summary, **applied},
                rows=[],
            )
            if done != 1:
                # The batch was given back or discarded meanwhile (a worker thought dead,
                # an anonymisation): this import must leave no trace.
                raise _Abandoned
    except _Abandoned:
        return None
    except ImportRejected:
        _reject(batch, Rejection.ERRORS)
        return None
    except WriteRefused as refused:
        _reject(batch, Rejection.ERRORS, refused.errors)
        return None
    except (IntegrityError, VersionConflict):
        _reject(batch, Rejection.CONFLICT)
        return None
    except Exception:
        _reject(batch, Rejection.FAILED)
        raise
    finally:
        progress.close()
    return applied


class Rejection(models.TextChoices):
    """Why confirming imported nothing; the batch page says it in the reader's language."""

    ERRORS = "errors"  # rows have errors now (the data changed since the preview)
    CONFLICT = "conflict"  # someone changed the same records, or a unique value, meanwhile
    FAILED = "failed"  # anything else: a bug, the user lost the right to import


REJECTION_KEYS = ("rejected", "rejected_errors")


class _Abandoned(Exception):
    """The batch is no longer this worker's to finish; its writes are rolled back."""


class WriteRefused(Exception):
    """A service refused a row while writing (an account's email or access); nothing is kept."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


# A queued batch whose task has not started by then lost it (broker down at commit); a
# running one that has not finished by then lost its worker, whose transaction rolled back.
LOST_TASK = timedelta(minutes=5)
DEAD_WORKER = timedelta(minutes=30)
# A preview nobody confirmed or discarded by then is dropped, with the personal data it holds.
FORGOTTEN_PREVIEW = timedelta(days=30)


def import_batches_recover() -> int:
    """Queue again the batches whose task was lost; give back to their preview those whose
    worker died, saying so; drop previews left for a month. Beat runs it every few minutes;
    returns how many it touched."""
    from stakeholders.tasks import apply_import_batch

    now = timezone.now()
    lost = ImportBatch.objects.filter(
        status=ImportBatch.Status.QUEUED, claimed_at__lt=now - LOST_TASK
    )
    touched = 0
    for pk, user_id in lost.values_list("pk", "confirmed_by"):
        # The task claims the batch before working, so sending it twice is harmless.
        ImportBatch.objects.filter(pk=pk).update(claimed_at=now)
        transaction.on_commit(partial(apply_import_batch.delay, pk, user_id), robust=True)
        touched += 1
    for batch in ImportBatch.objects.filter(
        status=ImportBatch.Status.RUNNING, claimed_at__lt=now - DEAD_WORKER
    ):
        _reject(batch, Rejection.FAILED)
        touched += 1
    touched += ImportBatch.objects.filter(
        status=ImportBatch.Status.PREVIEW, created_at__lt=now - FORGOTTEN_PREVIEW
    ).update(status=ImportBatch.Status.DISCARDED, rows=[])
    return touched


def _reject(batch: ImportBatch, reason: Rejection, errors: list[str] | None = None) -> None:
    """Back to the preview with the reason; errors only writing found are kept to be shown."""
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).update(
        status=ImportBatch.Status.PREVIEW,
        progress=0,
        summary={**batch.summary, "rejected": reason.value, "rejected_errors": errors or []},
    )


class _Progress:
    """Writes how many rows are imported where the batch page can see it during the import.

    The rows are written in one transaction, all or none, so progress goes
    through a second connection to the same database, each write committed at
    once. SQLite allows one writer at a time: a second connection would wait for
    the import's transaction to end. There the page sees the import queued, then
    running, then done, without the steps in between.
    """

    def __init__(self, batch_pk: int) -> None:
        self.batch_pk = batch_pk
        self.connection = (
            None if connection.vendor == "sqlite" else connections.create_connection("default")
        )
        if self.connection is not None:
            quote = self.connection.ops.quote_name
            table, progress, pk = map(quote, (ImportBatch._meta.db_table, "progress", "id"))
            self.sql = f"UPDATE {table} SET {progress} = %s WHERE {pk} = %s"  # noqa: S608 - names only

    def __call__(self, done: int) -> None:
        if self.connection is None:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, [done, self.batch_pk])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def import_batch_discard(*, user: User, batch: ImportBatch) -> None:
    """Drop a batch awaiting confirmation, and the personal data its rows hold."""
    _require(user, batch.kind)
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        status=ImportBatch.Status.DISCARDED, rows=[]
    )
    if claimed != 1:
        raise ValidationError(_("This import has already been confirmed or discarded."))
    batch.refresh_from_db()


# Rows are written in chunks of this many, each chunk in a few bulk queries, and
# the progress is written after each chunk.
CHUNK_SIZE = 500


def chunks(items: list[RowResult], size: int | None = None) -> Iterator[list[RowResult]]:
    """`items` in chunks of `size`, CHUNK_SIZE (read at the call) by default."""
    size = size or CHUNK_SIZE
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _assign(obj: models.Model, data: dict[str, Any], allowed: frozenset[str]) -> None:
    """Set `data` on `obj`; refuse fields outside `allowed`, as the services do."""
    if not set(data) <= allowed:
        raise PermissionDenied
    for name, value in data.items():
        setattr(obj, name, value)


def _lock_unchanged(model: type[Organisation] | type[Person], rows: list[RowResult]) -> None:
    """Lock the records the rows update; VersionConflict when one changed since it was read."""
    read = {row.target.pk: row.target.version for row in rows}
    if not read:
        return
    current = dict(
        model._default_manager.select_for_update().filter(pk__in=read).values_list("pk", "version")
    )
    for pk, version in read.items():
        if current.get(pk) != version:
            raise VersionConflict(model._default_manager.get(pk=pk), version)


def _parents_first(rows: Iterable[RowResult]) -> list[RowResult]:
    by_number = {row.number: row for row in rows}
    ordered: list[RowResult] = []
    placed: set[int] = set()
    for row in by_number.values():
        chain: list[RowResult] = []
        current: RowResult | None = row
        while current is not None and current.number not in placed and current not in chain:
            chain.append(current)
            parent = current.data.get("parent")
            current = by_number.get(parent.number) if isinstance(parent, RowRef) else None
        for item in reversed(chain):
            placed.add(item.number)
            ordered.append(item)
    return ordered


def write_organisations(
    user: User, preview: Preview, progress: kinds.Progress, reason: str
) -> None:
    """Create and update the organisations of the rows, with their history, in bulk.

    A row may name as parent an organisation another row creates: rows come
    parents first, and a parent created in the same chunk is set once the chunk
    is created, before its history is written, so each record gets one entry.
    """
    rows = [row for row in _parents_first(preview.rows) if row.outcome != Outcome.UNCHANGED]
    _lock_unchanged(Organisation, [row for row in rows if row.outcome == Outcome.UPDATE])
    created: dict[int, Organisation] = {}
    done = preview.counts[Outcome.UNCHANGED]
    now = timezone.now()
    for chunk in chunks(rows):
        new: list[Organisation] = []
        changed: list[Organisation] = []
        fields = {"version", "updated_at", "name_key", "search_text"}
        # Children of organisations created in this chunk, which have no id yet.
        waiting: list[tuple[Organisation, Organisation]] = []
        for row in chunk:
            data = dict(row.data)
            parent = data.get("parent")
            waits_for: Organisation | None = None
            if isinstance(parent, RowRef):
                # Parents first: the row creating the parent has been through here.
                data["parent"] = created[parent.number]
                if data["parent"].pk is None:
                    waits_for, data["parent"] = data["parent"], None
            if row.outcome == Outcome.NEW:
                organisation = Organisation()
                _assign(organisation, data, permissions.ORGANISATION_FIELDS)
                new.append(organisation)
            else:
                organisation = row.target
                _assign(
                    organisation, data, permissions.organisation_editable_fields(user, organisation)
                )
                organisation.version += 1
                organisation.updated_at = now
                fields |= set(data)
                changed.append(organisation)
            if waits_for is not None:
                waiting.append((organisation, waits_for))
            organisation.refresh_search_text()
            created[row.number] = organisation
        Organisation.objects.bulk_create(new)
        for organisation, parent in waiting:
            organisation.parent = parent
        new_ids = {id(o) for o in new}
        if waiting_new := [o for o, _parent in waiting if id(o) in new_ids]:
            Organisation.objects.bulk_update(waiting_new, ["parent"])
        if new:
            Organisation.history.bulk_history_create(
                new, default_user=user, default_change_reason=reason
            )
        if changed:
            bulk_update_with_history(
                changed,
                Organisation,
                sorted(fields),
                default_user=user,
                default_change_reason=reason,
            )
        done += len(chunk)
        progress(done)


def write_people(user: User, preview: Preview, progress: kinds.Progress, reason: str) -> None:
    """Create and update the people of the rows, with their history, in bulk.

    An account holder's login follows a new email, and a person the file
    deactivates loses portal access: through the account services, one row at
    a time, for the few rows that touch an account.
    """
    rows = [row for row in preview.rows if row.outcome != Outcome.UNCHANGED]
    _lock_unchanged(Person, [row for row in rows if row.outcome == Outcome.UPDATE])
    done = preview.counts[Outcome.UNCHANGED]
    now = timezone.now()
    for chunk in chunks(rows):
        new: list[Person] = []
        changed: list[Person] = []
        fields = {"version", "updated_at", "search_text"}
        touching_accounts: dict[int, tuple[RowResult, Person]] = {}
        for row in chunk:
            if row.outcome == Outcome.NEW:
                person = Person()
                _assign(person, row.data, permissions.PERSON_FIELDS)
                new.append(person)
            else:
                person = row.target
                _assign(person, row.data, permissions.person_editable_fields(user, person))
                person.version += 1
                person.updated_at = now
                fields |= set(row.data)
                changed.append(person)
                if "email" in row.data or row.data.get("is_active") is False:
                    touching_accounts[person.pk] = (row, person)
            person.refresh_search_text()
        if new:
            bulk_create_with_history(new, Person, default_user=user, default_change_reason=reason)
        if changed:
            bulk_update_with_history(
                changed, Person, sorted(fields), default_user=user, default_change_reason=reason
            )
        if touching_accounts:
            _follow_accounts(user, touching_accounts)
        done += len(chunk)
        progress(done)


def _follow_accounts(user: User, people: dict[int, tuple[RowResult, Person]]) -> None:
    """As services.person_update does: the login follows the email; deactivating ends access."""
    from stakeholders.accounts import account_email_changed, account_set_active

    errors: list[str] = []
    for account in User.objects.filter(person__in=people):
        row, person = people[account.person_id or 0]
        account.person = person
        try:
            if "email" in row.data:
                account_email_changed(user=account, email=person.email)
            if row.data.get("is_active") is False:
                account_set_active(actor=user, user=account, active=False)
        except ValidationError as error:
            errors.extend(
                _("Row %(number)s: %(error)s") % {"number": row.number, "error": message}
                for message in _messages(User, error)
            )
    if errors:
        raise WriteRefused(errors)
