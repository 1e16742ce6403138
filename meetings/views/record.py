"""The record of a meeting: a print page, Word and PDF, each with only what the reader
may read."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify

from meetings import permissions
from meetings.record import meeting_record
from meetings.record_docx import DOCX_CONTENT_TYPE, record_docx
from meetings.record_pdf import html_to_pdf, pdf_available, record_css
from meetings.views._common import meeting_or_404
from portal.lib.views import allowed
from stakeholders.access import AuthenticatedHttpRequest


def _file_name(title: str, extension: str) -> str:
    return f"{slugify(title, allow_unicode=True) or 'meeting'}.{extension}"


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@allowed(permissions.can_read_meetings, cached=True)
def meeting_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    record = meeting_record(user=request.user, meeting=meeting)
    return render(
        request,
        "meetings/record.html",
        {"meeting": meeting, "record": record, "pdf_available": pdf_available()},
    )


@allowed(permissions.can_read_meetings)
def meeting_record_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    record = meeting_record(user=request.user, meeting=meeting)
    return _download(
        record_docx(record), DOCX_CONTENT_TYPE, _file_name(meeting.local_title, "docx")
    )


@allowed(permissions.can_read_meetings)
def meeting_record_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    if not pdf_available():
        return render(request, "meetings/record_pdf_unavailable.html", {"meeting": meeting})
    record = meeting_record(user=request.user, meeting=meeting)
    html = render_to_string(
        "meetings/record.html",
        {"meeting": meeting, "record": record, "for_file": True, "record_css": record_css()},
        request=request,
    )
    return _download(html_to_pdf(html), "application/pdf", _file_name(meeting.local_title, "pdf"))
