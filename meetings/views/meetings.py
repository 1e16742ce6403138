"""Meeting pages: the list, a meeting, planning, editing, status."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings import permissions, prompts, selectors, services
from meetings.forms import (
    MeetingFilterForm,
    MeetingForm,
)
from meetings.models import (
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Response,
)
from meetings.record_pdf import pdf_available
from meetings.views._common import (
    PAGE_SIZE,
    _delegations,
    changeable_documents,
    meeting_or_404,
)
from portal.lib import periods
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    act,
    allowed,
    form_page,
    id_param,
    paginate,
    query_without,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest


@allowed(permissions.can_read_meetings, cached=True)
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET, user=request.user)
    period = periods.of_list(request)
    filters = {**form.filters, "period": period}
    meetings = selectors.meeting_list(user=request.user, filters=filters)
    page = paginate(meetings, request.GET.get("page"), PAGE_SIZE)
    page.object_list = selectors.meeting_rows(list(page.object_list))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "filters": form,
            "query": query_without(request, "page"),
            "can_manage": permissions.can_manage_meetings(request.user),
            "period": period,
            "period_removed": query_without(request, "page", *periods.PARAMS),
            # With a period (from the dashboard), attendance as the dashboard counts it.
            "attendance": selectors.attendance_totals(meetings, filters.get("organisation"))
            if period is not None
            else None,
        },
    )


@allowed(permissions.can_read_meetings, cached=True)
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    user = request.user
    can_manage = permissions.can_manage_meetings(user)
    groups = selectors.invitations_by_organisation(meeting)
    answerable = selectors.own_invitations(user=user, groups=groups)
    delegations = _delegations(user, groups)
    documents = selectors.documents_by_item(user=user, meeting=meeting)
    agenda = selectors.agenda(meeting, user=user, documents=documents)
    context: dict[str, Any] = {
        "meeting": meeting,
        "agenda": agenda,
        "meeting_documents": documents.get(None, []),
        "pdf_available": pdf_available(),
        "changeable_documents": changeable_documents(user, agenda, *documents.get(None, [])),
        "can_upload": not meeting.is_cancelled
        and (permissions.can_upload_to_meeting(user) or any(row.can_upload for row in agenda)),
        "groups": groups,
        "summary": selectors.attendance_summary(groups),
        "follow_up": selectors.follow_up(user=user, meeting=meeting),
        "minutes": selectors.minutes_for(user=user, meeting=meeting),
        "can_write_minutes": permissions.can_write_minutes(user),
        "delegates_for": {invited.pk for invited in delegations},
        # A focal point is shown their organisation's nomination apart; the secretariat
        # reaches every one from the list of invited organisations.
        "own_delegations": [] if can_manage else delegations,
        "can_write_letters": can_manage and not meeting.is_cancelled,
        "answerable": answerable,
        "answers_open": services.answers_open(meeting),
        "can_manage": can_manage,
        "can_edit": permissions.can_edit_meeting(user, meeting),
        "can_mark_held": can_manage and meeting.has_started and meeting.status == "planned",
        "answer_choices": [(v, label) for v, label in Response.choices if v != Response.PENDING],
        "prompts": prompts.prompts(user, meeting),
    }
    return render(request, "meetings/meeting_detail.html", context)


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    series = MeetingSeries.objects.visible_to(request.user).filter(is_active=True)
    initial: dict[str, Any] = {}
    wanted = id_param(request.GET.get("series"))
    chosen = series.filter(pk=wanted).first() if wanted is not None else None
    if chosen is None and series.count() == 1:
        chosen = series.first()
    if chosen is not None:
        initial = {
            "series": chosen,
            "number": services.next_number(chosen),
            "venue": chosen.default_venue,
            "time_zone": chosen.default_time_zone,
        }
    form = MeetingForm(request.POST or None, initial=initial, user=request.user, series_choice=True)
    if request.method == "POST":
        meeting = save_form(
            form,
            lambda data: services.meeting_create(
                user=request.user,
                series=data.pop("series"),
                data=data,
            ),
        )
        if meeting is not None:
            messages.success(request, _("Meeting planned."))
            return redirect(meeting)
    return form_page(request, form, _("New meeting"), reverse("meetings:meeting_list"))


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def meeting_next(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new meeting following this one: its details proposed, its invitees and agenda
    copied when saved."""
    previous = meeting_or_404(request, pk)
    proposed = services.proposed_from_previous(previous)
    series = proposed.pop("series")
    form = MeetingForm(request.POST or None, initial=proposed, user=request.user)
    if request.method == "POST":
        meeting = save_form(
            form,
            lambda data: services.meeting_create(
                user=request.user, series=series, data=data, previous=previous
            ),
        )
        if meeting is not None:
            messages.success(
                request,
                _("Meeting planned, with the invitees and agenda of %(previous)s.")
                % {"previous": previous.local_title},
            )
            return redirect(meeting)
    form.instance.series = series
    return form_page(
        request,
        form,
        _("Next meeting of %(series)s") % {"series": series.local_title},
        previous.get_absolute_url(),
    )


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    form = MeetingForm(
        request.POST or None, instance=Meeting.objects.get(pk=meeting.pk), user=request.user
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.meeting_update(
                user=request.user, meeting=meeting, data=data, version=version
            ),
        )
        if saved is not None:
            messages.success(request, _("Meeting saved."))
            return redirect(meeting)
    return form_page(
        request,
        form,
        _("Edit %(meeting)s") % {"meeting": meeting.local_title},
        meeting.get_absolute_url(),
        conflict=conflict,
    )


STATUS_DONE = {
    MeetingStatus.HELD: _("The meeting is marked as held."),
    MeetingStatus.POSTPONED: _("The meeting is postponed."),
    MeetingStatus.PLANNED: _("The meeting is planned again."),
    MeetingStatus.CANCELLED: _("The meeting is cancelled."),
}


@allowed(permissions.can_manage_meetings, methods=WRITE)
def meeting_set_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    status = request.POST.get("status", "")
    if status not in MeetingStatus.values:
        messages.error(request, _("Unknown status."))
        return redirect(meeting)
    act(
        request,
        lambda: services.meeting_set_status(user=request.user, meeting=meeting, status=status),
        done=str(STATUS_DONE[MeetingStatus(status)]),
    )
    return redirect(meeting)
