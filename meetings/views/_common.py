"""The records a page is about, each read through visible_to: 404 when out of scope."""

from django.http import Http404

from meetings import permissions, selectors
from meetings.models import (
    AgendaItem,
    Document,
    Invitation,
    Meeting,
    MeetingSeries,
    OrganisationInvitation,
)
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.models import User

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


def changeable_documents(
    user: User, agenda: list[selectors.AgendaRow], *more: Document
) -> set[int]:
    """The ids of the listed documents the user may edit or delete, for the page's buttons."""
    listed = [*more, *(document for row in agenda for document in row.documents)]
    return {document.pk for document in listed if permissions.can_change_document(user, document)}


def _delegations(
    user: User, groups: list[selectors.InvitedOrganisation]
) -> list[OrganisationInvitation]:
    """The invited organisations of a meeting whose delegates the user names."""
    return [
        group.invited
        for group in groups
        if group.invited is not None and permissions.can_name_delegates(user, group.invited)
    ]
