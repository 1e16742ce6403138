"""Writes to trend notes: recording and editing them, their status, and the activities that
answer them. Each checks who may (`activities.permissions`) and raises `PermissionDenied` or a
`ValidationError` a person can read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import permissions
from activities.models import Activity
from activities.trend_models import TrendNote, TrendResponse, TrendStatus
from meetings.models import Meeting
from portal.lib.sensitivity import check_named_people
from portal.lib.versions import claim_fresh, claim_version
from stakeholders.models import Organisation, User


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], list[Any] | None, list[Any] | None]:
    """A form's data apart from its meetings and named people."""
    meetings = list(data["meetings"]) if "meetings" in data else None
    named = list(data["named_people"]) if "named_people" in data else None
    rest = {k: v for k, v in data.items() if k not in ("meetings", "named_people")}
    return rest, meetings, named


def _check(user: User, data: dict[str, Any], meetings: list[Meeting] | None) -> None:
    if not set(data) <= permissions.TREND_FIELDS:
        raise PermissionDenied
    source = data.get("source_organisation")
    if source is not None and not permissions.may_source(user, source.pk):
        raise ValidationError(
            {"source_organisation": _("You record notes of your own organisation only.")}
        )
    if meetings:
        visible = set(
            Meeting.objects.visible_to(user)
            .filter(pk__in=[m.pk for m in meetings])
            .values_list("pk", flat=True)
        )
        if visible != {m.pk for m in meetings}:
            raise ValidationError({"meetings": _("Choose meetings you can see.")})


def _next_code() -> str:
    prefix = f"TRD-{timezone.localdate().year}-"
    highest = TrendNote.objects.filter(code__startswith=prefix).aggregate(n=Max("code"))["n"]
    number = int(highest.rsplit("-", 1)[1]) + 1 if highest else 1
    return f"{prefix}{number:04d}"


def _save(note: TrendNote, named: list[Any] | None, meetings: list[Meeting] | None) -> None:
    note.full_clean(exclude=["code"])
    if named is not None:
        check_named_people(note.label, named)
    note.save()
    if named is not None:
        note.named_people.set(named)
    if meetings is not None:
        note.meetings.set(meetings)


@transaction.atomic
def trend_create(*, user: User, data: dict[str, Any]) -> TrendNote:
    """Record a note; a partner's has its own organisation as source."""
    if not permissions.can_create_trend(user):
        raise PermissionDenied
    data, meetings, named = _split(data)
    _check(user, data, meetings)
    if data.get("source_organisation") is None:
        raise ValidationError({"source_organisation": _("Say whose observation it is.")})
    note = TrendNote(created_by=user, status=TrendStatus.NEW, **data)
    # One new code at a time: the year's highest is read under this lock.
    Organisation.objects.select_for_update().filter(pk=note.source_organisation_id).first()
    note.code = _next_code()
    try:
        with transaction.atomic():
            _save(note, named if named is not None else [], meetings)
    except IntegrityError:
        note.code = _next_code()
        _save(note, named if named is not None else [], meetings)
    return note


@transaction.atomic
def trend_update(*, user: User, note: TrendNote, data: dict[str, Any], version: int) -> TrendNote:
    if not permissions.can_edit_trend(user, note):
        raise PermissionDenied
    data, meetings, named = _split(data)
    _check(user, data, meetings)
    claim_version(note, version)
    for name, value in data.items():
        setattr(note, name, value)
    _save(note, named, meetings)
    return note


@transaction.atomic
def trend_set_status(*, user: User, note: TrendNote, status: str, reason: str = "") -> None:
    """Move a note: `addressed` needs a responding activity, `archived` a reason."""
    if status not in permissions.trend_statuses_for(user, note):
        raise PermissionDenied
    claim_fresh(note)
    reason = reason.strip()
    if status == TrendStatus.ADDRESSED and not note.responses.exists():
        raise ValidationError(_("A note is addressed once an activity answers it: link one first."))
    if status == TrendStatus.ARCHIVED and not reason:
        raise ValidationError(_("Say why the note is archived."))
    note.status = status
    note.archive_reason = reason if status == TrendStatus.ARCHIVED else ""
    note.save()


@transaction.atomic
def response_add(
    *, user: User, note: TrendNote, activity: Activity, text: str = ""
) -> TrendResponse:
    """Link an activity as answering the note; both must be visible to the user."""
    if not (
        TrendNote.objects.visible_to(user).filter(pk=note.pk).exists()
        and Activity.objects.visible_to(user).filter(pk=activity.pk).exists()
    ):
        raise PermissionDenied
    if not permissions.can_link_response(user, note, activity):
        raise PermissionDenied
    response = TrendResponse(trend=note, activity=activity, note=text.strip(), linked_by=user)
    response.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ValidationError(
            _("%(code)s already answers this note.") % {"code": activity.code}
        ) from None
    return response


@transaction.atomic
def response_remove(*, user: User, response: TrendResponse) -> bool:
    """Unlink an activity; True when the note was addressed and nothing answers it now, so
    it went back to monitoring."""
    if not permissions.can_remove_response(user, response):
        raise PermissionDenied
    note = response.trend
    response.delete()
    if note.status == TrendStatus.ADDRESSED and not note.responses.exists():
        note.status = TrendStatus.MONITORING
        note.save()
        return True
    return False
