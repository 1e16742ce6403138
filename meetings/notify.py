"""The emails a meeting sends its invitees: invitation, change, postponement, cancellation,
and its minutes circulated for comment.

Each is queued in the outbox in the transaction of its cause, one per invitee in their
language, with the meeting's times in its own zone, a calendar entry, and a personal
link that records an answer without logging in.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from meetings.audit import Action
from meetings.calendar import Method, ics_attachment
from meetings.models import Invitation, Meeting, Minutes, Response, RsvpLink
from portal.lib.audit import audit
from portal.lib.email import queue_email
from portal.lib.sensitivity import Label, tlp_code
from stakeholders.models import Person, User


class Notice(StrEnum):
    INVITATION = "meeting_invitation"
    UPDATE = "meeting_update"
    POSTPONED = "meeting_postponed"
    CANCELLED = "meeting_cancelled"
    WITHDRAWN = "meeting_invitation_withdrawn"


MINUTES_CIRCULATED = "meeting_minutes_circulated"

METHODS = {
    Notice.INVITATION: Method.REQUEST,
    Notice.UPDATE: Method.REQUEST,
    Notice.POSTPONED: Method.REQUEST,
    Notice.CANCELLED: Method.CANCEL,
    Notice.WITHDRAWN: Method.CANCEL,
}
AUDITED = {
    Notice.INVITATION: Action.INVITATIONS_SENT,
    Notice.UPDATE: Action.MEETING_UPDATE_SENT,
    Notice.POSTPONED: Action.MEETING_UPDATE_SENT,
    Notice.CANCELLED: Action.MEETING_CANCELLED,
    Notice.WITHDRAWN: Action.INVITATION_WITHDRAWN,
}


def rsvp_url(token: str) -> str:
    return f"{settings.PORTAL_URL}{reverse('meetings:rsvp', args=[token])}"


def _reachable(invitation: Invitation) -> bool:
    person = invitation.person
    return bool(person.email) and person.is_active and person.anonymised_at is None


def send(
    notice: Notice,
    meeting: Meeting,
    invitations: Iterable[Invitation],
    *,
    actor: User | None,
    changes: list[Any] | None = None,
) -> int:
    """Queue `notice` to each invitation's person who can be reached; return how many.
    Every email carries a new RSVP link of its own; the earlier ones keep working."""
    sent = 0
    agenda = list(meeting.agenda_items.order_by("position"))
    for invitation in invitations:
        if not _reachable(invitation):
            continue
        person = invitation.person
        answerable = notice != Notice.WITHDRAWN
        token = RsvpLink.objects.issue(invitation=invitation)[1] if answerable else ""
        context: dict[str, Any] = {
            "person": person,
            "meeting": meeting,
            "invitation": invitation,
            "rsvp_url": rsvp_url(token) if answerable else "",
            "meeting_url": settings.PORTAL_URL + meeting.get_absolute_url(),
            "agenda": agenda,
            "changes": changes or [],
        }
        with translation.override(person.preferred_language):
            attachment = ics_attachment(meeting, method=METHODS[notice], invitee=person)
        queue_email(
            kind=str(notice),
            to=person.email,
            language=person.preferred_language,
            template=str(notice),
            context=context,
            attachments=[attachment],
        )
        sent += 1
    if sent or notice == Notice.CANCELLED:
        audit(
            action=AUDITED[notice],
            actor=actor,
            target=meeting,
            details={"recipients": sent},
        )
    return sent


def invitees_to_update(meeting: Meeting) -> Iterable[Invitation]:
    """Those a change reaches: everyone invited but those who declined."""
    return meeting.invitations.exclude(response=Response.DECLINED).select_related("person")


def invitees_to_cancel(meeting: Meeting) -> Iterable[Invitation]:
    """A cancellation reaches everyone invited, those who declined included."""
    return meeting.invitations.select_related("person")


def minutes_readers(minutes: Minutes) -> list[Person]:
    """The invitees circulated minutes reach: each invited person who can be reached and
    whom the label lets read them (red: the named people only), once each."""
    invitations = minutes.meeting.invitations.select_related("person").order_by("person_id")
    named = {p.pk for p in minutes.named_people.all()} if minutes.label == Label.RED else None
    readers: dict[int, Person] = {}
    for invitation in invitations:
        if _reachable(invitation) and (named is None or invitation.person_id in named):
            readers.setdefault(invitation.person_id, invitation.person)
    return list(readers.values())


def send_minutes(minutes: Minutes) -> int:
    """Queue the circulation of `minutes` to each of their readers, in their language; the
    email links to the minutes and never quotes them."""
    meeting = minutes.meeting
    readers = minutes_readers(minutes)
    for person in readers:
        queue_email(
            kind=MINUTES_CIRCULATED,
            to=person.email,
            language=person.preferred_language,
            template=MINUTES_CIRCULATED,
            context={
                "person": person,
                "meeting": meeting,
                # Lazy: rendered in the reader's language.
                "label_words": Label(minutes.label).label,
                "label_code": tlp_code(minutes.label),
                "minutes_url": settings.PORTAL_URL + minutes.get_absolute_url(),
            },
        )
    return len(readers)
