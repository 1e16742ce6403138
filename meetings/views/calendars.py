"""Meetings by the calendar: the month page, and a meeting's entry to add to a calendar."""

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from meetings import calendar, permissions, selectors
from meetings.forms import FIRST_YEAR, LAST_YEAR, MonthForm
from meetings.views._common import meeting_or_404
from portal.lib.views import allowed
from stakeholders.access import AuthenticatedHttpRequest


@allowed(permissions.can_read_meetings, cached=True)
def meeting_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A month of the meetings the user may see; a month that cannot be read shows the
    current one, with a message."""
    today = timezone.localdate()
    month = today.replace(day=1)
    if "month" in request.GET:
        form = MonthForm(request.GET)
        if form.is_valid():
            month = form.cleaned_data["month"]
        else:
            messages.warning(
                request,
                _("Here is the current month. %(problem)s")
                % {"problem": " ".join(map(str, form.errors["month"]))},
            )
    previous, following = month - relativedelta(months=1), month + relativedelta(months=1)
    return render(
        request,
        "meetings/meeting_calendar.html",
        {
            "month": month,
            "weeks": selectors.month_calendar(user=request.user, month=month, today=today),
            "weekdays": [(WEEKDAYS[day], WEEKDAYS_ABBR[day]) for day in range(7)],
            "previous": previous if previous.year >= FIRST_YEAR else None,
            "following": following if following.year <= LAST_YEAR else None,
        },
    )


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
