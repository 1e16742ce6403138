"""Personal calendar feeds: created, replaced and revoked by their person's user, revoked
when the person's access ends, and marked when a calendar program reads one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from meetings import permissions
from meetings.audit import Action
from meetings.models import CalendarFeed
from meetings.services._base import _require
from portal.lib.audit import audit
from portal.lib.versions import lock_fresh
from stakeholders.models import Person, User

# Calendar programs poll, some every few minutes and several for one person; "last used"
# needs no finer grain than this, and most reads then write nothing.
USE_GRAIN = timedelta(minutes=1)


@transaction.atomic
def calendar_feed_create(
    *, user: User, request: HttpRequest | None = None
) -> tuple[CalendarFeed, str]:
    """A new private calendar address for the user's person, and its token (shown once);
    the address before it stops working, so that a person has one at a time."""
    person = user.person
    if person is None or not permissions.can_keep_calendar_feed(user):
        raise PermissionDenied
    # Two creations at once would otherwise both find nothing live to revoke.
    lock_fresh(person)
    CalendarFeed.objects.filter(person=person).revoke()
    feed, token = CalendarFeed.objects.issue(person=person)
    audit(action=Action.CALENDAR_FEED_CREATED, actor=user, target=person, request=request)
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, user: User, request: HttpRequest | None = None) -> int:
    """Stop the user's calendar address from working; return how many were revoked."""
    _require(permissions.can_keep_calendar_feed(user))
    revoked = CalendarFeed.objects.filter(person=user.person).revoke()
    if revoked:
        audit(action=Action.CALENDAR_FEED_REVOKED, actor=user, target=user.person, request=request)
    return revoked


def calendar_feeds_revoke_on_access_ended(
    sender: type[User], user: User, person: Person | None, **kwargs: Any
) -> None:
    """Revoke every calendar feed of a person whose access ended (the receiver of
    `stakeholders.signals.access_ended`)."""
    if person is not None:
        CalendarFeed.objects.filter(person=person).revoke()


def calendar_feed_record_use(*, feed: CalendarFeed, now: datetime | None = None) -> bool:
    """Record that a calendar program read the feed, at most once a USE_GRAIN; True when
    recorded."""
    now = now or timezone.now()
    if feed.last_used_at is not None and feed.last_used_at > now - USE_GRAIN:
        return False
    return feed.use()
