"""Calendar entries (iCalendar, RFC 5545) for meeting emails.

One UID for a meeting's whole life and a SEQUENCE raised on each change invitees see,
so that a calendar moves its entry instead of adding another; METHOD:REQUEST for an
invitation or a change, METHOD:CANCEL once when the meeting is cancelled. Times are
in UTC. Answers are not taken from calendars (RSVP=FALSE): only the email's link
records one.
"""

from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting, MeetingStatus
from portal.lib.email import Attachment
from stakeholders.models import Person


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


def uid(meeting: Meeting) -> str:
    host = urlsplit(settings.PORTAL_URL).hostname or "localhost"
    return f"{meeting.calendar_uid}@{host}"


def _status(meeting: Meeting, method: Method) -> str:
    if method == Method.CANCEL or meeting.status == MeetingStatus.CANCELLED:
        return "CANCELLED"
    if meeting.status == MeetingStatus.POSTPONED:
        return "TENTATIVE"
    return "CONFIRMED"


def meeting_ics(
    meeting: Meeting, *, method: Method, invitee: Person, now: datetime | None = None
) -> str:
    """The calendar entry of `meeting` for one invitee, in the active language."""
    calendar = Calendar()
    calendar.add("prodid", "-//Coordination Portal//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", str(method))
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.calendar_sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
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
    if invitee.email:
        attendee = vCalAddress(f"mailto:{invitee.email}")
        attendee.params["cn"] = vText(invitee.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode()


def ics_attachment(meeting: Meeting, *, method: Method, invitee: Person) -> Attachment:
    return Attachment(
        filename="meeting.ics",
        mimetype="text/calendar",
        content=meeting_ics(meeting, method=method, invitee=invitee),
        params={"method": str(method)},
    )
