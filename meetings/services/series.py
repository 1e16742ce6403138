"""Writes to meeting series."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetings import permissions
from meetings.models import MeetingSeries
from meetings.services._base import _apply, _require
from meetings.services.reminders import default_rules
from portal.lib.versions import claim_version
from stakeholders.models import Organisation, User


@transaction.atomic
def series_create(*, user: User, data: dict[str, Any]) -> MeetingSeries:
    """Start a series of meetings, with the default reminders before each meeting."""
    _require(permissions.can_manage_meetings(user))
    standing = data.pop("standing_invitees", [])
    series = MeetingSeries()
    _apply(series, data, permissions.SERIES_FIELDS)
    series.full_clean()
    series.save()
    series.standing_invitees.set(standing)
    default_rules(series)
    return series


@transaction.atomic
def series_update(
    *, user: User, series: MeetingSeries, data: dict[str, Any], version: int
) -> list[str]:
    """Change a series; return the changed fields (none: nothing saved)."""
    _require(permissions.can_manage_meetings(user))
    standing = data.pop("standing_invitees", None)
    changed = _apply(series, data, permissions.SERIES_FIELDS)
    standing_changed = standing is not None and {o.pk for o in standing} != set(
        series.standing_invitees.values_list("pk", flat=True)
    )
    if standing_changed:
        changed.append("standing_invitees")
    if changed:
        claim_version(series, version)
        series.full_clean()
        series.save()
        if standing_changed:
            series.standing_invitees.set(standing or [])
    return changed


@transaction.atomic
def series_set_standing(
    *, user: User, series: MeetingSeries, organisation: Organisation, standing: bool
) -> None:
    """Make an organisation a standing invitee of the series (invited to each new meeting),
    or no longer."""
    _require(permissions.can_manage_meetings(user))
    if standing:
        if not organisation.is_active or organisation.merged_into_id is not None:
            raise ValidationError(_("Only an active organisation can be a standing invitee."))
        series.standing_invitees.add(organisation)
    else:
        series.standing_invitees.remove(organisation)
