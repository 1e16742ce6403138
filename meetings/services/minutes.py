"""Minutes: drafted by the secretariat, circulated to the invitees who may read them for
comment, adopted (and then locked), corrected by a new revision; statements with them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import notify, permissions
from meetings.audit import Action
from meetings.models import (
    AgendaItem,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesState,
    Statement,
)
from meetings.services._base import _apply, _require
from portal.lib.audit import audit
from portal.lib.sensitivity import check_named_people
from portal.lib.versions import claim_fresh, claim_version
from stakeholders.models import Person, User

MINUTES_FIELDS = frozenset({"label", "named_people"})
TEXT_FIELDS = frozenset({"text_en", "text_ru", "text_uz", "authoritative_language"})
STATEMENT_FIELDS = frozenset({"speaker", "organisation", "text", "agenda_item"})
LOCKED = _("Adopted minutes are locked: record a correction instead.")


def current_revision(minutes: Minutes) -> MinutesRevision:
    """The latest revision: the one being written, or the one last adopted."""
    return minutes.revisions.order_by("-number").first() or MinutesRevision(minutes=minutes)


def _check_texts(data: dict[str, Any]) -> None:
    """The authoritative language must be one the minutes are written in."""
    language = data.get("authoritative_language") or ""
    if not str(data.get(f"text_{language}", "")).strip():
        raise ValidationError(
            {
                "authoritative_language": _(
                    "Write the minutes in their authoritative language, or choose another one."
                )
            }
        )


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    if not set(data) <= MINUTES_FIELDS | TEXT_FIELDS:
        raise PermissionDenied
    return (
        {k: v for k, v in data.items() if k in MINUTES_FIELDS},
        {k: v for k, v in data.items() if k in TEXT_FIELDS},
    )


def _set_label(minutes: Minutes, fields: dict[str, Any]) -> None:
    named = list(fields.get("named_people", minutes.named_people.all() if minutes.pk else []))
    minutes.label = fields.get("label", minutes.label)
    check_named_people(minutes.label, named)
    minutes.full_clean(exclude=["meeting"] if minutes.pk is None else None)
    minutes.save()
    if "named_people" in fields:
        minutes.named_people.set(named)


@transaction.atomic
def minutes_create(*, user: User, meeting: Meeting, data: dict[str, Any]) -> Minutes:
    """Start the meeting's minutes: a draft with its first revision."""
    _require(permissions.can_write_minutes(user))
    fields, texts = _split(data)
    _check_texts(texts)
    if Minutes.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("This meeting has its minutes already."))
    minutes = Minutes(meeting=meeting)
    _set_label(minutes, fields)
    revision = MinutesRevision(minutes=minutes, number=1, author=user, **texts)
    revision.full_clean()
    revision.save()
    return minutes


@transaction.atomic
def minutes_update(*, user: User, minutes: Minutes, data: dict[str, Any], version: int) -> Minutes:
    """Edit minutes not yet adopted: their label and the wording of their latest revision."""
    _require(permissions.can_write_minutes(user))
    fields, texts = _split(data)
    _check_texts(texts)
    claim_version(minutes, version)
    if minutes.is_adopted:
        raise ValidationError(LOCKED)
    _set_label(minutes, fields)
    revision = current_revision(minutes)
    for name, value in texts.items():
        setattr(revision, name, value)
    revision.author = user
    revision.full_clean()
    revision.save()
    return minutes


@transaction.atomic
def minutes_circulate(*, user: User, minutes: Minutes) -> int:
    """Circulate draft minutes for comment; email each invitee who may read them, in their
    language. Returns how many emails were queued."""
    _require(permissions.can_write_minutes(user))
    claim_fresh(minutes)
    if minutes.state != MinutesState.DRAFT:
        raise ValidationError(_("Only draft minutes are circulated."))
    minutes.state = MinutesState.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.save()
    sent = notify.send_minutes(minutes)
    audit(
        action=Action.MINUTES_CIRCULATED,
        actor=user,
        target=minutes.meeting,
        details={"recipients": sent},
    )
    return sent


@transaction.atomic
def minutes_adopt(*, user: User, minutes: Minutes) -> None:
    """Adopt the minutes in every language they are written in; they are locked from then."""
    _require(permissions.can_write_minutes(user))
    claim_fresh(minutes)
    if minutes.is_adopted:
        raise ValidationError(_("These minutes are adopted already."))
    now = timezone.now()
    revision = current_revision(minutes)
    revision.adopted_at = now
    revision.save(update_fields=["adopted_at"])
    minutes.state = MinutesState.ADOPTED
    minutes.adopted_at = now
    minutes.save()
    audit(
        action=Action.MINUTES_ADOPTED,
        actor=user,
        target=minutes.meeting,
        details={"revision": revision.number},
    )


@transaction.atomic
def minutes_correct(
    *, user: User, minutes: Minutes, data: dict[str, Any], reason: str
) -> MinutesRevision:
    """Correct adopted minutes: a new revision with its reason, adopted in its turn; the
    earlier revisions stay readable."""
    _require(permissions.can_write_minutes(user))
    fields, texts = _split(data)
    if fields:
        raise PermissionDenied
    _check_texts(texts)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the adopted minutes are corrected.")})
    claim_fresh(minutes)
    if not minutes.is_adopted:
        raise ValidationError(_("Minutes not yet adopted are edited, not corrected."))
    now = timezone.now()
    highest = minutes.revisions.aggregate(n=Max("number"))["n"] or 0
    revision = MinutesRevision(
        minutes=minutes,
        number=highest + 1,
        author=user,
        reason=reason,
        adopted_at=now,
        **texts,
    )
    revision.full_clean()
    revision.save()
    minutes.adopted_at = now
    minutes.save()
    audit(
        action=Action.MINUTES_CORRECTED,
        actor=user,
        target=minutes.meeting,
        details={"revision": revision.number},
    )
    return revision


@transaction.atomic
def minutes_comment(
    *, user: User, minutes: Minutes, text: str, agenda_item: AgendaItem | None = None
) -> MinutesComment:
    """Comment on circulated minutes, on the whole or on one of the meeting's agenda items.
    The caller has read the minutes through `visible_to`."""
    if not permissions.can_comment_on_minutes(user, minutes):
        raise ValidationError(_("Only circulated minutes take comments."))
    if agenda_item is not None and agenda_item.meeting_id != minutes.meeting_id:
        raise ValidationError({"agenda_item": _("Choose one of this meeting's.")})
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    return MinutesComment.objects.create(
        minutes=minutes,
        revision=current_revision(minutes),
        agenda_item=agenda_item,
        author=user,
        text=text.strip(),
    )


@transaction.atomic
def statement_create(*, user: User, minutes: Minutes, data: dict[str, Any]) -> Statement:
    """Record a statement with the minutes, after the others; its organisation is the
    speaker's unless another is given."""
    _require(permissions.can_write_minutes(user))
    if not set(data) <= STATEMENT_FIELDS:
        raise PermissionDenied
    claim_fresh(minutes)
    if minutes.is_adopted:
        raise ValidationError(LOCKED)
    agenda_item = data.get("agenda_item")
    if agenda_item is not None and agenda_item.meeting_id != minutes.meeting_id:
        raise ValidationError({"agenda_item": _("Choose one of this meeting's.")})
    speaker: Person = data["speaker"]
    highest = minutes.statements.aggregate(n=Max("order"))["n"] or 0
    statement = Statement(
        minutes=minutes,
        speaker=speaker,
        organisation=data.get("organisation") or speaker.organisation,
        text=data["text"],
        agenda_item=agenda_item,
        order=highest + 1,
    )
    statement.full_clean()
    statement.save()
    return statement


def _editable(statement: Statement) -> Minutes:
    """The statement's minutes, held until the transaction ends; refused once adopted."""
    minutes = statement.minutes
    claim_fresh(minutes)
    if minutes.is_adopted:
        raise ValidationError(LOCKED)
    return minutes


@transaction.atomic
def statement_update(
    *, user: User, statement: Statement, data: dict[str, Any], version: int
) -> Statement:
    """Correct a statement before the minutes are adopted."""
    _require(permissions.can_write_minutes(user))
    minutes = _editable(statement)
    agenda_item = data.get("agenda_item")
    if agenda_item is not None and agenda_item.meeting_id != minutes.meeting_id:
        raise ValidationError({"agenda_item": _("Choose one of this meeting's.")})
    if "speaker" in data and not data.get("organisation"):
        data = {**data, "organisation": data["speaker"].organisation}
    claim_version(statement, version)
    _apply(statement, data, STATEMENT_FIELDS)
    statement.full_clean()
    statement.save()
    return statement


@transaction.atomic
def statement_move(*, user: User, statement: Statement, direction: str) -> None:
    """Move a statement one place up or down among those of its minutes."""
    _require(permissions.can_write_minutes(user))
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a statement up or down."))
    minutes = _editable(statement)
    ordered = list(minutes.statements.order_by("order", "pk"))
    index = next(i for i, s in enumerate(ordered) if s.pk == statement.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for order, moved in enumerate(ordered, start=1):
        if moved.order != order:
            Statement.objects.filter(pk=moved.pk).update(order=order)


@transaction.atomic
def statement_delete(*, user: User, statement: Statement) -> None:
    """Remove a statement recorded by mistake, before the minutes are adopted."""
    _require(permissions.can_write_minutes(user))
    _editable(statement)
    statement.delete()
