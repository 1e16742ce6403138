"""What the meeting services share: permission and field checks, locks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _apply(obj: models.Model, data: dict[str, Any], allowed: frozenset[str]) -> list[str]:
    """Set the changed values of `data` on `obj`; refuse fields outside `allowed`."""
    # An unset relation of a new record reads as None.
    changed = [name for name, value in data.items() if getattr(obj, name, None) != value]
    if not set(changed) <= allowed:
        raise PermissionDenied
    for name in changed:
        setattr(obj, name, data[name])
    return changed


def _lock_meeting(meeting: Meeting) -> None:
    """Hold the meeting's row, so that agenda changes happen one after another."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()


def _require_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled: nobody can be invited to it."))


def answers_open(meeting: Meeting, now: datetime | None = None) -> bool:
    """Answers change until the start, and never for a cancelled meeting."""
    return not meeting.is_cancelled and (now or timezone.now()) < meeting.starts_at
