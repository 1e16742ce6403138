"""Writes to agendas: items added, changed, removed and moved, positions kept 1..n."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from meetings import permissions
from meetings.models import (
    AgendaItem,
    Meeting,
)
from meetings.services._base import _apply, _lock_meeting, _require
from portal.lib.versions import claim_version
from stakeholders.models import User

# Far more items than any agenda has; positions are moved above it while renumbering.
MAX_AGENDA_ITEMS = 200
AGENDA_FIELDS = frozenset(
    {
        "title",
        "title_ru",
        "title_uz",
        "description",
        "description_ru",
        "description_uz",
        "kind",
        "duration_minutes",
        "presenter_organisation",
        "presenter_person",
    }
)


def _check_presenter(item: AgendaItem) -> None:
    if item.presenter_person_id is not None and item.presenter_organisation_id is None:
        item.presenter_organisation_id = item.presenter_person.organisation_id  # type: ignore[union-attr]


@transaction.atomic
def agenda_item_create(*, user: User, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    """Add an item at the end of the agenda."""
    _require(permissions.can_edit_meeting(user, meeting))
    _lock_meeting(meeting)
    count = meeting.agenda_items.count()
    if count >= MAX_AGENDA_ITEMS:
        raise ValidationError(
            _("An agenda holds at most %(count)d items.") % {"count": MAX_AGENDA_ITEMS}
        )
    item = AgendaItem(meeting=meeting, position=count + 1)
    _apply(item, data, AGENDA_FIELDS)
    _check_presenter(item)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_update(
    *, user: User, item: AgendaItem, data: dict[str, Any], version: int
) -> list[str]:
    """Change an agenda item; return the changed fields (none: nothing saved)."""
    _require(permissions.can_edit_meeting(user, item.meeting))
    changed = _apply(item, data, AGENDA_FIELDS)
    if changed:
        claim_version(item, version)
        _check_presenter(item)
        item.full_clean()
        item.save()
    return changed


def _renumber(meeting: Meeting, order: list[int]) -> None:
    """Give the items of `order` (ids) positions 1..n in that order. Positions first move
    above any in use, so that no two items share one at any moment."""
    items = AgendaItem.objects.filter(meeting=meeting)
    items.update(position=F("position") + MAX_AGENDA_ITEMS)
    if order:
        items.filter(pk__in=order).update(
            position=Case(
                *(When(pk=pk, then=Value(index)) for index, pk in enumerate(order, start=1)),
                output_field=models.PositiveSmallIntegerField(),
            )
        )


def _agenda_order(meeting: Meeting) -> list[int]:
    return list(meeting.agenda_items.order_by("position", "pk").values_list("pk", flat=True))


@transaction.atomic
def agenda_item_delete(*, user: User, item: AgendaItem) -> None:
    """Remove an item; the ones after it move up."""
    meeting = item.meeting
    _require(permissions.can_edit_meeting(user, meeting))
    _lock_meeting(meeting)
    item.delete()
    _renumber(meeting, _agenda_order(meeting))


@transaction.atomic
def agenda_item_move(*, user: User, item: AgendaItem, up: bool) -> None:
    """Swap an item with the one before (up) or after it; at either end nothing moves."""
    meeting = item.meeting
    _require(permissions.can_edit_meeting(user, meeting))
    _lock_meeting(meeting)
    order = _agenda_order(meeting)
    if item.pk not in order:
        return
    index = order.index(item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(order):
        return
    order[index], order[other] = order[other], order[index]
    _renumber(meeting, order)


def _copy_agenda(previous: Meeting, meeting: Meeting) -> None:
    copied = [
        AgendaItem(
            meeting=meeting,
            **{
                name: getattr(item, name)
                for name in ("position", *(f.attname for f in _agenda_fields()))
            },
        )
        for item in previous.agenda_items.order_by("position")
    ]
    AgendaItem.objects.bulk_create(copied)


def _agenda_fields() -> list[Any]:
    return [AgendaItem._meta.get_field(name) for name in sorted(AGENDA_FIELDS)]
