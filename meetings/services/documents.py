"""A meeting's documents: uploaded after their content is checked, stored under a generated
name through the storage API, downloaded by those the label lets read them, deleted by the
uploader's organisation or the secretariat."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from meetings import permissions
from meetings.audit import Action
from meetings.models import AgendaItem, Document, Meeting
from meetings.services._base import _apply, _require
from portal.lib import uploads
from portal.lib.audit import audit
from portal.lib.sensitivity import Label, check_named_people
from portal.lib.uploads import UploadRefused, check_upload
from portal.lib.versions import claim_version
from stakeholders.models import User

DOCUMENT_FIELDS = frozenset({"title", "kind", "agenda_item", "label", "named_people"})
# Downloads of these labels are recorded in the audit trail.
AUDITED_LABELS = (Label.AMBER, Label.RED)


def _check_place(user: User, meeting: Meeting, agenda_item: AgendaItem | None) -> None:
    if agenda_item is None:
        _require(permissions.can_upload_to_meeting(user))
        return
    if agenda_item.meeting_id != meeting.pk:
        raise PermissionDenied
    _require(permissions.can_upload_to_agenda_item(user, agenda_item))


def _own_organisation_id(user: User) -> int | None:
    person = user.person
    return person.organisation_id if person is not None else None


def document_upload(
    *, user: User, meeting: Meeting, file: IO[bytes], file_name: str, data: dict[str, Any]
) -> Document:
    """Check the file's content, store it under a generated name and record the document.

    The file is stored before its record, and removed again when recording fails.
    """
    data = dict(data)
    named_people = list(data.pop("named_people", None) or [])
    if not set(data) <= DOCUMENT_FIELDS:
        raise PermissionDenied
    _check_place(user, meeting, data.get("agenda_item"))
    check_named_people(data.get("label", Label.AMBER), named_people)
    try:
        checked = check_upload(file, name=file_name, size=getattr(file, "size", None))
    except UploadRefused as refused:
        raise ValidationError({"file": refused.message}) from None
    title = str(data.pop("title", "") or "").strip() or checked.original_name.rsplit(".", 1)[0]
    document = Document(
        meeting=meeting,
        title=title[:255],
        original_name=checked.original_name,
        file_type=checked.file_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
        organisation_id=_own_organisation_id(user),
        **data,
    )
    document.full_clean(exclude=["file"])
    with uploads.stored(file, "documents") as name, transaction.atomic():
        document.file.name = name
        document.save()
        document.named_people.set(named_people)
    return document


@transaction.atomic
def document_update(
    *, user: User, document: Document, data: dict[str, Any], version: int
) -> Document:
    """Change a document's title, kind, agenda item or label; the file stays."""
    _require(permissions.can_change_document(user, document))
    data = dict(data)
    named_people = list(data.pop("named_people", None) or [])
    if "agenda_item" in data and data["agenda_item"] != document.agenda_item:
        _check_place(user, document.meeting, data["agenda_item"])
    check_named_people(data.get("label", document.label), named_people)
    claim_version(document, version)
    _apply(document, data, DOCUMENT_FIELDS)
    document.full_clean()
    document.save()
    document.named_people.set(named_people)
    return document


@transaction.atomic
def document_delete(*, user: User, document: Document, request: HttpRequest | None = None) -> None:
    """Delete a document; its file goes once the deletion is committed."""
    _require(permissions.can_change_document(user, document))
    name = document.file.name
    audit(
        action=Action.DOCUMENT_DELETED,
        actor=user,
        target=document.meeting,
        request=request,
        details={"document": document.title, "file": document.original_name},
    )
    document.delete()
    uploads.delete_after_commit(name)


def document_downloaded(*, user: User, document: Document, request: HttpRequest) -> None:
    """Record a download of an amber or red document in the audit trail."""
    if document.label in AUDITED_LABELS:
        audit(
            action=Action.DOCUMENT_DOWNLOADED,
            actor=user,
            target=document,
            request=request,
            details={"label": document.label},
        )
