"""Meeting times as the meeting's own clock shows them, with the zone named."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats

from meetings.models import Meeting

DASH = "\u2013"  # an en dash, between the ends of a span of time

register = template.Library()


def _zone_label(zone: str) -> str:
    return zone.replace("_", " ")


@register.filter
def meeting_when(meeting: Meeting) -> str:
    """'24 October 2023, 10:00-13:00 (Asia/Tashkent)' (an en dash between the times);
    both dates when it spans days."""
    start, end = meeting.local_start, meeting.local_end
    if start.date() == end.date():
        shown = (
            f"{formats.date_format(start, 'DATE_FORMAT')}, "
            f"{formats.time_format(start, 'TIME_FORMAT')}{DASH}"
            f"{formats.time_format(end, 'TIME_FORMAT')}"
        )
    else:
        shown = (
            f"{formats.date_format(start, 'DATETIME_FORMAT')} {DASH} "
            f"{formats.date_format(end, 'DATETIME_FORMAT')}"
        )
    return f"{shown} ({_zone_label(meeting.time_zone)})"


@register.filter
def meeting_date(meeting: Meeting) -> str:
    return formats.date_format(meeting.local_start, "DATE_FORMAT")


@register.filter
def clock(moment: datetime, zone: str = "") -> str:
    """A time of day, in `zone` when given (the moment's own zone otherwise)."""
    if zone:
        moment = moment.astimezone(ZoneInfo(zone))
    return formats.time_format(moment, "TIME_FORMAT")
