"""Reads of activities, scoped to what the user may see."""

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    ActivityLocation,
    ActivityOrganisation,
    ActivityParticipants,
    ActivityRevision,
    ActivityStatus,
    LocationKind,
    OrganisationRole,
    Pillar,
    ReviewState,
    TargetGroup,
)
from meetings.calendar_entries import Entry
from portal.lib.text import fold
from stakeholders.models import Organisation, User

SEXES = ("female", "male", "undisclosed")


def activity_list(*, user: User, filters: dict[str, Any]) -> QuerySet[Activity]:
    """The activities the user may see, filtered; the latest planned first."""
    activities = Activity.objects.visible_to(user).select_related("lead_organisation")
    if q := (filters.get("q") or "").strip():
        activities = activities.filter(search_text__contains=fold(q))
    for name, field in (
        ("type", "type"),
        ("pillar", "primary_pillar"),
        ("status", "status"),
        ("review", "review_state"),
    ):
        if value := filters.get(name):
            activities = activities.filter(**{field: value})
    if region := filters.get("region"):
        activities = activities.filter(at_location(region))
    if group := filters.get("target_group"):
        activities = activities.filter(
            Exists(ActivityParticipants.objects.filter(activity=OuterRef("pk"), target_group=group))
        )
    if award := filters.get("award"):
        activities = activities.filter(award=award)
    if organisation := filters.get("organisation"):
        activities = activities.filter(with_organisation(organisation.pk))
    if funder := filters.get("funder"):
        activities = activities.filter(funded_by(funder.pk))
    if (period := filters.get("period")) is not None:
        days = ended if filters.get("counted") == "ended" else under_way
        activities = with_dates(activities).filter(days(period.start, period.end))
    if filters.get("needs_action"):
        person = user.person
        activities = activities.filter(
            needs_action(
                person.organisation_id if person is not None else None, timezone.localdate()
            )
        )
    if filters.get("mine"):
        person = user.person
        activities = activities.filter(
            lead_organisation_id=person.organisation_id if person is not None else None
        )
    return activities.order_by("-planned_start", "-pk")


def participant_totals(activities: QuerySet[Activity], filters: dict[str, Any]) -> dict[str, int]:
    """The women, men and undisclosed in the participant rows of `activities`, as the
    dashboard counts them: with a region or target group filter, that region's or group's
    rows only."""
    rows = ActivityParticipants.objects.filter(activity__in=activities.order_by().values("pk"))
    if (region := filters.get("region")) == NATIONWIDE:
        rows = rows.filter(location__kind=LocationKind.NATIONAL)
    elif region:
        rows = rows.filter(location__region=region)
    if group := filters.get("target_group"):
        rows = rows.filter(target_group=group)
    sums = rows.aggregate(**{sex: Coalesce(Sum(sex), 0) for sex in SEXES})
    return {**sums, "total": sum(sums.values())}


def activity_rows(activities: list[Activity]) -> list[Activity]:
    """A page of activities with their locations (one query for the page)."""
    ids = [activity.pk for activity in activities]
    locations: dict[int, list[ActivityLocation]] = {}
    for location in ActivityLocation.objects.filter(activity_id__in=ids):
        locations.setdefault(location.activity_id, []).append(location)
    for activity in activities:
        activity.location_list = locations.get(activity.pk, [])  # type: ignore[attr-defined]
    return activities


def activity_for(*, user: User, pk: int) -> Activity | None:
    return (
        Activity.objects.visible_to(user)
        .select_related("lead_organisation", "award__donor", "meeting__series", "created_by")
        .prefetch_related(
            "locations",
            "organisations__organisation",
            Prefetch(
                "participants",
                queryset=ActivityParticipants.objects.select_related("location").order_by(
                    "location__kind", "location__region", "target_group"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def to_review(*, user: User) -> int:
    """For the secretariat's home: activities waiting for review."""
    return Activity.objects.visible_to(user).filter(review_state=ReviewState.SUBMITTED).count()


def needs_action(organisation_id: int | None, today: date) -> Q:
    """An organisation's activities that wait for it: returned for changes, or ended without
    their actual dates or their participants."""
    ended = Q(planned_end__lt=today) & ~Q(
        status__in=[ActivityStatus.CANCELLED, ActivityStatus.POSTPONED]
    )
    no_participants = ~Q(Exists(ActivityParticipants.objects.filter(activity=OuterRef("pk"))))
    return Q(lead_organisation_id=organisation_id) & (
        Q(review_state=ReviewState.RETURNED)
        | (ended & (Q(actual_start__isnull=True) | no_participants))
    )


def needing_action(*, user: User) -> int:
    """For a partner's home: its organisation's activities that need its action."""
    person = user.person
    if person is None or person.organisation_id is None:
        return 0
    return Activity.objects.filter(
        needs_action(person.organisation_id, timezone.localdate())
    ).count()


def engagement(user: User, organisation: Organisation) -> list[tuple[Any, object]]:
    """For the organisation's page: the activities it led that the user may see."""
    count = Activity.objects.visible_to(user).filter(lead_organisation=organisation).count()
    return [(_("Activities led"), count)]


def revision_changes(revision: ActivityRevision) -> list[tuple[str, str, str]]:
    """What a revision changes: (field, published value, proposed value), in words."""
    activity = revision.activity
    changes = []
    for name, value in revision.fields.items():
        field = Activity._meta.get_field(name)
        if not isinstance(field, models.Field):
            continue
        proposed = Activity(
            **{field.attname: field.to_python(value) if value is not None else None}
        )
        changes.append((str(field.verbose_name), _shown(activity, field), _shown(proposed, field)))
    if revision.places is not None:
        changes.append(
            (
                str(_("places")),
                ", ".join(location.label for location in activity.locations.all()),
                ", ".join(
                    ActivityLocation(kind=kind, region=region, country=country).label
                    for kind, region, country in revision.places
                ),
            )
        )
    if revision.participants is not None:
        published = sum(row.total for row in activity.participants.all())
        proposed_total = sum(
            int(row[2]) + int(row[3]) + int(row[4]) for row in revision.participants
        )
        changes.append((str(_("participants")), str(published), str(proposed_total)))
    return changes


def _shown(activity: Activity, field: models.Field[Any, Any]) -> str:
    if field.choices:
        return str(getattr(activity, f"get_{field.name}_display")())
    if field.is_relation:
        related = getattr(activity, field.name, None)
        return str(related) if related is not None else "—"
    value = getattr(activity, field.name)
    if isinstance(value, list):
        words = {**dict(TargetGroup.choices), **dict(Pillar.choices)}
        return ", ".join(str(words.get(code, code)) for code in value) or "—"
    return "—" if value in (None, "") else str(value)


def planned_on_calendar(user: User, first: date, last: date) -> list[Entry]:
    """For the month view: the approved activities the user may see that start between
    `first` and `last`, on their first day (one query)."""
    found = (
        Activity.objects.visible_to(user)
        .filter(
            review_state=ReviewState.APPROVED,
            planned_start__gte=first,
            planned_start__lte=last,
        )
        .exclude(status=ActivityStatus.CANCELLED)
        .order_by("planned_start", "pk")
    )
    return [
        Entry(
            day=activity.planned_start,
            title=activity.title,
            url=activity.get_absolute_url(),
            note=str(_("Activity")),
        )
        for activity in found
    ]


# What the dashboard counts, as conditions the lists behind its figures apply too.

NATIONWIDE = LocationKind.NATIONAL.value


def with_dates[T: QuerySet[Activity]](activities: T) -> T:
    """The activities with `first_day` and `last_day`: the actual dates where recorded,
    else the planned ones."""
    return activities.alias(
        first_day=Coalesce("actual_start", "planned_start"),
        last_day=Coalesce("actual_end", "planned_end"),
    )


def under_way(first: date, last: date) -> Q:
    """On activities `with_dates`: those whose days overlap `first`..`last` (both included);
    one that spans two periods is under way in each."""
    return Q(first_day__lte=last, last_day__gte=first)


def ended(first: date, last: date) -> Q:
    """On activities `with_dates`: those whose last day falls within `first`..`last`."""
    return Q(last_day__gte=first, last_day__lte=last)


def with_organisation(organisation_id: int) -> Q:
    """The activities an organisation leads or takes part in, in any role."""
    return Q(lead_organisation_id=organisation_id) | Q(
        pk__in=ActivityOrganisation.objects.filter(organisation_id=organisation_id).values(
            "activity_id"
        )
    )


def funded_by(organisation_id: int) -> Q:
    """The activities an organisation funds: through the award they report to, or named as
    their funding organisation."""
    return Q(award__donor_id=organisation_id) | Q(
        pk__in=ActivityOrganisation.objects.filter(
            organisation_id=organisation_id, role=OrganisationRole.FUNDING
        ).values("activity_id")
    )


def at_location(code: str) -> Q:
    """The activities held in a region of Uzbekistan (by its code), or nationwide."""
    places = (
        ActivityLocation.objects.filter(kind=LocationKind.NATIONAL)
        if code == NATIONWIDE
        else ActivityLocation.objects.filter(region=code)
    )
    return Q(Exists(places.filter(activity=OuterRef("pk"))))
