"""What follows from a meeting: decisions, and action items followed up to done or dropped."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import permissions
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    ActionItemUpdate,
    Decision,
    Meeting,
)
from meetings.services import reminders
from meetings.services._base import _apply, _lock_meeting, _require
from meetings.services.frameworks import references_set, split_tags
from portal.lib.versions import claim_fresh, claim_version
from stakeholders.models import User

DECISION_FIELDS = frozenset({"text", "text_ru", "text_uz", "agenda_item"})
ACTION_ITEM_FIELDS = frozenset(
    {
        "description",
        "description_ru",
        "description_uz",
        "owner_organisation",
        "owner_person",
        "due_on",
        "decision",
    }
)


def _check_meeting_parts(meeting: Meeting, data: dict[str, Any]) -> None:
    """An agenda item or a decision given must be of the same meeting."""
    for name in ("agenda_item", "decision"):
        part = data.get(name)
        if part is not None and part.meeting_id != meeting.pk:
            raise ValidationError({name: _("Choose one of this meeting's.")})


@transaction.atomic
def decision_create(*, user: User, meeting: Meeting, data: dict[str, Any]) -> Decision:
    """Record a decision of the meeting; it takes the meeting's next number (4/1, 4/2…)."""
    _require(permissions.can_manage_follow_up(user))
    data, tags = split_tags(data)
    _check_meeting_parts(meeting, data)
    _lock_meeting(meeting)
    highest = Decision.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0
    decision = Decision(meeting=meeting, number=highest + 1, created_by=user)
    _apply(decision, data, DECISION_FIELDS)
    decision.full_clean()
    decision.save()
    references_set(decision, tags)
    return decision


@transaction.atomic
def decision_update(
    *, user: User, decision: Decision, data: dict[str, Any], version: int
) -> list[str]:
    """Change a decision's wording or what it answers; its number stays."""
    _require(permissions.can_manage_follow_up(user))
    data, tags = split_tags(data)
    _check_meeting_parts(decision.meeting, data)
    changed = _apply(decision, data, DECISION_FIELDS)
    if references_set(decision, tags):
        changed.append("framework_references")
    if changed:
        claim_version(decision, version)
        decision.full_clean()
        decision.save()
    return changed


@transaction.atomic
def decision_supersede(*, user: User, decision: Decision, by: Decision) -> None:
    """Mark a decision as superseded by a later one."""
    _require(permissions.can_manage_follow_up(user))
    claim_fresh(decision)
    later = (by.meeting.starts_at, by.number) > (decision.meeting.starts_at, decision.number)
    if by.pk == decision.pk or not later:
        raise ValidationError(_("A decision is superseded by a later decision."))
    decision.superseded_by = by
    decision.save()


def _check_owner(item: ActionItem) -> None:
    organisation = item.owner_organisation
    if not organisation.is_active or organisation.merged_into_id is not None:
        raise ValidationError(
            {"owner_organisation": _("Choose an active organisation of the directory.")}
        )


@transaction.atomic
def action_item_create(*, user: User, meeting: Meeting, data: dict[str, Any]) -> ActionItem:
    """Raise an action item at a meeting, owned by an organisation (and a person of it)."""
    _require(permissions.can_manage_follow_up(user))
    data, tags = split_tags(data)
    _check_meeting_parts(meeting, data)
    item = ActionItem(meeting=meeting, created_by=user)
    _apply(item, data, ACTION_ITEM_FIELDS)
    _check_owner(item)
    item.full_clean()
    item.save()
    references_set(item, tags)
    reminders.action_item_assigned(item)
    return item


@transaction.atomic
def action_item_update(
    *, user: User, item: ActionItem, data: dict[str, Any], version: int
) -> list[str]:
    """Change what an item says, who owns it or when it is due (the secretariat's)."""
    _require(permissions.can_manage_follow_up(user))
    data, tags = split_tags(data)
    _check_meeting_parts(item.meeting, data)
    changed = _apply(item, data, ACTION_ITEM_FIELDS)
    if references_set(item, tags):
        changed.append("framework_references")
    if changed:
        claim_version(item, version)
        _check_owner(item)
        item.full_clean()
        item.save()
        if {"owner_organisation", "owner_person"} & set(changed):
            reminders.action_item_assigned(item)
    return changed


@transaction.atomic
def action_item_set_status(
    *, user: User, item: ActionItem, status: str, note: str = ""
) -> ActionItemUpdate | None:
    """Move an item to `status`, by the secretariat or a user of the owner organisation;
    dropping needs a note. Done sets the completion time, reopening clears it."""
    _require(permissions.can_update_action_item(user, item))
    if status not in ActionItemStatus.values:
        raise ValidationError(_("Unknown status."))
    note = note.strip()
    if status == ActionItemStatus.DROPPED and not note:
        raise ValidationError({"note": _("Say why the item is dropped.")})
    claim_fresh(item)
    if item.status == status and not note:
        return None
    update = ActionItemUpdate.objects.create(
        item=item, from_status=item.status, to_status=status, note=note, user=user
    )
    item.status = status
    item.completed_at = timezone.now() if status == ActionItemStatus.DONE else None
    item.save()
    return update
