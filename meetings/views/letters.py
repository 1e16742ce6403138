"""Official letters to invited organisations, their templates, and nominations of delegates."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from meetings import permissions, selectors, services
from meetings.forms import (
    DelegatesForm,
    LetterForm,
    LetterTemplateForm,
)
from meetings.letters import checks as letter_checks
from meetings.letters import documents as letter_documents
from meetings.letters import services as letter_services
from meetings.views._common import (
    _organisation_invitation_or_404,
)
from meetings.views.invitations import _report
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    act,
    allowed,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.models import Language
from stakeholders.permissions import can_edit_organisation


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def organisation_invitation_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The invitation letter of an invited organisation: its language, number and date, then
    the Word document to download."""
    invited = _organisation_invitation_or_404(request, pk)
    organisation = invited.organisation
    initial = {
        "language": invited.letter_language or letter_documents.default_language(organisation),
        "number": invited.letter_number,
        "date": timezone.localdate(),
    }
    form = LetterForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        letter = save_form(
            form,
            lambda data: letter_services.letter_generate(
                user=request.user,
                invited=invited,
                language=data["language"],
                number=data["number"],
                letter_date=data["date"],
            ),
        )
        if letter is not None:
            response = HttpResponse(letter, content_type=letter_documents.DOCX_CONTENT_TYPE)
            response["Content-Disposition"] = content_disposition_header(
                True, letter_documents.letter_file_name(invited, form.cleaned_data["language"])
            )
            return response
    return render(
        request,
        "meetings/letter_form.html",
        {
            "invited": invited,
            "meeting": invited.meeting,
            "organisation": organisation,
            "form": form,
            "can_edit_organisation": can_edit_organisation(request.user, organisation),
        },
    )


@allowed(permissions.can_read_meetings, methods=READ_WRITE)
def organisation_invitation_delegates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An invited organisation names its delegates, or declines: its focal point or the
    secretariat."""
    invited = _organisation_invitation_or_404(request, pk)
    if not permissions.can_name_delegates(request.user, invited):
        raise Http404
    meeting = invited.meeting
    candidates = selectors.delegate_candidates(invited)
    form = DelegatesForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST":
        result = save_form(
            form,
            lambda data: services.delegates_name(
                user=request.user, invited=invited, people=data["people"]
            ),
        )
        if result is not None:
            _report(request, result)
            return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#invited")
    return render(
        request,
        "meetings/delegates.html",
        {
            "invited": invited,
            "meeting": meeting,
            "form": form,
            "has_candidates": candidates.exists(),
            "delegates": selectors.delegates(invited),
            "answers_open": services.answers_open(meeting),
        },
    )


@allowed(permissions.can_read_meetings, methods=WRITE)
def organisation_invitation_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invited = _organisation_invitation_or_404(request, pk)
    if not permissions.can_name_delegates(request.user, invited):
        raise Http404
    act(
        request,
        lambda: services.organisation_decline(user=request.user, invited=invited),
        done=_("%(organisation)s declines the invitation.")
        % {"organisation": invited.organisation.local_name},
    )
    return redirect(reverse("meetings:meeting_detail", args=[invited.meeting_id]) + "#invited")


def _language_or_404(language: str) -> str:
    if language not in Language.values:
        raise Http404
    return language


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def letter_templates(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The letter templates, one per language: upload one to replace the built-in letter."""
    posted = request.method == "POST"
    form = LetterTemplateForm(request.POST if posted else None, request.FILES if posted else None)
    if posted:
        template = save_form(
            form,
            lambda data: letter_services.letter_template_upload(
                user=request.user, language=data["language"], upload=data["file"]
            ),
        )
        if template is not None:
            messages.success(
                request,
                _("Letters in %(language)s are made from %(file)s from now on.")
                % {"language": Language(template.language).label, "file": template.file_name},
            )
            return redirect("meetings:letter_templates")
    return render(
        request,
        "meetings/letter_templates.html",
        {
            "form": form,
            "templates": selectors.letter_templates(),
            "placeholders": letter_documents.PLACEHOLDERS,
            "max_size_mb": letter_checks.MAX_TEMPLATE_BYTES // (1024 * 1024),
        },
    )


@allowed(permissions.can_manage_meetings)
def letter_template_download(request: AuthenticatedHttpRequest, language: str) -> HttpResponse:
    """The template in use for a language, the built-in one included: a start to adapt."""
    language = _language_or_404(language)
    response = HttpResponse(
        letter_documents.template_for(language), content_type=letter_documents.DOCX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"invitation-letter-template-{language}.docx"
    )
    return response


@allowed(permissions.can_manage_meetings, methods=WRITE)
def letter_template_reset(request: AuthenticatedHttpRequest, language: str) -> HttpResponse:
    language = _language_or_404(language)
    if letter_services.letter_template_reset(user=request.user, language=language):
        messages.success(
            request,
            _("Letters in %(language)s are made from the built-in letter again.")
            % {"language": Language(language).label},
        )
    else:
        messages.info(request, _("Letters in this language use the built-in letter already."))
    return redirect("meetings:letter_templates")
