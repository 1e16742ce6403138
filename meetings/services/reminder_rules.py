"""The reminder rules of a series, and a meeting's own rules in their place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetings import permissions
from meetings.models import Meeting, MeetingSeries, ReminderRule
from meetings.services._base import _require
from stakeholders.models import User

MAX_RULES = 10


def _check_room(rules: int) -> None:
    if rules >= MAX_RULES:
        raise ValidationError(_("At most %(count)s reminders.") % {"count": MAX_RULES})


@transaction.atomic
def reminder_rule_add(
    *,
    user: User,
    offset_minutes: int,
    audience: str,
    series: MeetingSeries | None = None,
    meeting: Meeting | None = None,
) -> ReminderRule:
    """Add a reminder to a series, or to a meeting's own rules."""
    _require(permissions.can_manage_meetings(user))
    if (series is None) == (meeting is None):
        raise PermissionDenied
    existing = ReminderRule.objects.filter(series=series, meeting=meeting)
    _check_room(existing.count())
    if existing.filter(offset_minutes=offset_minutes, audience=audience).exists():
        raise ValidationError({"offset": _("This reminder is there already.")})
    rule = ReminderRule(
        series=series, meeting=meeting, offset_minutes=offset_minutes, audience=audience
    )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def reminder_rule_delete(*, user: User, rule: ReminderRule) -> None:
    """Remove a reminder; what it already sent stays recorded."""
    _require(permissions.can_manage_meetings(user))
    rule.delete()


@transaction.atomic
def meeting_rules_customise(*, user: User, meeting: Meeting) -> list[ReminderRule]:
    """Give a meeting rules of its own, starting from its series'."""
    _require(permissions.can_manage_meetings(user))
    if meeting.reminder_rules.exists():
        return list(meeting.reminder_rules.all())
    return ReminderRule.objects.bulk_create(
        ReminderRule(meeting=meeting, offset_minutes=rule.offset_minutes, audience=rule.audience)
        for rule in ReminderRule.objects.filter(series_id=meeting.series_id)
    )


@transaction.atomic
def meeting_rules_reset(*, user: User, meeting: Meeting) -> None:
    """Drop a meeting's own rules: its series' apply again."""
    _require(permissions.can_manage_meetings(user))
    meeting.reminder_rules.all().delete()
