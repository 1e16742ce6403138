"""Answers to invitations: on the meeting page or through a personal link, substitutes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import permissions
from meetings.models import (
    Invitation,
    Response,
    RsvpLink,
)
from meetings.services._base import _require, answers_open
from meetings.services.invitations import _create_invitations
from stakeholders.models import Person, User

# What a substitute named through an RSVP link needs.
SUBSTITUTE_NEEDED = gettext_lazy("Choose a colleague, or give the name and email of a new one.")
NEW_COLLEAGUE_NEEDS = gettext_lazy(
    "Give the new colleague's name and email address, so that they receive the invitation."
)


@transaction.atomic
def invitation_answer(
    *, user: User | None, invitation: Invitation, response: str, comment: str = ""
) -> Invitation:
    """Record an invitee's answer: through their RSVP link (`user` None) or on the meeting
    page by the invitee, their focal point or the secretariat."""
    if user is not None:
        _require(permissions.can_answer_for(user, invitation))
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    )
    if not answers_open(invitation.meeting):
        raise ValidationError(_("Answers to this invitation are closed."))
    if response not in Response.values or response == Response.PENDING:
        raise ValidationError(_("Choose an answer."))
    invitation.response = response
    invitation.comment = comment.strip()
    invitation.responded_at = timezone.now()
    invitation.full_clean()
    invitation.save()
    return invitation


def rsvp_open(token: str) -> tuple[RsvpLink, Invitation] | None:
    """The live link a token is, with the invitation it opens; None for an unknown or
    revoked link, a withdrawn invitation (its links went with it), or a person who is no
    longer active or whose details were removed."""
    link = RsvpLink.objects.find(token)
    if link is None or not link.is_live:
        return None
    invitation = (
        Invitation.objects.select_related("meeting__series__convener", "person", "organisation")
        .filter(pk=link.invitation_id)
        .first()
    )
    if invitation is None or not invitation.person.is_active:
        return None
    if invitation.person.anonymised_at is not None:
        return None
    return link, invitation


def substitute_candidates(invitation: Invitation) -> list[Person]:
    """Colleagues who may attend in the invitee's place: active people of the invited
    organisation who are not invited yet."""
    # Only someone still of the invited organisation passes the invitation on within it.
    if invitation.organisation_id is None:
        return []
    if invitation.person.organisation_id != invitation.organisation_id:
        return []
    invited = invitation.meeting.invitations.values("person_id")
    return list(
        Person.objects.filter(
            organisation_id=invitation.organisation_id, is_active=True, anonymised_at=None
        )
        .exclude(pk__in=invited)
        .order_by("full_name", "pk")[:200]
    )


@transaction.atomic
def invitation_substitute(
    *,
    invitation: Invitation,
    colleague: Person | None = None,
    new_person: dict[str, Any] | None = None,
    comment: str = "",
) -> Invitation:
    """Send someone in the invitee's place: a colleague of the invited organisation, or a
    new person of it (added to the directory, flagged as added by RSVP). The substitute
    gets an invitation of their own; the invitee counts as not attending."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting", "person")
        .get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    if not answers_open(meeting):
        raise ValidationError(_("Answers to this invitation are closed."))
    if invitation.organisation_id is None or (
        invitation.person.organisation_id != invitation.organisation_id
    ):
        raise ValidationError(_("Only an invitation made for an organisation can be passed on."))
    if new_person and invitation.substitute_for_id is not None:
        # A substitute may pass on to a colleague already in the directory, never add
        # people: links would otherwise add people without end.
        raise ValidationError(
            _(
                "As a substitute, choose a colleague from the list; to add someone new to "
                "the directory, write to the secretariat."
            )
        )
    named = invitation.substitutes.select_related("person").first()
    if named is not None:
        raise ValidationError(
            _(
                "%(name)s is already invited in your place; to change that, write to the "
                "secretariat."
            )
            % {"name": named.person.full_name}
        )
    added = False
    if colleague is not None:
        if colleague.pk not in {p.pk for p in substitute_candidates(invitation)}:
            raise ValidationError(
                {"colleague": _("Choose a colleague of your organisation who is not invited yet.")}
            )
        substitute = colleague
    elif new_person:
        if not new_person.get("full_name") or not new_person.get("email"):
            raise ValidationError(NEW_COLLEAGUE_NEEDS)
        substitute = Person(
            full_name=new_person.get("full_name", ""),
            email=new_person.get("email", ""),
            position=new_person.get("position", ""),
            organisation_id=invitation.organisation_id,
            preferred_language=invitation.person.preferred_language,
        )
        try:
            substitute.full_clean()
        except ValidationError as error:
            if "email" in getattr(error, "error_dict", {}) or "__all__" in getattr(
                error, "error_dict", {}
            ):
                raise ValidationError(
                    {
                        "email": _(
                            "This email address cannot be used here: choose your colleague "
                            "from the list, or ask the secretariat."
                        )
                    }
                ) from error
            raise
        substitute.save()
        added = True
    else:
        raise ValidationError(SUBSTITUTE_NEEDED)
    created = _create_invitations(
        meeting, [substitute], invited_by=None, substitute_for=invitation
    ).new
    if not created:
        raise ValidationError({"colleague": _("This colleague is invited already.")})
    if added:
        Invitation.objects.filter(pk=created[0].pk).update(person_added_by_rsvp=True)
    invitation.response = Response.DECLINED
    invitation.responded_at = timezone.now()
    invitation.comment = comment.strip() or _("%(name)s attends in my place.") % {
        "name": substitute.full_name
    }
    invitation.save()
    return created[0]
