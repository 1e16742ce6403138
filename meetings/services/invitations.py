"""Invitations: people and organisations invited, withdrawn; delegates named or declined."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings import notify, permissions
from meetings.models import (
    Invitation,
    Meeting,
    OrganisationInvitation,
    OrganisationInvitationState,
)
from meetings.services._base import _lock_meeting, _require, _require_open, answers_open
from stakeholders.models import MechanismRole, Organisation, Person, User


@dataclass
class Invited:
    """What an invitation round did: who was invited now, who already was, and the
    organisations that have nobody to invite."""

    new: list[Invitation] = field(default_factory=list)
    already: list[Person] = field(default_factory=list)
    without_contacts: list[Organisation] = field(default_factory=list)


def _contacts(organisation_ids: Iterable[int]) -> dict[int, list[Person]]:
    """The active focal points and alternates of each organisation."""
    contacts: dict[int, list[Person]] = {}
    people = Person.objects.filter(
        organisation_id__in=list(organisation_ids),
        is_active=True,
        anonymised_at=None,
        mechanism_role__in=[MechanismRole.FOCAL_POINT, MechanismRole.ALTERNATE],
    ).order_by("mechanism_role", "full_name")
    for person in people:
        assert person.organisation_id is not None  # noqa: S101  # filtered on it
        contacts.setdefault(person.organisation_id, []).append(person)
    return contacts


def _create_invitations(
    meeting: Meeting,
    people: Iterable[Person],
    *,
    invited_by: User | None,
    substitute_for: Invitation | None = None,
) -> Invited:
    """Invite people who are not yet invited, and send each new invitee the invitation."""
    _require_open(meeting)
    _lock_meeting(meeting)
    wanted = {person.pk: person for person in people if person.is_active}
    already = set(
        meeting.invitations.filter(person_id__in=list(wanted)).values_list("person_id", flat=True)
    )
    result = Invited(already=[wanted[pk] for pk in already])
    for pk, person in wanted.items():
        if pk in already:
            continue
        result.new.append(
            Invitation.objects.create(
                meeting=meeting,
                person=person,
                organisation_id=person.organisation_id,
                invited_by=invited_by,
                substitute_for=substitute_for,
            )
        )
    if not meeting.has_started:
        # Once it has started, an invitation is a record only: its answers are closed.
        notify.send(notify.Notice.INVITATION, meeting, result.new, actor=invited_by)
    return result


@transaction.atomic
def invite_people(*, user: User, meeting: Meeting, people: Iterable[Person]) -> Invited:
    """Invite people and send them the invitation; those already invited are left as they
    are."""
    _require(permissions.can_manage_meetings(user))
    return _create_invitations(meeting, people, invited_by=user)


@transaction.atomic
def invite_organisations(
    *, user: User, meeting: Meeting, organisations: Iterable[Organisation]
) -> Invited:
    """Invite organisations through their focal points and alternates (not plain members).
    Each stays listed as invited, so that contacts named later are invited in one step; one
    with neither a focal point nor an alternate is refused, by name."""
    _require(permissions.can_manage_meetings(user))
    _require_open(meeting)
    organisations = [o for o in organisations if o.is_active and o.merged_into_id is None]
    contacts = _contacts(o.pk for o in organisations)
    result = Invited()
    people: list[Person] = []
    for organisation in organisations:
        if organisation.pk not in contacts:
            result.without_contacts.append(organisation)
            continue
        OrganisationInvitation.objects.get_or_create(
            meeting=meeting, organisation=organisation, defaults={"invited_by": user}
        )
        people.extend(contacts[organisation.pk])
    invited = invite_people(user=user, meeting=meeting, people=people)
    result.new, result.already = invited.new, invited.already
    return result


@transaction.atomic
def invitation_remove(*, user: User, invitation: Invitation) -> None:
    """Withdraw an invitation; its RSVP links stop working with it. An invitee who was sent
    the invitation is told, and their calendar entry removed, while the meeting is ahead."""
    _require(permissions.can_manage_meetings(user))
    meeting = invitation.meeting
    _require_open(meeting)
    # Read again under a lock: of two clicks on Withdraw, the second finds nothing to do.
    current = (
        Invitation.objects.select_for_update()
        .select_related("person")
        .filter(pk=invitation.pk)
        .first()
    )
    if current is None:
        return
    if not current.is_walk_in and not meeting.has_started:
        notify.send(notify.Notice.WITHDRAWN, meeting, [current], actor=user)
    current.delete()


@transaction.atomic
def organisation_invitation_remove(*, user: User, invited: OrganisationInvitation) -> None:
    """Stop inviting an organisation as such; its people's invitations stay."""
    _require(permissions.can_manage_meetings(user))
    invited.delete()


def _lock_invited(invited: OrganisationInvitation) -> OrganisationInvitation:
    """The invited organisation, held until the transaction ends, with its meeting; refused
    once answers are closed."""
    invited = (
        OrganisationInvitation.objects.select_for_update()
        .select_related("meeting", "organisation")
        .get(pk=invited.pk)
    )
    if not answers_open(invited.meeting):
        raise ValidationError(
            _("The meeting has started or is cancelled: its invited organisations are settled.")
        )
    return invited


@transaction.atomic
def delegates_name(
    *, user: User, invited: OrganisationInvitation, people: Iterable[Person]
) -> Invited:
    """Name an invited organisation's delegates (its focal point or the secretariat does):
    each not yet invited is invited and emailed the invitation, and the organisation counts
    as having named its delegates. Only its own active people can be named."""
    _require(permissions.can_name_delegates(user, invited))
    invited = _lock_invited(invited)
    people = list(people)
    if not people:
        raise ValidationError({"people": _("Choose at least one delegate.")})
    strangers = [
        person
        for person in people
        if person.organisation_id != invited.organisation_id
        or not person.is_active
        or person.anonymised_at is not None
    ]
    if strangers:
        raise ValidationError(
            {
                "people": ngettext(
                    "Only active people of %(organisation)s can be its delegates, and "
                    "%(names)s is not one.",
                    "Only active people of %(organisation)s can be its delegates, and "
                    "%(names)s are not.",
                    len(strangers),
                )
                % {
                    "organisation": invited.organisation.local_name,
                    "names": ", ".join(person.full_name for person in strangers),
                }
            }
        )
    result = _create_invitations(invited.meeting, people, invited_by=user)
    invited.state = OrganisationInvitationState.DELEGATES_NAMED
    invited.save(update_fields=["state"])
    return result


@transaction.atomic
def organisation_decline(*, user: User, invited: OrganisationInvitation) -> None:
    """Record that an invited organisation will not take part (its focal point or the
    secretariat says so); naming delegates later undoes it."""
    _require(permissions.can_name_delegates(user, invited))
    invited = _lock_invited(invited)
    invited.state = OrganisationInvitationState.DECLINED
    invited.save(update_fields=["state"])
