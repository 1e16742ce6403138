"""A meeting's entry to add to a calendar."""

from django.http import HttpResponse

from meetings import calendar, permissions
from meetings.views._common import meeting_or_404
from portal.lib.views import allowed
from stakeholders.access import AuthenticatedHttpRequest


@allowed(permissions.can_read_meetings)
def meeting_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The meeting's calendar entry, under the UID and sequence of its emailed ones."""
    meeting = meeting_or_404(request, pk)
    response = HttpResponse(
        calendar.meeting_ics(meeting, method=calendar.Method.PUBLISH),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
