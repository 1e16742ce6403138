from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetings import permissions, selectors, services
from meetings.forms import (
    AgendaItemForm,
    AnswerForm,
    DelegatesForm,
    InviteOrganisationForm,
    InvitePersonForm,
    LetterForm,
    LetterTemplateForm,
    MeetingFilterForm,
    MeetingForm,
    RsvpAnswerForm,
    SeriesForm,
    SubstituteForm,
)
from meetings.letters import checks as letter_checks
from meetings.letters import documents as letter_documents
from meetings.letters import services as letter_services
from meetings.models import (
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    OrganisationInvitation,
    Response,
)
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    act,
    allowed,
    id_param,
    paginate,
    query_without,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.models import Language, Organisation, User
from stakeholders.permissions import can_edit_organisation

PAGE_SIZE = 25


def meeting_or_404(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    if meeting is None:
        raise Http404
    return meeting


def series_or_404(request: AuthenticatedHttpRequest, pk: int) -> MeetingSeries:
    series = selectors.series_for(user=request.user, pk=pk)
    if series is None:
        raise Http404
    return series


def _agenda_item_or_404(request: AuthenticatedHttpRequest, pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(
        pk=pk, meeting__in=Meeting.objects.visible_to(request.user)
    ).first()
    if item is None:
        raise Http404
    return item


def _invitation_or_404(request: AuthenticatedHttpRequest, pk: int) -> Invitation:
    invitation = (
        Invitation.objects.filter(pk=pk, meeting__in=Meeting.objects.visible_to(request.user))
        .select_related("meeting", "person")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


# Meetings


@allowed(permissions.can_read_meetings)
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET, user=request.user)
    meetings = selectors.meeting_list(user=request.user, filters=form.filters)
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
        },
    )


@allowed(permissions.can_read_meetings)
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    user = request.user
    can_manage = permissions.can_manage_meetings(user)
    answerable = selectors.own_invitations(user=user, meeting=meeting)
    groups = selectors.invitations_by_organisation(meeting)
    delegations = _delegations(user, groups)
    context: dict[str, Any] = {
        "meeting": meeting,
        "agenda": selectors.agenda(meeting),
        "groups": groups,
        "summary": selectors.attendance_summary(groups),
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
    }
    return render(request, "meetings/meeting_detail.html", context)


def _delegations(
    user: User, groups: list[selectors.InvitedOrganisation]
) -> list[OrganisationInvitation]:
    """The invited organisations of a meeting whose delegates the user names."""
    return [
        group.invited
        for group in groups
        if group.invited is not None and permissions.can_name_delegates(user, group.invited)
    ]


def _meeting_form_page(
    request: AuthenticatedHttpRequest, form: MeetingForm, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "includes/form_page.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
    )


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
    return _meeting_form_page(request, form, _("New meeting"), reverse("meetings:meeting_list"))


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
    return _meeting_form_page(
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
    return _meeting_form_page(
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


# Agenda


def _agenda_response(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    """The agenda fragment for htmx, the meeting page otherwise."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "meetings/includes/agenda.html",
            {
                "meeting": meeting,
                "agenda": selectors.agenda(meeting),
                "can_edit": permissions.can_edit_meeting(request.user, meeting),
            },
        )
    return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#agenda")


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def agenda_item_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    form = AgendaItemForm(request.POST or None, user=request.user)
    if request.method == "POST":
        item = save_form(
            form,
            lambda data: services.agenda_item_create(user=request.user, meeting=meeting, data=data),
        )
        if item is not None:
            messages.success(request, _("Agenda item added."))
            return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#agenda")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": _("New agenda item"),
            "cancel_url": meeting.get_absolute_url(),
        },
    )


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def agenda_item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item_or_404(request, pk)
    meeting = item.meeting
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    form = AgendaItemForm(
        request.POST or None, instance=AgendaItem.objects.get(pk=item.pk), user=request.user
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
            messages.success(request, _("Agenda item saved."))
            return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#agenda")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "conflict": conflict,
            "title": _("Edit agenda item"),
            "cancel_url": meeting.get_absolute_url(),
        },
    )


@allowed(permissions.can_manage_meetings, methods=WRITE)
def agenda_item_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item_or_404(request, pk)
    meeting = item.meeting
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
    services.agenda_item_move(
        user=request.user, item=item, up=request.POST.get("direction") != "down"
    )
    return _agenda_response(request, meeting)


# Invitations


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def meeting_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite an organisation (its focal point and alternates) or a person."""
    meeting = meeting_or_404(request, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    kind = request.POST.get("kind") if request.method == "POST" else None
    organisation_form = InviteOrganisationForm(
        request.POST if kind == "organisation" else None, user=request.user
    )
    person_form = InvitePersonForm(request.POST if kind == "person" else None, user=request.user)
    if kind == "organisation" and organisation_form.is_valid():
        organisation = organisation_form.cleaned_data["organisation"]
        result = services.invite_organisations(
            user=request.user, meeting=meeting, organisations=[organisation]
        )
        _report(request, result)
        if not result.without_contacts:
            return redirect(reverse("meetings:meeting_invite", args=[meeting.pk]))
        organisation_form.add_error("organisation", _report_without_contacts(result))
    elif kind == "person" and person_form.is_valid():
        person = person_form.cleaned_data["person"]
        result = services.invite_people(user=request.user, meeting=meeting, people=[person])
        _report(request, result)
        return redirect(reverse("meetings:meeting_invite", args=[meeting.pk]))
    groups = selectors.invitations_by_organisation(meeting)
    return render(
        request,
        "meetings/meeting_invite.html",
        {
            "meeting": meeting,
            "organisation_form": organisation_form,
            "person_form": person_form,
            "groups": groups,
            "delegates_for": {invited.pk for invited in _delegations(request.user, groups)},
            "can_write_letters": True,
        },
    )


def _report_without_contacts(result: services.Invited) -> str:
    names = ", ".join(o.local_name for o in result.without_contacts)
    return _(
        "Not invited: %(names)s has neither a focal point nor an alternate in the directory. "
        "Add one, or invite a person of it."
    ) % {"names": names}


def _report(request: AuthenticatedHttpRequest, result: services.Invited) -> None:
    if result.new:
        messages.success(
            request,
            ngettext("%(count)d person invited.", "%(count)d people invited.", len(result.new))
            % {"count": len(result.new)},
        )
    if result.already:
        names = ", ".join(p.full_name for p in result.already)
        messages.info(request, _("Already invited: %(names)s.") % {"names": names})


@allowed(permissions.can_manage_meetings, methods=WRITE)
def organisation_invitation_refresh(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite the contacts an invited organisation has named since."""
    invited = _organisation_invitation_or_404(request, pk)
    meeting = invited.meeting
    result = services.invite_organisations(
        user=request.user, meeting=meeting, organisations=[invited.organisation]
    )
    if result.without_contacts:
        messages.error(request, _report_without_contacts(result))
    elif not result.new:
        messages.info(request, _("Everyone to invite is invited already."))
    _report(request, services.Invited(new=result.new))
    return redirect(reverse("meetings:meeting_invite", args=[meeting.pk]))


def _organisation_invitation_or_404(
    request: AuthenticatedHttpRequest, pk: int
) -> OrganisationInvitation:
    invited = (
        OrganisationInvitation.objects.filter(
            pk=pk, meeting__in=Meeting.objects.visible_to(request.user)
        )
        .select_related("meeting", "organisation")
        .first()
    )
    if invited is None:
        raise Http404
    return invited


@allowed(permissions.can_manage_meetings, methods=WRITE)
def organisation_invitation_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invited = _organisation_invitation_or_404(request, pk)
    act(
        request,
        lambda: services.organisation_invitation_remove(user=request.user, invited=invited),
        done=_(
            "%(organisation)s is no longer invited as an organisation; its people's "
            "invitations stay."
        )
        % {"organisation": invited.organisation.local_name},
    )
    return redirect(reverse("meetings:meeting_invite", args=[invited.meeting_id]))


# Official letters and nominations


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


@allowed(permissions.can_manage_meetings, methods=WRITE)
def invitation_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, pk)
    act(
        request,
        lambda: services.invitation_remove(user=request.user, invitation=invitation),
        done=_("The invitation of %(person)s is withdrawn.")
        % {"person": invitation.person.full_name},
    )
    return redirect(reverse("meetings:meeting_invite", args=[invitation.meeting_id]))


@allowed(permissions.can_read_meetings, methods=WRITE)
def invitation_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An answer given on the meeting page, by the invitee, their focal point or the
    secretariat."""
    invitation = _invitation_or_404(request, pk)
    if not permissions.can_answer_for(request.user, invitation):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.invitation_answer(
                user=request.user,
                invitation=invitation,
                response=form.cleaned_data["response"],
                comment=form.cleaned_data["comment"],
            ),
            done=_("Answer saved."),
        )
    else:
        messages.error(request, _("Choose an answer."))
    return redirect(reverse("meetings:meeting_detail", args=[invitation.meeting_id]) + "#answer")


# Series


@allowed(permissions.can_manage_meetings)
def series_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/series_list.html",
        {"series_list": selectors.series_list(user=request.user)},
    )


@allowed(permissions.can_manage_meetings)
def series_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    series = series_or_404(request, pk)
    meetings = selectors.meeting_rows(
        list(series.meetings.order_by("-starts_at", "pk")[:PAGE_SIZE])
    )
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            "meetings": meetings,
            "standing": list(series.standing_invitees.all()),
            "standing_form": InviteOrganisationForm(user=request.user),
        },
    )


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def series_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST":
        series = save_form(form, lambda data: services.series_create(user=request.user, data=data))
        if series is not None:
            messages.success(request, _("Series added."))
            return redirect(series)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": _("New meeting series"),
            "cancel_url": reverse("meetings:series_list"),
        },
    )


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def series_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    series = series_or_404(request, pk)
    form = SeriesForm(
        request.POST or None, instance=MeetingSeries.objects.get(pk=series.pk), user=request.user
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.series_update(
                user=request.user, series=series, data=data, version=version
            ),
        )
        if saved is not None:
            messages.success(request, _("Series saved."))
            return redirect(series)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "conflict": conflict,
            "title": _("Edit %(series)s") % {"series": series.local_title},
            "cancel_url": series.get_absolute_url(),
        },
    )


@allowed(permissions.can_manage_meetings, methods=WRITE)
def series_standing_invitees(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add an organisation to the series' standing invitees, or remove one."""
    series = series_or_404(request, pk)
    if remove := request.POST.get("remove"):
        organisation = Organisation.objects.filter(pk=id_param(remove) or 0).first()
        if organisation is not None:
            services.series_set_standing(
                user=request.user, series=series, organisation=organisation, standing=False
            )
            messages.success(
                request,
                _("%(organisation)s is no longer a standing invitee.")
                % {"organisation": organisation.local_name},
            )
        return redirect(series)
    form = InviteOrganisationForm(request.POST, user=request.user)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        services.series_set_standing(
            user=request.user, series=series, organisation=organisation, standing=True
        )
        messages.success(
            request,
            _("%(organisation)s is invited to every new meeting of the series.")
            % {"organisation": organisation.local_name},
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(series)


# Answering through an emailed link, without logging in


@require_http_methods(["GET", "POST"])
@never_cache
def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """The page a personal link opens. Looking records nothing (mail scanners follow
    links); only a posted form does. Read-only once the meeting starts or is cancelled."""
    opened = services.rsvp_open(token)
    if opened is None:
        return render(request, "meetings/rsvp_gone.html", status=404)
    link, invitation = opened
    meeting = invitation.meeting
    candidates = services.substitute_candidates(invitation)
    action = request.POST.get("action") if request.method == "POST" else None
    answer_form = RsvpAnswerForm(
        request.POST if action == "answer" else None,
        initial={"response": invitation.response, "comment": invitation.comment},
    )
    substitute_form = SubstituteForm(
        request.POST if action == "substitute" else None, candidates=candidates
    )
    if action == "answer" and answer_form.is_valid():
        data = answer_form.cleaned_data
        saved = save_form(
            answer_form,
            lambda _data: services.invitation_answer(
                user=None, invitation=invitation, response=data["response"], comment=data["comment"]
            ),
        )
        if saved is not None:
            link.use()
            messages.success(request, _("Thank you: your answer is saved."))
            return redirect(request.path)
    elif action == "substitute" and substitute_form.is_valid():
        data = substitute_form.cleaned_data
        created = save_form(
            substitute_form,
            lambda _data: services.invitation_substitute(
                invitation=invitation,
                colleague=data.get("colleague"),
                new_person={k: data[k] for k in ("full_name", "email", "position")}
                if data.get("full_name")
                else None,
                comment=data["comment"],
            ),
        )
        if created is not None:
            link.use()
            messages.success(
                request,
                _("%(name)s is invited in your place and receives the invitation by email.")
                % {"name": created.person.full_name},
            )
            return redirect(request.path)
    return render(
        request,
        "meetings/rsvp.html",
        {
            "invitation": invitation,
            "meeting": meeting,
            "agenda": selectors.agenda(meeting),
            "answers_open": services.answers_open(meeting),
            "answer_form": answer_form,
            "substitute_form": substitute_form,
            "can_pass_on": invitation.organisation_id is not None,
        },
    )


# Attendance


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
            organisation_id = id_param(request.POST.get("organisation"))
            organisation = (
                Organisation.objects.filter(pk=organisation_id).first()
                if organisation_id is not None
                else None
            )
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
