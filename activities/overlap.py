"""The overlap radar: two organisations about to train the same people in the same place.

Two activities overlap when they have the same type, are led by different organisations,
share a target group and a place (the same region, both nationwide, or the same country),
and their planned date ranges are at most 30 days apart. Only activities the reader may
see are ever named. Saving warns; it never blocks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

from django.db.models import Prefetch, Q

from activities.models import Activity, ActivityLocation, ActivityStatus
from stakeholders.models import User

WINDOW = timedelta(days=30)
RADAR_AHEAD = timedelta(days=183)


@dataclass(frozen=True)
class Overlap:
    first: Activity
    second: Activity
    target_groups: list[str]
    places: list[str]
    days_apart: int


def _places(activity: Activity) -> set[tuple[str, str, str]]:
    return {(loc.kind, loc.region, loc.country) for loc in activity.locations.all()}


def _gap(a: Activity, b: Activity) -> int:
    """Days between two planned ranges; 0 when they overlap."""
    if a.planned_end < b.planned_start:
        return (b.planned_start - a.planned_end).days
    if b.planned_end < a.planned_start:
        return (a.planned_start - b.planned_end).days
    return 0


def _compare(a: Activity, b: Activity) -> Overlap | None:
    if a.type != b.type or a.lead_organisation_id == b.lead_organisation_id:
        return None
    groups = sorted(set(a.target_groups) & set(b.target_groups))
    shared = _places(a) & _places(b)
    gap = _gap(a, b)
    if not groups or not shared or gap > WINDOW.days:
        return None
    labels = sorted(
        loc.label for loc in a.locations.all() if (loc.kind, loc.region, loc.country) in shared
    )
    return Overlap(first=a, second=b, target_groups=groups, places=labels, days_apart=gap)


NOT_CANCELLED = ~Q(status=ActivityStatus.CANCELLED)


def _with_places(activities: Q, user: User, **filters: object) -> list[Activity]:
    return list(
        Activity.objects.visible_to(user)
        .filter(activities, **filters)
        .select_related("lead_organisation")
        .prefetch_related(Prefetch("locations", queryset=ActivityLocation.objects.all()))
        .order_by("planned_start", "pk")
    )


def overlaps_of(activity: Activity, *, user: User) -> list[Overlap]:
    """The activities the user may see that overlap this one."""
    if activity.status == ActivityStatus.CANCELLED:
        return []
    regions = [loc.region for loc in activity.locations.all() if loc.region]
    countries = [loc.country for loc in activity.locations.all() if loc.country]
    nationwide = any(not loc.region and not loc.country for loc in activity.locations.all())
    place = Q(locations__region__in=regions) | Q(locations__country__in=countries)
    if nationwide:
        place |= Q(locations__kind="national")
    others = _with_places(
        NOT_CANCELLED & place,
        user,
        type=activity.type,
        planned_start__lte=activity.planned_end + WINDOW,
        planned_end__gte=activity.planned_start - WINDOW,
    )
    found = []
    seen = set()
    for other in others:
        if other.pk == activity.pk or other.pk in seen:
            continue
        seen.add(other.pk)
        if (overlap := _compare(activity, other)) is not None:
            found.append(overlap)
    return found


def radar(*, user: User, today: date) -> list[Overlap]:
    """Every overlapping pair the user may see among the activities of the next six months."""
    activities = _with_places(
        NOT_CANCELLED,
        user,
        planned_end__gte=today,
        planned_start__lte=today + RADAR_AHEAD,
    )
    by_type: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_type[activity.type].append(activity)
    pairs = []
    for group in by_type.values():
        for a, b in combinations(group, 2):
            if (overlap := _compare(a, b)) is not None:
                pairs.append(overlap)
    return sorted(pairs, key=lambda o: (o.first.planned_start, o.first.pk, o.second.pk))
