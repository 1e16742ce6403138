"""Merging organisations: the meetings move their references to the organisation kept."""

from __future__ import annotations

from meetings.models import (
    ActionItem,
    AgendaItem,
    Document,
    Invitation,
    MeetingSeries,
    OrganisationInvitation,
    Statement,
)
from stakeholders import merging


def _move_meeting_references(merge: merging.Merge) -> None:
    duplicate, keep = merge.duplicate, merge.keep
    MeetingSeries.objects.filter(convener=duplicate).update(convener=keep)
    for series in MeetingSeries.objects.filter(standing_invitees=duplicate):
        series.standing_invitees.remove(duplicate)
        series.standing_invitees.add(keep)
    AgendaItem.objects.filter(presenter_organisation=duplicate).update(presenter_organisation=keep)
    Invitation.objects.filter(organisation=duplicate).update(organisation=keep)
    # A meeting that invited both keeps the invitation of the organisation kept.
    both = OrganisationInvitation.objects.filter(organisation=keep).values("meeting_id")
    OrganisationInvitation.objects.filter(organisation=duplicate, meeting_id__in=both).delete()
    OrganisationInvitation.objects.filter(organisation=duplicate).update(organisation=keep)
    ActionItem.objects.filter(owner_organisation=duplicate).update(owner_organisation=keep)
    Statement.objects.filter(organisation=duplicate).update(organisation=keep)
    Document.objects.filter(organisation=duplicate).update(organisation=keep)


def register_merge_handler() -> None:
    merging.register(
        _move_meeting_references,
        covers=[
            (MeetingSeries, "convener"),
            (MeetingSeries, "standing_invitees"),
            (AgendaItem, "presenter_organisation"),
            (Invitation, "organisation"),
            (OrganisationInvitation, "organisation"),
            (ActionItem, "owner_organisation"),
            (Statement, "organisation"),
            (Document, "organisation"),
        ],
    )
