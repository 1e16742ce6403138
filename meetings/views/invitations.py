"""Invitations: inviting people and organisations, withdrawing, answering on the meeting page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings import permissions, selectors, services
from meetings.forms import (
    AnswerForm,
    InviteOrganisationForm,
    InvitePersonForm,
)
from meetings.views._common import (
    _delegations,
    _invitation_or_404,
    _organisation_invitation_or_404,
    meeting_or_404,
)
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    act,
    allowed,
)
from stakeholders.access import AuthenticatedHttpRequest


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
    if not permissions.can_edit_meeting(request.user, meeting):
        raise Http404
    try:
        result = services.invite_organisations(
            user=request.user, meeting=meeting, organisations=[invited.organisation]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("meetings:meeting_invite", args=[meeting.pk]))
    if result.without_contacts:
        messages.error(request, _report_without_contacts(result))
    elif not result.new:
        messages.info(request, _("Everyone to invite is invited already."))
    _report(request, services.Invited(new=result.new))
    return redirect(reverse("meetings:meeting_invite", args=[meeting.pk]))


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
        # Nothing was saved: say why (no answer chosen, or a comment that looks like
        # personal data).
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("meetings:meeting_detail", args=[invitation.meeting_id]) + "#answer")
