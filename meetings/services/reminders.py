"""Reminders and follow-ups: one sweep finds in the database what has fallen due, records
one delivery per occurrence and queues its email, in one transaction.

There are no far-future tasks (a broker redelivers those after its visibility timeout):
what is due is computed from the meetings and action items as they are now, so a moved
meeting gets reminders for its new start only, and a cancelled, postponed or started one
gets none. A delivery's key is unique in the database, so an occurrence found by two
sweeps at once is recorded, and sent, once. After an outage only the latest due reminder
of a meeting goes to each person; the earlier ones are recorded as superseded.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation

from meetings.calendar import Method, ics_attachment
from meetings.models import (
    MAX_OFFSET_MINUTES,
    PENDING,
    ActionItem,
    Invitation,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    ReminderAudience,
    ReminderDelivery,
    ReminderKind,
    ReminderRule,
    Response,
    RsvpLink,
    SkipReason,
)
from portal.lib import email as outbox
from stakeholders.models import EmailChoice, MechanismRole, Person
from stakeholders.unsubscribe import unsubscribe_link

logger = logging.getLogger(__name__)

# What each kind of reminder is governed by on the person.
CHOICE = {
    ReminderKind.MEETING: "email_meeting_reminders",
    ReminderKind.RSVP_CHASE: "email_meeting_reminders",
    ReminderKind.ACTION_DUE: "email_action_item_reminders",
    ReminderKind.ACTION_OVERDUE: "email_action_item_reminders",
    ReminderKind.ACTION_ASSIGNED: "email_action_item_reminders",
    ReminderKind.WEEKLY_DIGEST: "email_weekly_digest",
    ReminderKind.UPDATES_CHASE: "email_meeting_reminders",
}
# Other apps' reminders (activities: calls for updates), each a function giving what has
# fallen due at a moment, registered when the app is ready.
_sources: list[Callable[[datetime], Iterable[Occurrence]]] = []


def register_source(source: Callable[[datetime], Iterable[Occurrence]]) -> None:
    if source not in _sources:
        _sources.append(source)


# The weekly digest falls due on Monday at this hour, in the portal's time zone.
DIGEST_HOUR = 8
# What the secretariat's digest lists, at most, of each kind.
DIGEST_ROWS = 10
# Keys are looked up this many at a time.
KEY_CHUNK = 1000


@dataclass(frozen=True)
class Occurrence:
    """A reminder that has fallen due for one person, or is recorded as skipped."""

    key: str
    kind: ReminderKind
    person: Person
    due_at: datetime
    meeting: Meeting | None = None
    invitation: Invitation | None = None
    action_item: ActionItem | None = None
    rule: ReminderRule | None = None
    for_start: datetime | None = None
    skip: str = ""
    # What a digest says, computed with the occurrence.
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass
class SweepResult:
    queued: int = 0
    skipped: int = 0


def default_rules(series: MeetingSeries) -> list[ReminderRule]:
    """The reminders a new series starts with (REMINDER_DEFAULT_DAYS before each meeting)."""
    return ReminderRule.objects.bulk_create(
        ReminderRule(series=series, offset_minutes=days * 24 * 60)
        for days in settings.REMINDER_DEFAULT_DAYS
    )


def skip_reason(person: Person, kind: ReminderKind) -> str:
    """Why a reminder of `kind` cannot or may not go to `person`; empty when it may."""
    if not person.is_active or person.anonymised_at is not None:
        return SkipReason.INACTIVE
    if not person.email:
        return SkipReason.NO_EMAIL
    if not getattr(person, CHOICE[kind]):
        return SkipReason.OPTED_OUT
    return ""


def _start_key(meeting: Meeting) -> str:
    return meeting.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _upcoming(now: datetime, within: timedelta) -> list[Meeting]:
    """Planned meetings that have not started and start within `within`."""
    return list(
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + within
        ).select_related("series__convener")
    )


def _invitations(meetings: Iterable[Meeting]) -> dict[int, list[Invitation]]:
    found: dict[int, list[Invitation]] = defaultdict(list)
    ids = [meeting.pk for meeting in meetings]
    if ids:
        for invitation in (
            Invitation.objects.filter(meeting_id__in=ids, is_walk_in=False)
            .select_related("person")
            .order_by("pk")
        ):
            found[invitation.meeting_id].append(invitation)
    return found


def _rules(meetings: list[Meeting]) -> dict[int, list[ReminderRule]]:
    """Each meeting's rules: its own when it has any, else its series'."""
    own: dict[int, list[ReminderRule]] = defaultdict(list)
    of_series: dict[int, list[ReminderRule]] = defaultdict(list)
    meeting_ids = [m.pk for m in meetings]
    series_ids = {m.series_id for m in meetings}
    for rule in ReminderRule.objects.filter(
        Q(meeting_id__in=meeting_ids) | Q(series_id__in=series_ids)
    ):
        if rule.meeting_id is not None:
            own[rule.meeting_id].append(rule)
        else:
            of_series[rule.series_id or 0].append(rule)
    return {m.pk: own.get(m.pk) or of_series.get(m.series_id, []) for m in meetings}


def _reaches(rule: ReminderRule, invitation: Invitation) -> bool:
    if rule.audience == ReminderAudience.NOT_ANSWERED:
        return invitation.response == Response.PENDING
    return invitation.response != Response.DECLINED


def meeting_reminders(now: datetime) -> Iterator[Occurrence]:
    """The meeting reminders due now: per meeting and person the latest due rule; the
    earlier due ones superseded. A rule that fell due before the person was invited is not
    theirs (the invitation itself told them)."""
    meetings = _upcoming(now, timedelta(minutes=MAX_OFFSET_MINUTES))
    rules = _rules(meetings)
    due_meetings = [
        m for m in meetings if any(m.starts_at - _offset(r) <= now for r in rules[m.pk])
    ]
    invitations = _invitations(due_meetings)
    for meeting in due_meetings:
        due = sorted(
            (r for r in rules[meeting.pk] if meeting.starts_at - _offset(r) <= now),
            key=lambda r: r.offset_minutes,
        )
        start = _start_key(meeting)
        for invitation in invitations[meeting.pk]:
            person = invitation.person
            theirs = [
                r
                for r in due
                if _reaches(r, invitation)
                and invitation.invited_at <= meeting.starts_at - _offset(r)
            ]
            for number, rule in enumerate(theirs):
                yield Occurrence(
                    key=f"rule:{rule.pk}:person:{person.pk}:start:{start}",
                    kind=ReminderKind.MEETING,
                    person=person,
                    due_at=meeting.starts_at - _offset(rule),
                    meeting=meeting,
                    invitation=invitation,
                    rule=rule,
                    for_start=meeting.starts_at,
                    skip=SkipReason.SUPERSEDED
                    if number
                    else skip_reason(person, ReminderKind.MEETING),
                )


def _offset(rule: ReminderRule) -> timedelta:
    return timedelta(minutes=rule.offset_minutes)


def rsvp_chases(now: datetime) -> Iterator[Occurrence]:
    """Requests for an answer, RSVP_CHASE_DAYS before the start, to invitees who have not
    answered and were invited before then."""
    before = timedelta(days=settings.RSVP_CHASE_DAYS)
    meetings = _upcoming(now, before)
    invitations = _invitations(meetings)
    for meeting in meetings:
        due_at = meeting.starts_at - before
        start = _start_key(meeting)
        for invitation in invitations[meeting.pk]:
            if invitation.response != Response.PENDING or invitation.invited_at > due_at:
                continue
            person = invitation.person
            yield Occurrence(
                key=f"chase:{meeting.pk}:person:{person.pk}:start:{start}",
                kind=ReminderKind.RSVP_CHASE,
                person=person,
                due_at=due_at,
                meeting=meeting,
                invitation=invitation,
                for_start=meeting.starts_at,
                skip=skip_reason(person, ReminderKind.RSVP_CHASE),
            )


def _owners(items: list[ActionItem]) -> dict[int, list[Person]]:
    """Who hears of each item: its owner person, else its organisation's focal points."""
    without_person = {item.owner_organisation_id for item in items if item.owner_person is None}
    focal_points: dict[int, list[Person]] = defaultdict(list)
    if without_person:
        for person in Person.objects.filter(
            organisation_id__in=without_person,
            mechanism_role=MechanismRole.FOCAL_POINT,
            is_active=True,
        ).order_by("pk"):
            focal_points[person.organisation_id or 0].append(person)
    return {
        item.pk: [item.owner_person]
        if item.owner_person is not None
        else focal_points.get(item.owner_organisation_id, [])
        for item in items
    }


def _local_morning(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())


def action_item_reminders(now: datetime) -> Iterator[Occurrence]:
    """An item still to be done, ACTION_ITEM_DUE_DAYS before its due date; and once late,
    once an ISO week."""
    today = timezone.localdate(now)
    soon = today + timedelta(days=settings.ACTION_ITEM_DUE_DAYS)
    # Late items already reminded this week are left out here, not after reading them all:
    # every sweep of the week would read them again.
    monday = _local_morning(today - timedelta(days=today.weekday())).replace(hour=0)
    reminded = ReminderDelivery.objects.filter(
        action_item=OuterRef("pk"), kind=ReminderKind.ACTION_OVERDUE, created_at__gte=monday
    )
    items = list(
        ActionItem.objects.filter(status__in=PENDING, due_on__lte=soon)
        .exclude(Q(due_on__lt=today) & Q(Exists(reminded)))
        .select_related("owner_person", "owner_organisation", "meeting")
        .order_by("pk")
    )
    owners = _owners(items)
    year, week, _day = today.isocalendar()
    for item in items:
        late = item.due_on < today
        kind = ReminderKind.ACTION_OVERDUE if late else ReminderKind.ACTION_DUE
        key = (
            f"overdue:{item.pk}:{year}-W{week:02d}"
            if late
            else f"due:{item.pk}:{item.due_on.isoformat()}"
        )
        due_at = _local_morning(
            today if late else item.due_on - timedelta(days=settings.ACTION_ITEM_DUE_DAYS)
        )
        for person in owners[item.pk]:
            yield Occurrence(
                key=f"{key}:person:{person.pk}",
                kind=kind,
                person=person,
                due_at=min(due_at, now),
                action_item=item,
                meeting=item.meeting,
                skip=skip_reason(person, kind),
            )


def action_item_assigned(item: ActionItem) -> int:
    """Tell an item's owner it is theirs (on raising it, or giving it to another owner), in
    the caller's transaction; return how many emails were queued."""
    item = ActionItem.objects.select_related("owner_person", "owner_organisation", "meeting").get(
        pk=item.pk
    )
    occurrences = [
        Occurrence(
            key=f"assigned:{item.pk}:v{item.version}:person:{person.pk}",
            kind=ReminderKind.ACTION_ASSIGNED,
            person=person,
            due_at=timezone.now(),
            action_item=item,
            meeting=item.meeting,
            skip=skip_reason(person, ReminderKind.ACTION_ASSIGNED),
        )
        for person in _owners([item])[item.pk]
    ]
    queued = sum(1 for o in occurrences if _record(o) and not o.skip)
    if queued:
        outbox.send_soon()
    return queued


def _week(now: datetime) -> tuple[str, datetime]:
    """The current ISO week's name, and when its digest falls due (Monday morning)."""
    today = timezone.localdate(now)
    year, week, weekday = today.isocalendar()
    monday = today - timedelta(days=weekday - 1)
    due = datetime.combine(monday, time(DIGEST_HOUR), tzinfo=timezone.get_current_timezone())
    return f"{year}-W{week:02d}", due


def _secretariat_digest(now: datetime) -> tuple[tuple[str, Any], ...]:
    """What needs the secretariat's attention this week."""
    from portal.outbox import problem_count

    upcoming = list(
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + timedelta(days=14)
        )
        .select_related("series")
        .order_by("starts_at")[:DIGEST_ROWS]
    )
    pending = Invitation.objects.filter(
        meeting__status=MeetingStatus.PLANNED,
        meeting__starts_at__gt=now,
        response=Response.PENDING,
        is_walk_in=False,
    ).count()
    overdue = ActionItem.objects.overdue(timezone.localdate(now))
    return (
        ("upcoming", upcoming),
        ("pending_answers", pending),
        ("overdue_count", overdue.count()),
        (
            "overdue",
            list(
                overdue.select_related("owner_organisation").order_by("due_on", "pk")[:DIGEST_ROWS]
            ),
        ),
        ("email_problems", problem_count()),
        ("register_url", settings.PORTAL_URL + reverse("meetings:action_item_list")),
        ("outbox_url", settings.PORTAL_URL + reverse("outbox")),
    )


def weekly_digests(now: datetime) -> Iterator[Occurrence]:
    """On Monday morning: the secretariat's digest to each of its people, and to other
    users, the documents added to their meetings in the week (when there are any)."""
    week, due_at = _week(now)
    if now < due_at:
        return
    from meetings.models import Document
    from stakeholders.models import Role, User

    # Those whose digest of this week is recorded are not looked at again.
    done = {
        int(key.rsplit(":", 1)[1])
        for key in ReminderDelivery.objects.filter(
            occurrence_key__startswith=f"digest:{week}:person:"
        ).values_list("occurrence_key", flat=True)
    }
    secretariat = list(
        User.objects.filter(is_active=True, role=Role.SECRETARIAT, person__isnull=False)
        .exclude(person__in=done)
        .select_related("person")
        .order_by("pk")
    )
    if secretariat:
        digest = _secretariat_digest(now)
        for user in secretariat:
            person = user.person
            if person is None:
                continue
            yield Occurrence(
                key=f"digest:{week}:person:{person.pk}",
                kind=ReminderKind.WEEKLY_DIGEST,
                person=person,
                due_at=due_at,
                skip=skip_reason(person, ReminderKind.WEEKLY_DIGEST),
                extra=(("secretariat", True), *digest),
            )
    # Others hear of the documents added to their meetings in the week, if any.
    recent = Document.objects.filter(
        uploaded_at__gte=due_at - timedelta(days=7), uploaded_at__lt=due_at
    )
    invitees = (
        User.objects.filter(
            is_active=True,
            person__email_weekly_digest=True,
            person__invitations__meeting__documents__in=recent,
        )
        .exclude(role__in=["", Role.SECRETARIAT])
        .exclude(person__in=done)
        .select_related("person")
        .distinct()
        .order_by("pk")
    )
    for user in invitees:
        person = user.person
        if person is None:
            continue
        documents = list(
            recent.visible_to(user)
            .filter(meeting__invitations__person=person)
            .select_related("meeting")
            .distinct()
            .order_by("meeting__starts_at", "uploaded_at")[: DIGEST_ROWS * 3]
        )
        if documents:
            yield Occurrence(
                key=f"digest:{week}:person:{person.pk}",
                kind=ReminderKind.WEEKLY_DIGEST,
                person=person,
                due_at=due_at,
                skip=skip_reason(person, ReminderKind.WEEKLY_DIGEST),
                extra=(("secretariat", False), ("documents", documents)),
            )


def _not_recorded(occurrences: list[Occurrence]) -> list[Occurrence]:
    """The occurrences no earlier sweep recorded."""
    keys = [o.key for o in occurrences]
    recorded: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        recorded.update(
            ReminderDelivery.objects.filter(
                occurrence_key__in=keys[start : start + KEY_CHUNK]
            ).values_list("occurrence_key", flat=True)
        )
    return [o for o in occurrences if o.key not in recorded]


def _context(occurrence: Occurrence) -> dict[str, Any]:
    meeting = occurrence.meeting
    context: dict[str, Any] = {"person": occurrence.person, "kind": occurrence.kind}
    context.update(occurrence.extra)
    context["portal_url"] = settings.PORTAL_URL
    if meeting is not None:
        context["meeting"] = meeting
        context["meeting_url"] = settings.PORTAL_URL + meeting.get_absolute_url()
    if occurrence.invitation is not None:
        context["invitation"] = occurrence.invitation
    item = occurrence.action_item
    if item is not None:
        context["item"] = item
        context["item_url"] = settings.PORTAL_URL + item.get_absolute_url()
        context["days_late"] = item.days_late
    if occurrence.kind == ReminderKind.RSVP_CHASE and occurrence.invitation is not None:
        from meetings.notify import rsvp_url

        token = RsvpLink.objects.issue(invitation=occurrence.invitation)[1]
        context["rsvp_url"] = rsvp_url(token)
    return context


def _email(occurrence: Occurrence) -> Any:
    person = occurrence.person
    choice = EmailChoice(CHOICE[occurrence.kind])
    unsubscribe_url, headers = unsubscribe_link(person, choice)
    context = _context(occurrence)
    context["unsubscribe_url"] = unsubscribe_url
    context["unsubscribe_what"] = choice.label
    attachments = []
    if occurrence.kind == ReminderKind.MEETING and occurrence.meeting is not None:
        with translation.override(person.preferred_language):
            attachments.append(
                ics_attachment(occurrence.meeting, method=Method.REQUEST, invitee=person)
            )
    return outbox.queue_email(
        kind=str(occurrence.kind),
        to=person.email,
        language=person.preferred_language,
        template=str(occurrence.kind),
        context=context,
        attachments=attachments,
        headers=headers,
        send=False,
    )


def _record(occurrence: Occurrence) -> bool:
    """Record the occurrence and queue its email, unless another sweep recorded it first.

    Queries: a savepoint, the unsubscribe link's INSERT and the email's (none when skipped),
    the delivery's INSERT and the savepoint's release; a chase adds its RSVP link's INSERT.
    """
    try:
        with transaction.atomic():
            email = None if occurrence.skip else _email(occurrence)
            ReminderDelivery.objects.create(
                occurrence_key=occurrence.key,
                kind=occurrence.kind,
                person=occurrence.person,
                meeting=occurrence.meeting,
                action_item=occurrence.action_item,
                rule=occurrence.rule,
                due_at=occurrence.due_at,
                for_start=occurrence.for_start,
                email=email,
                skip_reason=occurrence.skip,
            )
    except IntegrityError:
        return False
    return True


def send_due_reminders(now: datetime | None = None) -> SweepResult:
    """One sweep: record every reminder that has fallen due and queue its email; the emails
    go out after commit, in one task."""
    now = now or timezone.now()
    result = SweepResult()
    with transaction.atomic():
        due = [
            *meeting_reminders(now),
            *rsvp_chases(now),
            *action_item_reminders(now),
            *weekly_digests(now),
            *(occurrence for source in _sources for occurrence in source(now)),
        ]
        for occurrence in _not_recorded(due):
            if not _record(occurrence):
                continue
            if occurrence.skip:
                result.skipped += 1
            else:
                result.queued += 1
        if result.queued:
            outbox.send_soon()
    if result.queued or result.skipped:
        logger.info("Reminders: %s queued, %s recorded as skipped.", result.queued, result.skipped)
    return result
