"""Reads of trend notes: the board, the list and its filters, the notes nobody answered."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from activities import permissions
from activities.models import Activity, ReviewState
from activities.trend_models import TrendNote, TrendResponse, TrendStatus
from meetings.models import Meeting, MeetingStatus
from meetings.prompts import Prompt
from portal.lib.text import fold
from stakeholders.models import User

# How long a note may wait for an answer before it is listed as without response.
QUARTER = timedelta(days=91)
# Cards a column of the board shows; the list shows all.
BOARD_CARDS = 20
# What a card shows.
CARD_FIELDS = (
    "code",
    "title",
    "trend_type",
    "status",
    "label",
    "observed_from",
    "created_at",
    "source_organisation__name",
    "source_organisation__name_ru",
    "source_organisation__name_uz",
)
BOARD_STATUSES = [
    TrendStatus.NEW,
    TrendStatus.MONITORING,
    TrendStatus.ADDRESSED,
    TrendStatus.ARCHIVED,
]


def approved_response() -> Exists:
    """On TrendNote: whether an approved activity answers the note."""
    return Exists(
        TrendResponse.objects.filter(
            trend=OuterRef("pk"), activity__review_state=ReviewState.APPROVED
        )
    )


def without_response(
    queryset: QuerySet[TrendNote], today: date | None = None
) -> QuerySet[TrendNote]:
    """Notes not archived, older than a quarter (by the start of what was observed, else by
    their recording), that no approved activity answers."""
    return (
        queryset.exclude(status=TrendStatus.ARCHIVED)
        .filter(since_within(None, response_cutoff(today)))
        .exclude(approved_response())
    )


def response_cutoff(today: date | None = None) -> date:
    """The last day a note's observation may have begun on for it to be waiting for an
    answer today."""
    return (today or timezone.localdate()) - QUARTER


def since_within(first: date | None, last: date | None) -> Q:
    """The notes whose observation began within `first`..`last` (both included, either
    open): by the day recorded as observed from, else by the day the note was written (in
    the portal's time zone)."""
    observed, written = Q(), Q(observed_from__isnull=True)
    zone = timezone.get_default_timezone()
    if first is not None:
        observed &= Q(observed_from__gte=first)
        written &= Q(created_at__gte=datetime.combine(first, time.min, tzinfo=zone))
    if last is not None:
        observed &= Q(observed_from__lte=last)
        after = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
        written &= Q(created_at__lt=after)
    return (Q(observed_from__isnull=False) & observed) | written


def since_day() -> Coalesce:
    """On TrendNote: the day its observation began, the day `since_within` keeps it by: the
    day recorded as observed from, else the day it was written (in the portal's time zone)."""
    return Coalesce(
        "observed_from", TruncDate("created_at", tzinfo=timezone.get_default_timezone())
    )


def has_region(code: str) -> Q:
    """The notes that name a region of Uzbekistan."""
    return _has("regions", code)


def without_response_count(*, user: User) -> int:
    return without_response(TrendNote.objects.visible_to(user)).count()


def _has(field: str, code: str) -> Q:
    """The notes whose list `field` holds `code` (a vocabulary's code, quoted as JSON holds it:
    the list's text is searched, which SQLite and PostgreSQL both do)."""
    return Q(**{f"{field}__icontains": f'"{code}"'})


def filtered(user: User, filters: dict[str, Any]) -> QuerySet[TrendNote]:
    """The notes the user may see that the filters keep."""
    notes: QuerySet[TrendNote] = TrendNote.objects.visible_to(user)
    if text := (filters.get("q") or "").strip():
        notes = notes.filter(search_text__contains=fold(text))
    simple = {
        "trend_type": "trend_type",
        "direction": "direction",
        "confidence": "confidence",
        "label": "label",
        "status": "status",
        "source_type": "source_type",
    }
    for name, field in simple.items():
        if value := filters.get(name):
            notes = notes.filter(**{field: value})
    if method := filters.get("recruitment_method"):
        notes = notes.filter(_has("recruitment_methods", method))
    if form := filters.get("exploitation_form"):
        notes = notes.filter(_has("exploitation_forms", form))
    if region := filters.get("region"):
        notes = notes.filter(_has("regions", region))
    if group := filters.get("target_group"):
        notes = notes.filter(_has("target_groups", group))
    if country := filters.get("country"):
        notes = notes.filter(
            _has("origin_countries", country)
            | _has("transit_countries", country)
            | _has("destination_countries", country)
        )
    if organisation := filters.get("source"):
        notes = notes.filter(source_organisation=organisation)
    if meeting := filters.get("meeting"):
        notes = notes.filter(meetings=meeting)
    # The observed period overlaps the one asked for.
    if start := filters.get("observed_from"):
        notes = notes.filter(Q(observed_to__gte=start) | Q(observed_to__isnull=True))
    if end := filters.get("observed_to"):
        notes = notes.filter(Q(observed_from__lte=end) | Q(observed_from__isnull=True))
    if (period := filters.get("period")) is not None:
        notes = notes.filter(since_within(period.start, period.end))
    if filters.get("without_response") == "yes":
        notes = without_response(notes)
    return notes


def board(user: User, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The board's columns: for each status its count and its latest cards, in a query per
    column and one for the counts, whatever the number of notes."""
    notes = filtered(user, {k: v for k, v in filters.items() if k != "status"})
    counts = dict(notes.order_by().values_list("status").annotate(n=Count("pk")))
    columns = []
    for status in BOARD_STATUSES:
        cards = (
            list(
                notes.filter(status=status)
                .select_related("source_organisation")
                .only(*CARD_FIELDS)
                .annotate(answered=approved_response())
                .order_by("-created_at", "-pk")[:BOARD_CARDS]
            )
            if counts.get(status)
            else []
        )
        columns.append(
            {
                "status": status,
                "label": TrendStatus(status).label,
                "count": counts.get(status, 0),
                "cards": cards,
                "more": max(0, counts.get(status, 0) - len(cards)),
            }
        )
    return columns


def responses(note: TrendNote, user: User) -> list[TrendResponse]:
    """The activities answering the note that the user may see."""
    return list(
        note.responses.filter(activity__in=Activity.objects.visible_to(user))
        .select_related("activity__lead_organisation", "linked_by", "trend")
        .order_by("linked_at", "pk")
    )


def trends_answered_by(activity: Activity, user: User) -> list[TrendResponse]:
    """The notes the user may see that the activity answers."""
    return list(
        activity.trend_responses.filter(trend__in=TrendNote.objects.visible_to(user))
        .select_related("trend", "activity", "linked_by")
        .order_by("linked_at", "pk")
    )


def _next_of_series(meeting: Meeting) -> bool:
    """Whether the meeting is its series' next one: not begun, not cancelled, none before."""
    if meeting.is_cancelled or meeting.has_started:
        return False
    earlier = Meeting.objects.filter(
        series_id=meeting.series_id, starts_at__gt=timezone.now(), starts_at__lt=meeting.starts_at
    ).exclude(status=MeetingStatus.CANCELLED)
    return not earlier.exists()


def meeting_prompts(user: User, meeting: Meeting) -> list[Prompt]:
    """Before the next meeting of a series, the secretariat is reminded of the trends that no
    approved activity answers."""
    if not permissions.can_see_trends_without_response(user) or not _next_of_series(meeting):
        return []
    count = without_response_count(user=user)
    if not count:
        return []
    return [
        Prompt(
            text=ngettext(
                "%(count)s trend noted over a quarter ago has no approved activity answering "
                "it: a matter for this meeting?",
                "%(count)s trends noted over a quarter ago have no approved activity answering "
                "them: a matter for this meeting?",
                count,
            )
            % {"count": count},
            url=reverse("activities:trend_list") + "?without_response=yes",
            link=gettext("See them"),
        )
    ]
