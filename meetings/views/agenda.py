"""Agenda items: added, edited, removed, moved in place (htmx) or by plain posts."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings import permissions, selectors, services
from meetings.forms import (
    AgendaItemForm,
)
from meetings.models import (
    AgendaItem,
    Meeting,
)
from meetings.views._common import (
    _agenda_item_or_404,
    changeable_documents,
    meeting_or_404,
)
from portal.lib.personal_data import record_override
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    act,
    allowed,
    form_page,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest


def _agenda_response(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    """The agenda fragment for htmx, the meeting page otherwise."""
    if request.htmx:  # type: ignore[attr-defined]
        agenda = selectors.agenda(meeting, user=request.user)
        return render(
            request,
            "meetings/includes/agenda.html",
            {
                "meeting": meeting,
                "agenda": agenda,
                "changeable_documents": changeable_documents(request.user, agenda),
                "can_edit": permissions.can_edit_meeting(request.user, meeting),
            },
        )
    return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#agenda")


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def agenda_item_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    form = AgendaItemForm(
        request.POST or None,
        user=request.user,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        item = save_form(
            form,
            lambda data: services.agenda_item_create(user=request.user, meeting=meeting, data=data),
        )
        if item is not None:
            record_override(form, actor=request.user, target=item, request=request)
            messages.success(request, _("Agenda item added."))
            return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#agenda")
    return form_page(request, form, _("New agenda item"), meeting.get_absolute_url())


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def agenda_item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item_or_404(request, pk)
    meeting = item.meeting
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    form = AgendaItemForm(
        request.POST or None,
        instance=AgendaItem.objects.get(pk=item.pk),
        user=request.user,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.agenda_item_update(
                user=request.user, item=item, data=data, version=version
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=item, request=request)
            messages.success(request, _("Agenda item saved."))
            return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#agenda")
    return form_page(
        request, form, _("Edit agenda item"), meeting.get_absolute_url(), conflict=conflict
    )


@allowed(permissions.can_manage_meetings, methods=WRITE)
def agenda_item_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item_or_404(request, pk)
    meeting = item.meeting
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    act(
        request,
        lambda: services.agenda_item_delete(user=request.user, item=item),
        done=_("Agenda item removed."),
    )
    return _agenda_response(request, meeting)


@allowed(permissions.can_manage_meetings, methods=WRITE)
def agenda_item_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item_or_404(request, pk)
    meeting = item.meeting
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    services.agenda_item_move(
        user=request.user, item=item, up=request.POST.get("direction") != "down"
    )
    return _agenda_response(request, meeting)
