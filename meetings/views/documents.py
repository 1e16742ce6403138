"""A meeting's documents: upload, download, details, deletion."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from meetings import permissions, selectors, services
from meetings.forms import DocumentEditForm, DocumentUploadForm
from meetings.models import AgendaItem, Document, DocumentKind, Meeting
from meetings.views._common import meeting_or_404
from portal.lib.personal_data import record_override
from portal.lib.uploads import attachment
from portal.lib.views import (
    READ,
    READ_WRITE,
    WRITE,
    act,
    allowed,
    form_page,
    id_param,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest


def _document_or_404(request: AuthenticatedHttpRequest, pk: int) -> Document:
    document = selectors.document_for(user=request.user, pk=pk)
    if document is None:
        raise Http404
    return document


def _documents_url(meeting: Meeting) -> str:
    return meeting.get_absolute_url() + "#documents"


def _uploadable_items(request: AuthenticatedHttpRequest, meeting: Meeting) -> list[AgendaItem]:
    items = list(meeting.agenda_items.order_by("position"))
    return [item for item in items if permissions.can_upload_to_agenda_item(request.user, item)]


@allowed(permissions.can_read_meetings, methods=READ_WRITE)
def document_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    whole_meeting = permissions.can_upload_to_meeting(request.user)
    items = _uploadable_items(request, meeting)
    if meeting.is_cancelled or not (whole_meeting or items):
        raise Http404
    wanted = id_param(request.GET.get("item"))
    initial: dict[str, object] = {
        "agenda_item": next((item for item in items if item.pk == wanted), None)
    }
    # ?kind=attendance_sheet from the attendance page; an unknown kind is ignored.
    if request.GET.get("kind") in DocumentKind.values:
        initial["kind"] = request.GET["kind"]
    form = DocumentUploadForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        meeting=meeting,
        agenda_items=items,
        whole_meeting=whole_meeting,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        upload = request.FILES.get("file")
        document = save_form(
            form,
            lambda data: services.document_upload(
                user=request.user,
                meeting=meeting,
                file=data.pop("file"),
                file_name=upload.name if upload is not None and upload.name else "",
                data=data,
            ),
        )
        if document is not None:
            record_override(form, actor=request.user, target=document, request=request)
            messages.success(request, _("Document uploaded."))
            return redirect(_documents_url(meeting))
    return form_page(
        request,
        form,
        _("Upload a document to %(meeting)s") % {"meeting": meeting.local_title},
        _documents_url(meeting),
    )


@allowed(permissions.can_read_meetings, methods=READ)
def document_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The file, always as an attachment under its original name, never shown inline."""
    document = _document_or_404(request, pk)
    response = attachment(document.file, name=document.original_name, file_type=document.file_type)
    services.document_downloaded(user=request.user, document=document, request=request)
    return response


@allowed(permissions.can_read_meetings, methods=READ_WRITE)
def document_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    if not permissions.can_change_document(request.user, document):
        raise Http404
    meeting = document.meeting
    whole_meeting = permissions.can_upload_to_meeting(request.user)
    items = _uploadable_items(request, meeting)
    if document.agenda_item is not None and document.agenda_item not in items:
        items.append(document.agenda_item)
    form = DocumentEditForm(
        request.POST or None,
        document=document,
        meeting=meeting,
        agenda_items=items,
        whole_meeting=whole_meeting or document.agenda_item is None,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    conflict: list[dict[str, object]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.document_update(
                user=request.user, document=document, data=data, version=version
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=saved, request=request)
            messages.success(request, _("Document saved."))
            return redirect(_documents_url(meeting))
    return form_page(
        request,
        form,
        _("Edit %(document)s") % {"document": document.title},
        _documents_url(meeting),
        conflict=conflict,
    )


@allowed(permissions.can_read_meetings, methods=WRITE)
def document_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    if not permissions.can_change_document(request.user, document):
        raise Http404
    meeting = document.meeting
    act(
        request,
        lambda: services.document_delete(user=request.user, document=document, request=request),
        done=_("Document deleted."),
    )
    return redirect(_documents_url(meeting))
