"""Writes to meetings: series, meetings, agendas and invitations. Each checks who may do it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, F, Max, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meetings import notify, permissions
from meetings.models import (
    CADENCE_MONTHS,
    AgendaItem,
    Attendance,
    Cadence,
    Invitation,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    OrganisationInvitation,
    OrganisationInvitationState,
    Response,
    RsvpLink,
)
from portal.lib.versions import claim_fresh, claim_version
from stakeholders import merging
from stakeholders.models import MechanismRole, Organisation, Person, User

# What a substitute named through an RSVP link needs.
SUBSTITUTE_NEEDED = gettext_lazy("Choose a colleague, or give the name and email of a new one.")
NEW_COLLEAGUE_NEEDS = gettext_lazy(
    "Give the new colleague's name and email address, so that they receive the invitation."
)
# Far more items than any agenda has; positions are moved above it while renumbering.
MAX_AGENDA_ITEMS = 200
# Changes invitees must hear of: their calendar entry moves.
CALENDAR_FIELDS = frozenset(
    {"starts_at", "ends_at", "time_zone", "venue", "online_url", "modality"}
)
AGENDA_FIELDS = frozenset(
    {
        "title",
        "title_ru",
        "title_uz",
        "description",
        "description_ru",
        "description_uz",
        "kind",
        "duration_minutes",
        "presenter_organisation",
        "presenter_person",
    }
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _apply(obj: models.Model, data: dict[str, Any], allowed: frozenset[str]) -> list[str]:
    """Set the changed values of `data` on `obj`; refuse fields outside `allowed`."""
    # An unset relation of a new record reads as None.
    changed = [name for name, value in data.items() if getattr(obj, name, None) != value]
    if not set(changed) <= allowed:
        raise PermissionDenied
    for name in changed:
        setattr(obj, name, data[name])
    return changed


# Series


@transaction.atomic
def series_create(*, user: User, data: dict[str, Any]) -> MeetingSeries:
    """Start a series of meetings."""
    _require(permissions.can_manage_meetings(user))
    standing = data.pop("standing_invitees", [])
    series = MeetingSeries()
    _apply(series, data, permissions.SERIES_FIELDS)
    series.full_clean()
    series.save()
    series.standing_invitees.set(standing)
    return series


@transaction.atomic
def series_update(
    *, user: User, series: MeetingSeries, data: dict[str, Any], version: int
) -> list[str]:
    """Change a series; return the changed fields (none: nothing saved)."""
    _require(permissions.can_manage_meetings(user))
    standing = data.pop("standing_invitees", None)
    changed = _apply(series, data, permissions.SERIES_FIELDS)
    standing_changed = standing is not None and {o.pk for o in standing} != set(
        series.standing_invitees.values_list("pk", flat=True)
    )
    if standing_changed:
        changed.append("standing_invitees")
    if changed:
        claim_version(series, version)
        series.full_clean()
        series.save()
        if standing_changed:
            series.standing_invitees.set(standing or [])
    return changed


@transaction.atomic
def series_set_standing(
    *, user: User, series: MeetingSeries, organisation: Organisation, standing: bool
) -> None:
    """Make an organisation a standing invitee of the series (invited to each new meeting),
    or no longer."""
    _require(permissions.can_manage_meetings(user))
    if standing:
        if not organisation.is_active or organisation.merged_into_id is not None:
            raise ValidationError(_("Only an active organisation can be a standing invitee."))
        series.standing_invitees.add(organisation)
    else:
        series.standing_invitees.remove(organisation)


# Meetings


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


def _copy_agenda(previous: Meeting, meeting: Meeting) -> None:
    copied = [
        AgendaItem(
            meeting=meeting,
            **{
                name: getattr(item, name)
                for name in ("position", *(f.attname for f in _agenda_fields()))
            },
        )
        for item in previous.agenda_items.order_by("position")
    ]
    AgendaItem.objects.bulk_create(copied)


def _agenda_fields() -> list[Any]:
    return [AgendaItem._meta.get_field(name) for name in sorted(AGENDA_FIELDS)]


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
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting stays cancelled."))
    if status == MeetingStatus.HELD and not meeting.has_started:
        raise ValidationError(_("A meeting can be marked held only once it has started."))
    if status not in MeetingStatus.values:
        raise ValidationError(_("Unknown status."))
    was = meeting.status
    meeting.status = status
    if status == MeetingStatus.CANCELLED:
        meeting.cancelled_at = timezone.now()
    if status != MeetingStatus.HELD:
        meeting.calendar_sequence += 1
    _save_meeting(meeting)
    if status == MeetingStatus.CANCELLED:
        notice, invitations = notify.Notice.CANCELLED, notify.invitees_to_cancel(meeting)
    elif status == MeetingStatus.POSTPONED:
        notice, invitations = notify.Notice.POSTPONED, notify.invitees_to_update(meeting)
    elif status == MeetingStatus.PLANNED and was == MeetingStatus.POSTPONED:
        notice, invitations = notify.Notice.UPDATE, notify.invitees_to_update(meeting)
    else:
        return
    notify.send(notice, meeting, invitations, actor=user)


# Agenda


def _lock_meeting(meeting: Meeting) -> None:
    """Hold the meeting's row, so that agenda changes happen one after another."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()


def _check_presenter(item: AgendaItem) -> None:
    if item.presenter_person_id is not None and item.presenter_organisation_id is None:
        item.presenter_organisation_id = item.presenter_person.organisation_id  # type: ignore[union-attr]


@transaction.atomic
def agenda_item_create(*, user: User, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    """Add an item at the end of the agenda."""
    _require(permissions.can_edit_meeting(user, meeting))
    _lock_meeting(meeting)
    count = meeting.agenda_items.count()
    if count >= MAX_AGENDA_ITEMS:
        raise ValidationError(
            _("An agenda holds at most %(count)d items.") % {"count": MAX_AGENDA_ITEMS}
        )
    item = AgendaItem(meeting=meeting, position=count + 1)
    _apply(item, data, AGENDA_FIELDS)
    _check_presenter(item)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_update(
    *, user: User, item: AgendaItem, data: dict[str, Any], version: int
) -> list[str]:
    """Change an agenda item; return the changed fields (none: nothing saved)."""
    _require(permissions.can_edit_meeting(user, item.meeting))
    changed = _apply(item, data, AGENDA_FIELDS)
    if changed:
        claim_version(item, version)
        _check_presenter(item)
        item.full_clean()
        item.save()
    return changed


def _renumber(meeting: Meeting, order: list[int]) -> None:
    """Give the items of `order` (ids) positions 1..n in that order. Positions first move
    above any in use, so that no two items share one at any moment."""
    items = AgendaItem.objects.filter(meeting=meeting)
    items.update(position=F("position") + MAX_AGENDA_ITEMS)
    if order:
        items.filter(pk__in=order).update(
            position=Case(
                *(When(pk=pk, then=Value(index)) for index, pk in enumerate(order, start=1)),
                output_field=models.PositiveSmallIntegerField(),
            )
        )


def _agenda_order(meeting: Meeting) -> list[int]:
    return list(meeting.agenda_items.order_by("position", "pk").values_list("pk", flat=True))


@transaction.atomic
def agenda_item_delete(*, user: User, item: AgendaItem) -> None:
    """Remove an item; the ones after it move up."""
    meeting = item.meeting
    _require(permissions.can_edit_meeting(user, meeting))
    _lock_meeting(meeting)
    item.delete()
    _renumber(meeting, _agenda_order(meeting))


@transaction.atomic
def agenda_item_move(*, user: User, item: AgendaItem, up: bool) -> None:
    """Swap an item with the one before (up) or after it; at either end nothing moves."""
    meeting = item.meeting
    _require(permissions.can_edit_meeting(user, meeting))
    _lock_meeting(meeting)
    order = _agenda_order(meeting)
    if item.pk not in order:
        return
    index = order.index(item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(order):
        return
    order[index], order[other] = order[other], order[index]
    _renumber(meeting, order)


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


def _require_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled: nobody can be invited to it."))


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
    """Withdraw an invitation; its RSVP links stop working with it."""
    _require(permissions.can_manage_meetings(user))
    _require_open(invitation.meeting)
    invitation.delete()


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


def answers_open(meeting: Meeting, now: datetime | None = None) -> bool:
    """Answers change until the start, and never for a cancelled meeting."""
    return not meeting.is_cancelled and (now or timezone.now()) < meeting.starts_at


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
    revoked link, a withdrawn invitation (its links went with it), or a person whose
    details were removed."""
    link = RsvpLink.objects.find(token)
    if link is None or not link.is_live:
        return None
    invitation = (
        Invitation.objects.select_related("meeting__series__convener", "person", "organisation")
        .filter(pk=link.invitation_id)
        .first()
    )
    if invitation is None or invitation.person.anonymised_at is not None:
        return None
    return link, invitation


def substitute_candidates(invitation: Invitation) -> list[Person]:
    """Colleagues who may attend in the invitee's place: active people of the invited
    organisation who are not invited yet."""
    if invitation.organisation_id is None:
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
    if invitation.organisation_id is None:
        raise ValidationError(_("Only an invitation made for an organisation can be passed on."))
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


# Attendance


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


# Merging organisations


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


def register_merge_handler() -> None:
    merging.register(
        _move_meeting_references,
        covers=[
            (MeetingSeries, "convener"),
            (MeetingSeries, "standing_invitees"),
            (AgendaItem, "presenter_organisation"),
            (Invitation, "organisation"),
            (OrganisationInvitation, "organisation"),
        ],
    )
