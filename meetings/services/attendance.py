"""Attendance, recorded from the start of a meeting."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetings import permissions
from meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    Response,
)
from meetings.services._base import _require
from stakeholders.models import Organisation, Person, User


def _require_attendance(user: User, meeting: Meeting) -> None:
    _require(permissions.can_manage_meetings(user))
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled: there is no attendance to record."))
    if not meeting.has_started:
        raise ValidationError(_("Attendance is recorded from the start of the meeting."))


@transaction.atomic
def attendance_record(*, user: User, meeting: Meeting, marks: dict[int, str]) -> int:
    """Record attendance per invitation (id: attended, absent, excused or "" for not
    recorded); return how many invitations changed."""
    _require_attendance(user, meeting)
    if not set(marks.values()) <= set(Attendance.values):
        raise ValidationError(_("Unknown attendance."))
    changed = 0
    for value in set(marks.values()):
        ids = [pk for pk, mark in marks.items() if mark == value]
        changed += (
            meeting.invitations.filter(pk__in=ids)
            .exclude(attendance=value)
            .update(attendance=value)
        )
    return changed


@transaction.atomic
def attendance_record_organisation(
    *, user: User, meeting: Meeting, organisation: Organisation | None, value: str
) -> int:
    """Record the same attendance for everyone invited for an organisation."""
    _require_attendance(user, meeting)
    if value not in Attendance.values:
        raise ValidationError(_("Unknown attendance."))
    invitations = meeting.invitations.filter(organisation=organisation, is_walk_in=False)
    return invitations.exclude(attendance=value).update(attendance=value)


@transaction.atomic
def walk_in_add(*, user: User, meeting: Meeting, person: Person) -> Invitation:
    """Record someone who came without an invitation (an invitee is marked attended)."""
    _require_attendance(user, meeting)
    invitation = meeting.invitations.filter(person=person).first()
    if invitation is not None:
        invitation.attendance = Attendance.ATTENDED
        invitation.save(update_fields=["attendance"])
        return invitation
    if not person.is_active or person.anonymised_at is not None:
        raise ValidationError(_("Only an active person of the directory can be recorded."))
    return Invitation.objects.create(
        meeting=meeting,
        person=person,
        organisation_id=person.organisation_id,
        response=Response.ACCEPTED,
        attendance=Attendance.ATTENDED,
        is_walk_in=True,
        invited_by=user,
    )
