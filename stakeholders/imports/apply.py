"""Creating a batch from a file, then importing all its rows or none, or discarding it."""

import os
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib.tabular import TableError, read_table
from portal.lib.versions import VersionConflict
from stakeholders import permissions, services
from stakeholders.imports.columns import (
    COLUMNS,
    REQUIRED_COLUMNS,
    ROW_NUMBER,
    Kind,
    _column_name,
    _messages,
)
from stakeholders.imports.preview import import_batch_preview
from stakeholders.imports.results import ImportRejected, Outcome, Preview, RowRef, RowResult
from stakeholders.models import ImportBatch, Organisation, Person, User


def _require_secretariat(user: User) -> None:
    if not permissions.can_manage_directory(user):
        raise PermissionDenied


def import_batch_create(*, user: User, kind: str, upload: UploadedFile[bytes]) -> ImportBatch:
    """Read an uploaded file into a batch that awaits confirmation; TableError when unreadable."""
    _require_secretariat(user)
    table = read_table(upload)
    known = COLUMNS[kind]
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(table.header):
        name = _column_name(header)
        if not name:
            continue
        if name in positions:
            raise TableError(_("The column “%(name)s” appears twice.") % {"name": header})
        if name in known:
            positions[name] = index
        else:
            unknown.append(header)
    missing = [name for name in REQUIRED_COLUMNS[kind] if name not in positions]
    if missing:
        raise TableError(
            _("Required columns are missing: %(names)s.") % {"names": ", ".join(missing)}
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


def import_batch_apply(*, user: User, batch: ImportBatch) -> dict[str, int]:
    """Check the batch again and import all its rows, or none (ImportRejected)."""
    _require_secretariat(user)
    with transaction.atomic():
        # Claiming the batch first means two confirmations cannot both import it.
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
            status=ImportBatch.Status.APPLIED, applied_at=timezone.now()
        )
        if claimed != 1:
            raise ValidationError(_("This import has already been confirmed or discarded."))
        preview = import_batch_preview(batch)
        if preview.has_errors:
            raise ImportRejected(preview)
        if batch.kind == Kind.ORGANISATIONS:
            _apply_organisations(user, preview)
        else:
            _apply_people(user, preview)
        counts = preview.counts
        applied = {
            "created": counts[Outcome.NEW],
            "updated": counts[Outcome.UPDATE],
            "unchanged": counts[Outcome.UNCHANGED],
        }
        # The rows are in the records and their history now; the batch keeps the counts
        # and drops the personal data its rows hold.
        ImportBatch.objects.filter(pk=batch.pk).update(
            summary={**batch.summary, **applied}, rows=[]
        )
    batch.refresh_from_db()
    return applied


def import_batch_discard(*, user: User, batch: ImportBatch) -> None:
    """Drop a batch awaiting confirmation, and the personal data its rows hold."""
    _require_secretariat(user)
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        status=ImportBatch.Status.DISCARDED, rows=[]
    )
    if claimed != 1:
        raise ValidationError(_("This import has already been confirmed or discarded."))
    batch.refresh_from_db()


def _write(result: RowResult, model: type[models.Model], service: Any, **kwargs: Any) -> Any:
    """Call one service; a refusal is put on the row, and the caller rejects the import."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        result.errors.extend(_messages(model, error))
    except (IntegrityError, VersionConflict):
        result.errors.append(_("Someone changed the same record meanwhile. Check the file again."))
    return None


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


def _apply_organisations(user: User, preview: Preview) -> None:
    saved: dict[int, Organisation] = {}
    for result in _parents_first(preview.rows):
        data = dict(result.data)
        if isinstance(data.get("parent"), RowRef):
            data["parent"] = saved[data["parent"].number]
        organisation = result.target
        if result.outcome == Outcome.NEW:
            organisation = _write(
                result, Organisation, services.organisation_create, user=user, data=data
            )
        elif result.outcome == Outcome.UPDATE:
            _write(
                result,
                Organisation,
                services.organisation_update,
                user=user,
                organisation=organisation,
                data=data,
            )
        if result.errors:
            raise ImportRejected(preview)
        saved[result.number] = organisation


def _apply_people(user: User, preview: Preview) -> None:
    for result in preview.rows:
        if result.outcome == Outcome.NEW:
            _write(result, Person, services.person_create, user=user, data=result.data)
        elif result.outcome == Outcome.UPDATE:
            _write(
                result,
                Person,
                services.person_update,
                user=user,
                person=result.target,
                data=result.data,
            )
        if result.errors:
            raise ImportRejected(preview)
