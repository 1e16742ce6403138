"""Answering an invitation through the personal link of its email, without logging in."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetings import selectors, services
from meetings.forms import (
    RsvpAnswerForm,
    SubstituteForm,
)
from portal.lib.views import (
    save_form,
)


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
