"""Attendance and the sign-in sheet."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings import permissions, selectors, services
from meetings.forms import (
    InvitePersonForm,
)
from meetings.models import (
    Attendance,
    Response,
)
from meetings.views._common import (
    meeting_or_404,
)
from portal.lib.views import (
    READ_WRITE,
    act,
    allowed,
    id_param,
)
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.models import Organisation


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def meeting_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who came: marked per person or for a whole organisation at once, walk-ins added."""
    meeting = meeting_or_404(request, pk)
    user = request.user
    walk_in_form = InvitePersonForm(
        request.POST if request.POST.get("action") == "walk_in" else None,
        user=user,
        prefix="walk_in",
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "save":
            marks = {
                pk: request.POST[f"attendance-{pk}"]
                for pk in meeting.invitations.values_list("pk", flat=True)
                if f"attendance-{pk}" in request.POST
            }
            act(
                request,
                lambda: services.attendance_record(user=user, meeting=meeting, marks=marks),
                done=_("Attendance saved."),
            )
            return redirect(reverse("meetings:meeting_attendance", args=[meeting.pk]))
        if action == "organisation":
            # Empty: the invitees without an organisation; otherwise one the meeting invited.
            given = request.POST.get("organisation", "")
            organisation = (
                Organisation.objects.filter(pk=id_param(given) or 0).first() if given else None
            )
            if given and organisation is None:
                messages.error(request, _("That organisation is not invited to this meeting."))
                return redirect(reverse("meetings:meeting_attendance", args=[meeting.pk]))
            act(
                request,
                lambda: services.attendance_record_organisation(
                    user=user,
                    meeting=meeting,
                    organisation=organisation,
                    value=request.POST.get("attendance", ""),
                ),
                done=_("Attendance saved for the whole organisation."),
            )
            return redirect(reverse("meetings:meeting_attendance", args=[meeting.pk]))
        if action == "walk_in" and walk_in_form.is_valid():
            person = walk_in_form.cleaned_data["person"]
            act(
                request,
                lambda: services.walk_in_add(user=user, meeting=meeting, person=person),
                done=_("%(name)s is recorded as attending.") % {"name": person.full_name},
            )
            return redirect(reverse("meetings:meeting_attendance", args=[meeting.pk]))
    groups = selectors.invitations_by_organisation(meeting)
    return render(
        request,
        "meetings/meeting_attendance.html",
        {
            "meeting": meeting,
            "groups": groups,
            "summary": selectors.attendance_summary(groups),
            "can_record": permissions.can_record_attendance(user, meeting),
            "attendance_choices": Attendance.choices,
            "walk_in_form": walk_in_form,
        },
    )


@allowed(permissions.can_manage_meetings)
def meeting_sign_in_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A sheet to print for the room: name, organisation, position and a signature."""
    meeting = meeting_or_404(request, pk)
    groups = selectors.invitations_by_organisation(meeting)
    rows = [
        (group.organisation, invitation)
        for group in groups
        for invitation in group.invitations
        if invitation.response != Response.DECLINED
    ]
    return render(
        request,
        "meetings/sign_in_sheet.html",
        {"meeting": meeting, "rows": rows, "blank_rows": range(8)},
    )
