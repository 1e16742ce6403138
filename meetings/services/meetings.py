"""Writes to meetings: planning, changing (invitees hear of it), status."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import notify, permissions
from meetings.models import (
    CADENCE_MONTHS,
    Cadence,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    OrganisationInvitation,
)
from meetings.services._base import _apply, _require
from meetings.services.agenda import _copy_agenda
from meetings.services.invitations import invite_organisations, invite_people
from portal.lib.versions import claim_fresh, claim_version
from stakeholders.models import Organisation, Person, User

# Changes invitees must hear of: their calendar entry moves.
CALENDAR_FIELDS = frozenset(
    {"starts_at", "ends_at", "time_zone", "venue", "online_url", "modality"}
)


def next_number(series: MeetingSeries) -> int:
    """The number the series' next meeting takes: one after its highest."""
    highest = series.meetings.aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


def proposed_from_previous(previous: Meeting) -> dict[str, Any]:
    """What a meeting following `previous` starts from: its venue, modality, zone, duration
    and chair, the series' next number, one cadence later (a week later for ad hoc series)."""
    months = CADENCE_MONTHS[Cadence(previous.series.cadence)]
    step = relativedelta(months=months) if months else relativedelta(weeks=1)
    # Local times move, so that 10:00 stays 10:00 across a change of daylight saving.
    starts = (previous.local_start + step).replace(tzinfo=None)
    return {
        "series": previous.series,
        "number": next_number(previous.series),
        "title": previous.title,
        "title_ru": previous.title_ru,
        "title_uz": previous.title_uz,
        "starts_at": timezone.make_aware(starts, previous.zone),
        "ends_at": timezone.make_aware(starts, previous.zone) + previous.duration,
        "time_zone": previous.time_zone,
        "modality": previous.modality,
        "venue": previous.venue,
        "online_url": previous.online_url,
        "chair": previous.chair,
    }


def _save_meeting(meeting: Meeting) -> None:
    meeting.full_clean()
    meeting.save()


@transaction.atomic
def meeting_create(
    *, user: User, series: MeetingSeries, data: dict[str, Any], previous: Meeting | None = None
) -> Meeting:
    """Plan a meeting of `series`. The series' standing invitees are invited; a meeting
    following `previous` also takes its invitees (without their answers) and its agenda."""
    _require(permissions.can_manage_meetings(user))
    meeting = Meeting(series=series)
    _apply(meeting, data, permissions.MEETING_FIELDS)
    _save_meeting(meeting)
    if previous is not None:
        _require(previous.series_id == series.pk)
        _copy_agenda(previous, meeting)
        invitees = Person.objects.filter(
            pk__in=previous.invitations.filter(substitute_for=None, is_walk_in=False).values(
                "person_id"
            ),
            is_active=True,
            anonymised_at=None,
        )
        invite_people(user=user, meeting=meeting, people=invitees)
        organisations = Organisation.objects.filter(
            pk__in=previous.organisation_invitations.values("organisation_id"),
            is_active=True,
        )
        # Listed again even while without contacts, as they were on the previous meeting.
        OrganisationInvitation.objects.bulk_create(
            OrganisationInvitation(meeting=meeting, organisation=o, invited_by=user)
            for o in organisations
        )
        invite_organisations(user=user, meeting=meeting, organisations=organisations)
    standing = series.standing_invitees.filter(is_active=True)
    invite_organisations(user=user, meeting=meeting, organisations=standing)
    return meeting


@transaction.atomic
def meeting_update(
    *, user: User, meeting: Meeting, data: dict[str, Any], version: int
) -> list[str]:
    """Change a meeting; return the changed fields (none: nothing saved). A change invitees
    must hear of (times, place, link) moves their calendar entry."""
    _require(permissions.can_edit_meeting(user, meeting))
    changed = _apply(meeting, data, permissions.MEETING_FIELDS)
    if not changed:
        return []
    claim_version(meeting, version)
    moved = [name for name in changed if name in CALENDAR_FIELDS]
    if moved:
        meeting.calendar_sequence += 1
    _save_meeting(meeting)
    if moved and meeting.status in (MeetingStatus.PLANNED, MeetingStatus.POSTPONED):
        notify.send(
            notify.Notice.UPDATE,
            meeting,
            notify.invitees_to_update(meeting),
            actor=user,
            changes=[_field_label(name) for name in moved],
        )
    return changed


def _field_label(name: str) -> Any:
    field = Meeting._meta.get_field(name)
    return getattr(field, "verbose_name", name)


@transaction.atomic
def meeting_set_status(*, user: User, meeting: Meeting, status: str) -> None:
    """Mark a meeting held (only once it has started), postponed, planned again or
    cancelled (for good)."""
    _require(permissions.can_manage_meetings(user))
    claim_fresh(meeting)
    if meeting.status == status:
        return
    if status not in MeetingStatus.values:
        raise ValidationError(_("Unknown status."))
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting stays cancelled."))
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("A held meeting stays held."))
    started = meeting.has_started
    if status == MeetingStatus.HELD and not started:
        raise ValidationError(_("A meeting can be marked held only once it has started."))
    if status in (MeetingStatus.POSTPONED, MeetingStatus.PLANNED) and started:
        raise ValidationError(
            _("The meeting has started: it can only be marked held, or cancelled.")
        )
    was = meeting.status
    meeting.status = status
    if status == MeetingStatus.CANCELLED:
        meeting.cancelled_at = timezone.now()
    if status != MeetingStatus.HELD:
        meeting.calendar_sequence += 1
    _save_meeting(meeting)
    if status == MeetingStatus.CANCELLED and started:
        # Recorded after the start: the invitees' calendars are past it.
        return
    if status == MeetingStatus.CANCELLED:
        notice, invitations = notify.Notice.CANCELLED, notify.invitees_to_cancel(meeting)
    elif status == MeetingStatus.POSTPONED:
        notice, invitations = notify.Notice.POSTPONED, notify.invitees_to_update(meeting)
    elif status == MeetingStatus.PLANNED and was == MeetingStatus.POSTPONED:
        notice, invitations = notify.Notice.UPDATE, notify.invitees_to_update(meeting)
    else:
        return
    notify.send(notice, meeting, invitations, actor=user)
