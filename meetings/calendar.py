"""Calendar entries (iCalendar, RFC 5545) of meetings: in emails, on the meeting page and in
personal calendar feeds.

One UID for a meeting's whole life and a SEQUENCE raised on each change invitees see,
so that a calendar moves its entry instead of adding another, whichever of these brought
it in; METHOD:REQUEST for an invitation or a change, METHOD:CANCEL once when the meeting
is cancelled, METHOD:PUBLISH for a download or a feed. Times are in UTC. Answers are not
taken from calendars (RSVP=FALSE): only the email's link records one.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vDuration, vText

from meetings.models import Meeting, MeetingStatus
from portal.lib.email import Attachment
from stakeholders.models import Person


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"
    PUBLISH = "PUBLISH"


# How often a calendar program subscribed to a feed is asked to read it again; Outlook and
# others honour it, Google Calendar keeps its own pace.
FEED_REFRESH = timedelta(hours=1)


def uid(meeting: Meeting) -> str:
    host = urlsplit(settings.PORTAL_URL).hostname or "localhost"
    return f"{meeting.calendar_uid}@{host}"


def _status(meeting: Meeting, method: Method) -> str:
    if method == Method.CANCEL or meeting.status == MeetingStatus.CANCELLED:
        return "CANCELLED"
    if meeting.status == MeetingStatus.POSTPONED:
        return "TENTATIVE"
    return "CONFIRMED"


def _calendar(method: Method) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Coordination Portal//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", str(method))
    return calendar


def _event(meeting: Meeting, *, method: Method, stamp: datetime) -> Event:
    """The entry of one meeting, in the active language: its title, times, place, online
    link and page; never its agenda, minutes or documents."""
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.calendar_sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.local_title)
    location = ", ".join(part for part in (meeting.venue, meeting.online_url) if part)
    if location:
        event.add("location", location)
    event.add("url", settings.PORTAL_URL + meeting.get_absolute_url())
    event.add("status", _status(meeting, method))
    organiser = vCalAddress(f"mailto:{settings.MEETING_ORGANISER_EMAIL}")
    organiser.params["cn"] = vText(meeting.series.convener.local_name)
    event.add("organizer", organiser)
    return event


def _text(calendar: Calendar) -> str:
    ical: bytes = calendar.to_ical()
    return ical.decode()


def meeting_ics(
    meeting: Meeting,
    *,
    method: Method,
    invitee: Person | None = None,
    now: datetime | None = None,
) -> str:
    """The calendar entry of `meeting` in the active language; an invitee's names them as
    its attendee."""
    event = _event(meeting, method=method, stamp=now or timezone.now())
    if invitee is not None and invitee.email:
        attendee = vCalAddress(f"mailto:{invitee.email}")
        attendee.params["cn"] = vText(invitee.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    calendar = _calendar(method)
    calendar.add_component(event)
    return _text(calendar)


def feed_ics(meetings: Iterable[Meeting], *, now: datetime | None = None) -> str:
    """A personal calendar feed of `meetings`, in the active language: each entry as the
    emails and the meeting page give it, so that a calendar holds one entry per meeting."""
    calendar = _calendar(Method.PUBLISH)
    calendar.add("x-wr-calname", _("Meetings · Coordination Portal"))
    calendar.add("refresh-interval", vDuration(FEED_REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    stamp = now or timezone.now()
    for meeting in meetings:
        calendar.add_component(_event(meeting, method=Method.PUBLISH, stamp=stamp))
    return _text(calendar)


def ics_attachment(meeting: Meeting, *, method: Method, invitee: Person) -> Attachment:
    return Attachment(
        filename="meeting.ics",
        mimetype="text/calendar",
        content=meeting_ics(meeting, method=method, invitee=invitee),
        params={"method": str(method)},
    )
