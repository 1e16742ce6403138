"""The dashboard's figures, each defined once here. What a figure counts is its docstring,
written in its `how` and shown on the dashboard under "How is this counted?".

Every figure is computed in the database, with aggregates, from what `visible_to(user)`
gives the reader, for a `Scope`: the reader, a period and the filters. Activities count in
their approved version only: the values of a revision waiting for review stay in the
revision until it is approved. Each figure links to the list behind it, filtered so that the
list's count (or its totals row, for a sum or a rate) equals the figure.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any, cast

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncQuarter
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from activities import permissions, summary, trend_selectors
from activities import selectors as activity_selectors
from activities.dashboard_models import (
    NationalFigure,
    NationalIndicator,
    Target,
    period_fields,
)
from activities.models import (
    Activity,
    ActivityLocation,
    ActivityOrganisation,
    ActivityParticipants,
    ActivityStatus,
    ActivityType,
    Award,
    LocationKind,
    Pillar,
    Region,
    ReviewState,
    TargetGroup,
)
from activities.summary_models import (
    SummaryActivity,
    SummaryCoverage,
    SummaryItem,
    SummaryMeeting,
    SummaryPeopleByGroup,
    SummaryPeopleByPlace,
    SummaryPlace,
    SummaryTrend,
)
from activities.trend_models import TrendNote, TrendResponse, TrendStatus, TrendType
from meetings import coverage as framework_coverage
from meetings import selectors as meeting_selectors
from meetings.models import (
    PENDING,
    ActionItem,
    ActionItemStatus,
    Attendance,
    Decision,
    FrameworkKind,
    FrameworkReference,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    OrganisationInvitation,
)
from meetings.models.actions import ActionItemQuerySet
from portal.lib.cache import remembered
from portal.lib.periods import Period
from portal.lib.prepared import Prepared, day, number, text
from portal.lib.sensitivity import Label
from portal.lib.text import in_reader_language
from stakeholders.models import Organisation, Person, Sex, User

SEXES = activity_selectors.SEXES
# The owner organisations the table of action items lists, those with the most first.
OWNERS_SHOWN = 15


def counted_models() -> tuple[type[Model], ...]:
    """The models whose records the figures count, or that decide who sees them: a write
    to any of them moves the data version on (`portal.dataversion`)."""
    return (
        Organisation,
        Person,
        Meeting,
        Invitation,
        OrganisationInvitation,
        Minutes,
        ActionItem,
        Decision,
        FrameworkReference,
        Award,
        Activity,
        ActivityOrganisation,
        ActivityLocation,
        ActivityParticipants,
        TrendNote,
        TrendResponse,
        Target,
        NationalFigure,
    )


@dataclass(frozen=True)
class Scope:
    """Whose figures, for which period, with which filters. `organisation` keeps the records
    an organisation leads or takes part in (activities), was invited to (meetings), owns
    (action items) or is the source of (trend notes); the funder, award, pillar and region
    filters keep activities (the region also trend notes)."""

    user: User
    period: Period
    today: date
    organisation: int | None = None
    funder: int | None = None
    award: int | None = None
    pillar: str = ""
    region: str = ""
    # The aggregates several figures share, each computed once (a new scope starts empty).
    memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    # The records the reader sees that the filters keep, whatever the period: built once and
    # shared with the same scope a year earlier (`replace` passes them on).
    bases: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def a_year_earlier(self) -> "Scope":
        return replace(self, period=self.period.a_year_earlier())

    def within(self, period: Period) -> "Scope":
        return replace(self, period=period)

    def filters(self) -> dict[str, str]:
        """The filters as the query string names them."""
        named = {
            "organisation": self.organisation,
            "funder": self.funder,
            "award": self.award,
            "pillar": self.pillar,
            "region": self.region,
        }
        return {name: str(value) for name, value in named.items() if value not in (None, "")}


def scope_for(user: User, period: Period, today: date, **filters: Any) -> Scope:
    """The scope of a reader: a partner's figures are always those of its own organisation."""
    own = permissions.dashboard_organisation(user)
    if own is not None:
        filters["organisation"] = own
    return Scope(user=user, period=period, today=today, **filters)


# The records each figure counts from.


def _base[M: Model](scope: Scope, name: str, build: Callable[[], QuerySet[M]]) -> QuerySet[M]:
    """The records `build` gives, as a filter on their ids compiled to SQL once for the scope
    and the same scope a year earlier: the conditions of `visible_to` are the heaviest part
    of a query to build, and the same for every figure."""
    if name not in scope.bases:
        records = build()
        sql, params = records.order_by().values("pk").query.sql_with_params()
        scope.bases[name] = (records.model, sql, params)
    model, sql, params = scope.bases[name]
    # SQL that Django compiled from the queryset above, its parameters kept apart.
    ids = RawSQL(sql, params)  # noqa: S611
    return cast(QuerySet[M], model._default_manager.filter(pk__in=ids))


def _visible_meetings(scope: Scope) -> QuerySet[Meeting]:
    meetings = Meeting.objects.visible_to(scope.user)
    if scope.organisation is not None:
        meetings = meetings.filter(meeting_selectors.invited_organisation(scope.organisation))
    return meetings


def held_meetings(scope: Scope) -> QuerySet[Meeting]:
    return _base(scope, "meetings", lambda: _visible_meetings(scope)).filter(
        meeting_selectors.held_between(*scope.period.bounds())
    )


def held_invitations(scope: Scope) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(meeting__in=held_meetings(scope))
    if scope.organisation is not None:
        invitations = invitations.filter(organisation_id=scope.organisation)
    return invitations


def _visible_items(scope: Scope) -> ActionItemQuerySet:
    items = ActionItem.objects.visible_to(scope.user)
    if scope.organisation is not None:
        items = items.filter(owner_organisation_id=scope.organisation)
    return items


def raised_items(scope: Scope) -> ActionItemQuerySet:
    return cast(
        ActionItemQuerySet,
        _base(scope, "items", lambda: _visible_items(scope)).filter(
            meeting_selectors.raised_between(*scope.period.bounds())
        ),
    )


def approved_activities(scope: Scope) -> QuerySet[Activity]:
    """The approved activities the reader sees that the filters keep, with their days."""
    return activity_selectors.with_dates(
        _base(scope, "activities", lambda: _approved_activities(scope))
    )


def _approved_activities(scope: Scope) -> QuerySet[Activity]:
    activities = Activity.objects.visible_to(scope.user).filter(review_state=ReviewState.APPROVED)
    if scope.organisation is not None:
        activities = activities.filter(activity_selectors.with_organisation(scope.organisation))
    if scope.funder is not None:
        activities = activities.filter(activity_selectors.funded_by(scope.funder))
    if scope.award is not None:
        activities = activities.filter(award_id=scope.award)
    if scope.pillar:
        activities = activities.filter(primary_pillar=scope.pillar)
    if scope.region:
        activities = activities.filter(activity_selectors.at_location(scope.region))
    return activities


def activities_under_way(scope: Scope) -> QuerySet[Activity]:
    return approved_activities(scope).filter(
        activity_selectors.under_way(scope.period.start, scope.period.end)
    )


def activities_ended(scope: Scope) -> QuerySet[Activity]:
    return approved_activities(scope).filter(
        activity_selectors.ended(scope.period.start, scope.period.end)
    )


def participant_rows(scope: Scope) -> QuerySet[ActivityParticipants]:
    """The participant rows of the activities that ended in the period; with a region filter,
    the rows counted in that region (or nationwide) only."""
    rows = ActivityParticipants.objects.filter(activity__in=activities_ended(scope))
    if scope.region == activity_selectors.NATIONWIDE:
        rows = rows.filter(location__kind=LocationKind.NATIONAL)
    elif scope.region:
        rows = rows.filter(location__region=scope.region)
    return rows


def visible_trends(scope: Scope) -> QuerySet[TrendNote]:
    return _base(scope, "trends", lambda: _visible_trends(scope))


def _visible_trends(scope: Scope) -> QuerySet[TrendNote]:
    notes = TrendNote.objects.visible_to(scope.user)
    if scope.organisation is not None:
        notes = notes.filter(source_organisation_id=scope.organisation)
    if scope.region and scope.region != activity_selectors.NATIONWIDE:
        notes = notes.filter(trend_selectors.has_region(scope.region))
    return notes


def new_trends(scope: Scope) -> QuerySet[TrendNote]:
    return visible_trends(scope).filter(
        trend_selectors.since_within(scope.period.start, scope.period.end)
    )


# The summary rows: a reader who sees every record, asking without a filter, counts from
# them in place of the records (`activities.summary`). Each read is compiled once a process
# (`Prepared`) and run with the period's days; its conditions are those the records are
# counted by, on the days the rows were given when they were built.


def _summarised(scope: Scope) -> bool:
    """Whether the scope's figures are counted from the summary rows; decided once for the
    scope and the same scope a year earlier."""
    if "summarised" not in scope.bases:
        scope.bases["summarised"] = (
            permissions.dashboard_sees_everything(scope.user)
            and not scope.filters()
            and summary.ready(lambda: _summary_sources(scope))
        )
    return bool(scope.bases["summarised"])


def _ended_on() -> Coalesce:
    """On participant rows: the last day of their activity (actual, else planned)."""
    return Coalesce("activity__actual_end", "activity__planned_end")


def _row_place() -> Case:
    """On participant rows: a region's code, nationwide, or empty for a country abroad."""
    return Case(
        When(location__kind=LocationKind.COUNTRY, then=Value("")),
        When(location__kind=LocationKind.NATIONAL, then=Value(activity_selectors.NATIONWIDE)),
        default=F("location__region"),
        output_field=CharField(),
    )


def _local_day(moment: str) -> TruncDate:
    """The day of a moment in the portal's time zone, as `Period.bounds` counts days."""
    return TruncDate(moment, tzinfo=timezone.get_default_timezone())


def _summary_sources(scope: Scope) -> dict[type[Model], QuerySet[Any, Any]]:
    """What each summary table holds, from the records the reader sees, each value worked out
    as the figures work it out from the records, named for its column."""

    def named(**values: Any) -> dict[str, Any]:
        return {summary.PREFIX + name: value for name, value in values.items()}

    activities = approved_activities(scope)
    participants = ActivityParticipants.objects.filter(activity__in=activities).order_by()
    attended = Q(invitations__attendance=Attendance.ATTENDED)
    return {
        SummaryActivity: activities.order_by().values(
            **named(
                id=F("pk"),
                first_day=F("first_day"),
                last_day=F("last_day"),
                status=F("status"),
                type=F("type"),
                primary_pillar=F("primary_pillar"),
            )
        ),
        SummaryPlace: activities.filter(locations__isnull=False)
        .order_by()
        .values(
            **named(
                activity_id=F("pk"),
                first_day=F("first_day"),
                last_day=F("last_day"),
                kind=F("locations__kind"),
                region=F("locations__region"),
            )
        )
        .distinct(),
        SummaryPeopleByGroup: participants.values(
            **named(
                last_day=_ended_on(),
                quarter=TruncQuarter(_ended_on(), output_field=DateField()),
                target_group=F("target_group"),
            )
        ).annotate(**named(**{sex: Sum(sex) for sex in SEXES})),
        SummaryPeopleByPlace: participants.values(
            **named(last_day=_ended_on(), place=_row_place())
        ).annotate(**named(**{sex: Sum(sex) for sex in SEXES})),
        SummaryMeeting: _base(scope, "meetings", lambda: _visible_meetings(scope))
        .order_by()
        .values(
            **named(
                meeting_id=F("pk"),
                status=F("status"),
                starts_at=F("starts_at"),
                day=_local_day("starts_at"),
            )
        )
        .annotate(
            **named(
                **_attendance("invitations__"),
                organisations=Count("invitations__organisation", filter=attended, distinct=True),
                groups=Count(
                    "invitations__organisation__stakeholder_group", filter=attended, distinct=True
                ),
            )
        ),
        SummaryItem: meeting_selectors.with_completion_day(
            _base(scope, "items", lambda: _visible_items(scope))
        )
        .order_by()
        .values(
            **named(
                id=F("pk"),
                day=_local_day("meeting__starts_at"),
                owner_organisation_id=F("owner_organisation_id"),
                status=F("status"),
                due_on=F("due_on"),
                completed_on=F("completed_on"),
            )
        ),
        SummaryTrend: visible_trends(scope)
        .order_by()
        .values(
            **named(
                id=F("pk"),
                trend_type=F("trend_type"),
                status=F("status"),
                since=trend_selectors.since_day(),
                answered=trend_selectors.approved_response(),
            )
        ),
        SummaryCoverage: FrameworkReference.objects.visible_to(scope.user)
        .order_by()
        .values(**named(year=F("year"), kind=F("kind")))
        .annotate(
            **named(
                answered=Count("pk", filter=framework_coverage.answered(scope.user)),
                everything=Count("pk"),
            )
        ),
    }


# The owner organisation's names, as the table of action items shows them.
OWNER_NAMES = (
    "owner_organisation__is_active",
    "owner_organisation__name",
    "owner_organisation__name_ru",
    "owner_organisation__name_uz",
)
ITEM_COUNTS = ("raised", "done", "on_time", "overdue")
ATTENDANCE_COUNTS = ("invited", "attended", "walk_ins", *SEXES)


def _attendance(to_invitations: str = "") -> dict[str, Count]:
    """What the attendance figures count of invitations (reached through `to_invitations`
    from the records aggregated): invitees, those who attended, walk-ins, and all who
    attended by sex."""
    counted = to_invitations.removesuffix("__") or "pk"

    def where(**conditions: Any) -> Q:
        return Q(**{f"{to_invitations}{name}": value for name, value in conditions.items()})

    attended = where(attendance=Attendance.ATTENDED)
    return {
        "invited": Count(counted, filter=where(is_walk_in=False)),
        "attended": Count(counted, filter=attended & where(is_walk_in=False)),
        "walk_ins": Count(counted, filter=where(is_walk_in=True)),
        **{sex: Count(counted, filter=attended & where(person__sex=sex)) for sex in SEXES},
    }


def _item_groups(items: QuerySet[Any], today: date) -> QuerySet[Any, dict[str, Any]]:
    """Action items (with the day each was completed) counted by owner organisation."""
    return cast(
        QuerySet[Any, dict[str, Any]],
        items.order_by()
        .values("owner_organisation_id", *OWNER_NAMES)
        .annotate(
            raised=Count("pk"),
            done=Count("pk", filter=Q(status=ActionItemStatus.DONE)),
            on_time=Count("pk", filter=meeting_selectors.done_on_time()),
            overdue=Count("pk", filter=Q(status__in=PENDING, due_on__lt=today)),
        ),
    )


def _held_between(first: date, last: date) -> Q:
    """On SummaryMeeting: `meeting_selectors.held_between` the period's bounds."""
    return Q(status=MeetingStatus.HELD, day__gte=first, day__lte=last)


_SUMMARY_MEETINGS = Prepared(
    lambda first, last: (
        SummaryMeeting.objects.filter(_held_between(first, last))
        .order_by()
        .values("status")
        .annotate(held=Count("pk"), **{name: Sum(name) for name in ATTENDANCE_COUNTS})
    ),
    (day(0), day(1)),
)
_SUMMARY_ACTIVITIES = Prepared(
    lambda first, last: (
        SummaryActivity.objects.filter(activity_selectors.under_way(first, last))
        .order_by()
        .values_list("status", "type", "primary_pillar")
        .annotate(n=Count("pk"))
    ),
    (day(0), day(1)),
)
# One row an activity and place: counting rows counts activities.
_SUMMARY_PLACES = Prepared(
    lambda first, last: (
        SummaryPlace.objects.filter(activity_selectors.under_way(first, last))
        .order_by()
        .values_list("kind", "region")
        .annotate(n=Count("pk"))
    ),
    (day(0), day(1)),
)


def _people_breakdowns(by_group: QuerySet[Any], by_place: QuerySet[Any]) -> QuerySet[Any, Any]:
    """The people reached by target group, by place and by quarter, in one statement: from
    rows with a target group and a quarter, and rows with a place (the same rows, or the
    summary rows summed each way)."""
    sums = {sex: Sum(sex) for sex in SEXES}

    def by(rows: QuerySet[Any], name: str, column: str) -> QuerySet[Any, Any]:
        named = rows.order_by().values_list(Value(name), Cast(column, CharField()))
        return cast(QuerySet[Any, Any], named.annotate(**sums))

    return by(by_group, "group", "target_group").union(
        by(by_place, "place", "place"), by(by_group, "quarter", "quarter"), all=True
    )


def _summary_people(first: date, last: date) -> QuerySet[Any, Any]:
    ended = activity_selectors.ended(first, last)
    return _people_breakdowns(
        SummaryPeopleByGroup.objects.filter(ended), SummaryPeopleByPlace.objects.filter(ended)
    )


_SUMMARY_PEOPLE = Prepared(_summary_people, (day(0), day(1)))
# `raised_between` the period's bounds.
_SUMMARY_ITEMS = Prepared(
    lambda first, last, today: _item_groups(
        SummaryItem.objects.filter(day__gte=first, day__lte=last), today
    ),
    (day(0), day(1), day(2)),
)
# `since_within` the period.
_SUMMARY_TRENDS = Prepared(
    lambda first, last: (
        SummaryTrend.objects.filter(since__gte=first, since__lte=last)
        .order_by()
        .values_list("trend_type")
        .annotate(n=Count("pk"))
    ),
    (day(0), day(1)),
)
# `trend_selectors.without_response` today.
_SUMMARY_UNANSWERED = Prepared(
    lambda cutoff: (
        SummaryTrend.objects.exclude(status=TrendStatus.ARCHIVED)
        .filter(since__lte=cutoff, answered=False)
        .order_by()
        .values_list("answered")
        .annotate(n=Count("pk"))
    ),
    (day(0),),
)


def _national_figures(
    found: QuerySet[NationalFigure], period: Period, earlier: Period
) -> QuerySet[NationalFigure, tuple[Any, ...]]:
    """The national figures of a period and of the same period a year earlier, each saying
    whether it is the period's."""
    return found.filter(Q(**period_fields(period)) | Q(**period_fields(earlier))).values_list(
        "indicator",
        "source_agency_id",
        "source_agency__name",
        "source_agency__name_ru",
        "source_agency__name_uz",
        Case(When(starts_on=period.start, then=Value(True)), default=Value(False)),
        "value",
        "source",
        "label",
    )


# The secretariat's: every national figure (`dashboard_sees_everything`).
_SUMMARY_NATIONAL = Prepared(
    lambda kind, first, last, first_earlier, last_earlier: _national_figures(
        NationalFigure.objects.all(),
        Period(kind, first, last),
        Period(kind, first_earlier, last_earlier),
    ),
    (text(0), day(0), day(1), day(2), day(3)),
)
# Targets are the whole mechanism's: the same for every reader.
_TARGETS = Prepared(
    lambda kind, first, last: Target.objects.filter(
        **period_fields(Period(kind, first, last))
    ).values_list("indicator", "target_group", "value"),
    (text(0), day(0), day(1)),
)


_SUMMARY_REPRESENTATION = Prepared(
    lambda first, last: (
        SummaryMeeting.objects.filter(_held_between(first, last))
        .order_by("-starts_at", "-pk")
        .values(
            "pk",
            "day",
            "organisations",
            "groups",
            **{name: F(f"meeting__{name}") for name in ("title", "title_ru", "title_uz")},
        )[:MEETINGS_SHOWN]
    ),
    (day(0), day(1)),
)
_SUMMARY_COVERAGE = Prepared(
    lambda year: SummaryCoverage.objects.filter(year=year).values_list(
        "kind", "answered", "everything"
    ),
    (number(0),),
)


def _as_date(value: date | str) -> date:
    """A day read without Django's converters (SQLite gives its text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _days(scope: Scope) -> tuple[date, date]:
    return scope.period.start, scope.period.end


# Aggregates several figures share: one query each, computed once per scope.


def _once[T](scope: Scope, name: str, compute: Callable[[], T]) -> T:
    if name not in scope.memo:
        scope.memo[name] = compute()
    return cast(T, scope.memo[name])


def _meeting_counts(scope: Scope) -> dict[str, int]:
    """The meetings held, and their invitations: invited, attended and walk-ins, and all who
    attended by sex; two aggregates (one from the summary rows)."""

    def count() -> dict[str, int]:
        if _summarised(scope):
            found = _SUMMARY_MEETINGS.dicts(*_days(scope))
            return {name: (found[0][name] if found else 0) for name in ("held", *ATTENDANCE_COUNTS)}
        return {
            "held": held_meetings(scope).count(),
            **held_invitations(scope).aggregate(**_attendance()),
        }

    return _once(scope, "meetings", count)


def _owner_counts(scope: Scope) -> list[dict[str, Any]]:
    """The action items raised in the period by owner organisation, those with the most
    first: raised, done, on time and overdue today."""

    def count() -> list[dict[str, Any]]:
        if _summarised(scope):
            groups = _SUMMARY_ITEMS.dicts(*_days(scope), scope.today)
        else:
            groups = list(
                _item_groups(
                    meeting_selectors.with_completion_day(raised_items(scope)), scope.today
                )
            )
        return sorted(groups, key=lambda row: (-row["raised"], row["owner_organisation_id"]))

    return _once(scope, "owners", count)


def _item_counts(scope: Scope) -> dict[str, int]:
    """The action items raised in the period, summed over their owners' counts."""
    owners = _owner_counts(scope)
    return {name: sum(row[name] for row in owners) for name in ITEM_COUNTS}


def _tally(groups: Iterable[tuple[Any, ...]], names: Iterable[str]) -> dict[str, Any]:
    """Counts by each grouping column, and in all, from the rows of one grouped aggregate
    (a few hundred groups at most): `names` name the grouping columns, the last value of
    each group is its count."""
    names = tuple(names)
    found: dict[str, Any] = {}
    everything = 0
    for *codes, value in groups:
        everything += value
        for name, code in zip(names, codes, strict=True):
            key = f"{name}_{code}" if code else name
            found[key] = found.get(key, 0) + value
    if everything:
        found["all"] = everything
    return found


def _activity_counts(scope: Scope) -> dict[str, int]:
    """The activities under way: all, and by status, type and pillar; one grouped count."""

    def count() -> dict[str, int]:
        if _summarised(scope):
            return _tally(_SUMMARY_ACTIVITIES.rows(*_days(scope)), ("status", "type", "pillar"))
        groups = (
            activities_under_way(scope)
            .order_by()
            .values_list("status", "type", "primary_pillar")
            .annotate(n=Count("pk"))
        )
        return _tally(groups, ("status", "type", "pillar"))

    return _once(scope, "activities", count)


def _people_sums(scope: Scope) -> dict[str, tuple[int, int, int]]:
    """The people reached, (women, men, undisclosed): in all, by target group, by place (a
    region's code, or nationwide) and by the quarter their activity ended (its first day);
    one query."""

    def add_up() -> dict[str, tuple[int, int, int]]:
        if _summarised(scope):
            found = _SUMMARY_PEOPLE.rows(*_days(scope))
        else:
            rows = participant_rows(scope).annotate(
                quarter=TruncQuarter(_ended_on(), output_field=DateField()), place=_row_place()
            )
            found = list(_people_breakdowns(rows, rows))
        groups = [sums for name, _code, *sums in found if name == "group"]
        if groups:  # each participant row has one target group: all is their sum
            found.append(("all", None, *(sum(column) for column in zip(*groups, strict=True))))
        return {
            _sum_key(name, code): (female, male, undisclosed)
            for name, code, female, male, undisclosed in found
        }

    return _once(scope, "people", add_up)


def _sum_key(name: str, code: str | None) -> str:
    """A breakdown's key: a country abroad is counted in all, and in no place of Uzbekistan;
    a quarter is its first day (PostgreSQL writes it as a time at midnight, UTC)."""
    if not code:
        return name
    return f"{name}_{code[:10] if name == 'quarter' else code}"


def _people_of(sums: dict[str, tuple[int, int, int]], name: str) -> "People":
    return People(*sums.get(name, (0, 0, 0)))


def _trend_counts(scope: Scope) -> dict[str, int]:
    def count() -> dict[str, int]:
        if _summarised(scope):
            return _tally(_SUMMARY_TRENDS.rows(*_days(scope)), ("type",))
        groups = new_trends(scope).order_by().values_list("trend_type").annotate(n=Count("pk"))
        return _tally(groups, ("type",))

    return _once(scope, "trends", count)


# Links to the lists behind the figures.


def _link(url_name: str, head: dict[str, str], tail: dict[str, str] | None = None) -> str:
    """The list's address with `head` and then `tail` in its query string (a name in both
    takes the tail's value, in the head's place). Many links share a head (the period and
    the filters): it is encoded once."""
    if tail and tail.keys() & head.keys():
        head, tail = {**head, **tail}, None
    query = _encoded(tuple(head.items()))
    if tail:
        query = f"{query}&{urlencode(tail)}" if query else urlencode(tail)
    return f"{_path(url_name)}?{query}"


@lru_cache(maxsize=256)
def _encoded(params: tuple[tuple[str, str], ...]) -> str:
    return urlencode(params)


def _path(url_name: str) -> str:
    """A list's path, reversed once for each script prefix."""
    key = (url_name, get_script_prefix())
    if key not in _PATHS:
        _PATHS[key] = reverse(url_name)
    return _PATHS[key]


_PATHS: dict[tuple[str, str], str] = {}


def meetings_link(scope: Scope, **extra: str) -> str:
    if scope.organisation is not None:
        extra["organisation"] = str(scope.organisation)
    return _link("meetings:meeting_list", {"status": "held", **scope.period.query()}, extra)


def items_link(scope: Scope, **extra: str) -> str:
    if scope.organisation is not None:
        extra["organisation"] = str(scope.organisation)
    return _link("meetings:action_item_list", scope.period.query(), extra)


def activities_link(scope: Scope, **extra: str) -> str:
    return _link(
        "activities:activity_list",
        {"review": ReviewState.APPROVED, **scope.period.query(), **scope.filters()},
        extra,
    )


def trends_link(scope: Scope, *, in_period: bool = True, **extra: str) -> str:
    if scope.organisation is not None:
        extra["source"] = str(scope.organisation)
    if scope.region and scope.region != activity_selectors.NATIONWIDE:
        extra["region"] = scope.region
    return _link("activities:trend_list", scope.period.query() if in_period else {}, extra)


# The figures.


@dataclass(frozen=True)
class Figure:
    key: str
    title: Promise
    how: Promise
    compute: Callable[[Scope], Any]
    link: Callable[[Scope], str]


FIGURES: dict[str, Figure] = {}


def figure(
    key: str, *, title: Promise, how: Promise, link: Callable[[Scope], str]
) -> Callable[[Callable[[Scope], Any]], Callable[[Scope], Any]]:
    """Register a figure; what it counts (`how`, in English) becomes its docstring."""

    def register(compute: Callable[[Scope], Any]) -> Callable[[Scope], Any]:
        with translation.override(None):
            compute.__doc__ = str(how)
        FIGURES[key] = Figure(key, title, how, compute, link)
        return compute

    return register


@dataclass(frozen=True)
class Rate:
    """A share: `part` of `whole`, and beside it what neither counts."""

    part: int
    whole: int
    apart: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.part / self.whole) if self.whole else None


@dataclass(frozen=True)
class People:
    female: int = 0
    male: int = 0
    undisclosed: int = 0

    @property
    def total(self) -> int:
        return self.female + self.male + self.undisclosed


@dataclass(frozen=True)
class Row:
    """A line of a figure's table: a code, its label, its value and the list behind it."""

    code: str
    label: str
    value: Any
    link: str = ""


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    total: Any = None
    note: str = field(default="")


@figure(
    "meetings_held",
    title=_("Meetings held"),
    how=_(
        "Meetings marked held whose start falls within the period (days in the portal's "
        "time zone). With an organisation chosen, the meetings it was invited to."
    ),
    link=lambda scope: meetings_link(scope),
)
def meetings_held(scope: Scope) -> int:
    return _meeting_counts(scope)["held"]


@figure(
    "attendance",
    title=_("Attendance rate"),
    how=_(
        "Of the people invited to the meetings held in the period, the share recorded as "
        "attended. Walk-ins (people who came without an invitation) are counted apart and "
        "left out of the rate. With an organisation chosen, its own invitees only."
    ),
    link=lambda scope: meetings_link(scope),
)
def attendance(scope: Scope) -> Rate:
    counts = _meeting_counts(scope)
    return Rate(counts["attended"], counts["invited"], counts["walk_ins"])


@figure(
    "items_raised",
    title=_("Action items raised"),
    how=_(
        "Action items raised at meetings that started within the period, whatever their "
        "status now. With an organisation chosen, those it owns."
    ),
    link=lambda scope: items_link(scope),
)
def items_raised(scope: Scope) -> int:
    return _item_counts(scope)["raised"]


@figure(
    "items_done",
    title=_("Action items done"),
    how=_("Of the action items raised in the period, those marked done, on time or late."),
    link=lambda scope: items_link(scope, status=ActionItemStatus.DONE),
)
def items_done(scope: Scope) -> int:
    return _item_counts(scope)["done"]


@figure(
    "items_on_time",
    title=_("Done on time"),
    how=_(
        "Of the action items raised in the period, those marked done on or before the day "
        "they were due (the day of completion in the portal's time zone)."
    ),
    link=lambda scope: items_link(scope, on_time="yes"),
)
def items_on_time(scope: Scope) -> int:
    return _item_counts(scope)["on_time"]


@figure(
    "items_overdue",
    title=_("Overdue"),
    how=_(
        "Of the action items raised in the period, those still open or in progress today "
        "whose due date has passed."
    ),
    link=lambda scope: items_link(scope, overdue="yes"),
)
def items_overdue(scope: Scope) -> int:
    return _item_counts(scope)["overdue"]


@figure(
    "activities",
    title=_("Activities under way"),
    how=_(
        "Approved activities whose days overlap the period: actual dates where recorded, "
        "else planned ones. An activity that spans two quarters counts in each."
    ),
    link=lambda scope: activities_link(scope),
)
def activities(scope: Scope) -> int:
    return _activity_counts(scope).get("all", 0)


@figure(
    "people_reached",
    title=_("People reached"),
    how=_(
        "The women, men and people of undisclosed sex in the participant rows of approved "
        "activities whose last day (actual, else planned) falls within the period, so that "
        "each activity counts once, in the period it ended. With a region chosen, the rows "
        "of that region only."
    ),
    link=lambda scope: activities_link(scope, counted="ended"),
)
def people_reached(scope: Scope) -> People:
    return _people_of(_people_sums(scope), "all")


@figure(
    "trends_new",
    title=_("New trend notes"),
    how=_(
        "Trend notes whose observation began within the period (by the day recorded as "
        "observed from, else the day the note was written), whatever their status."
    ),
    link=lambda scope: trends_link(scope),
)
def trends_new(scope: Scope) -> int:
    return _trend_counts(scope).get("all", 0)


@figure(
    "trends_without_response",
    title=_("Trends without response"),
    how=_(
        "Today, whatever the period: trend notes not archived, observed (or written) more "
        "than a quarter ago, that no approved activity answers."
    ),
    link=lambda scope: trends_link(scope, in_period=False, without_response="yes"),
)
def trends_without_response(scope: Scope) -> int:
    if _summarised(scope):
        cutoff = trend_selectors.response_cutoff(scope.today)
        return sum(n for _answered, n in _SUMMARY_UNANSWERED.rows(cutoff))
    return trend_selectors.without_response(visible_trends(scope), scope.today).count()


# Tables: a figure broken down.


def _rows(
    counts: dict[str, Any],
    choices: Iterable[tuple[str, Any]],
    link: Callable[[str], str],
    empty: Any = 0,
) -> list[Row]:
    return [Row(code, str(label), counts.get(code, empty), link(code)) for code, label in choices]


def _breakdown(scope: Scope, prefix: str, choices: Iterable[tuple[str, Any]], param: str) -> Table:
    counts = _activity_counts(scope)
    rows = [
        Row(
            code,
            str(label),
            counts.get(f"{prefix}_{code}", 0),
            activities_link(scope, **{param: code}),
        )
        for code, label in choices
    ]
    return Table(rows, total=counts.get("all", 0))


@figure(
    "activities_by_status",
    title=_("Activities by status"),
    how=_("The activities under way in the period, by their approved status."),
    link=lambda scope: activities_link(scope),
)
def activities_by_status(scope: Scope) -> Table:
    return _breakdown(scope, "status", ActivityStatus.choices, "status")


@figure(
    "activities_by_type",
    title=_("Activities by type"),
    how=_("The activities under way in the period, by type."),
    link=lambda scope: activities_link(scope),
)
def activities_by_type(scope: Scope) -> Table:
    return _breakdown(scope, "type", ActivityType.choices, "type")


@figure(
    "activities_by_pillar",
    title=_("Activities by pillar"),
    how=_("The activities under way in the period, by their main pillar."),
    link=lambda scope: activities_link(scope),
)
def activities_by_pillar(scope: Scope) -> Table:
    return _breakdown(scope, "pillar", Pillar.choices, "pillar")


def _places(scope: Scope) -> list[tuple[str, str]]:
    """The regions of Uzbekistan and "nationwide", or the one a region filter keeps."""
    places = [
        *((code, str(label)) for code, label in Region.choices),
        (activity_selectors.NATIONWIDE, str(LocationKind.NATIONAL.label)),
    ]
    return [(code, label) for code, label in places if not scope.region or code == scope.region]


@figure(
    "activities_by_region",
    title=_("Activities by region"),
    how=_(
        "The activities under way in the period, by the regions of Uzbekistan they are held "
        "in, and those held nationwide. An activity held in two regions counts in each, so "
        "the rows add up to more than the activities."
    ),
    link=lambda scope: activities_link(scope),
)
def activities_by_region(scope: Scope) -> Table:
    if _summarised(scope):
        found: Iterable[tuple[str, str, int]] = _SUMMARY_PLACES.rows(*_days(scope))
    else:
        found = (
            ActivityLocation.objects.filter(activity__in=activities_under_way(scope))
            .order_by()
            .values_list("kind", "region")
            .annotate(n=Count("activity_id", distinct=True))
        )
    counts: dict[str, int] = {}
    for kind, region, n in found:
        if kind == LocationKind.NATIONAL:
            counts[activity_selectors.NATIONWIDE] = n
        elif kind == LocationKind.REGION:
            counts[region] = n
    return Table(_rows(counts, _places(scope), lambda code: activities_link(scope, region=code)))


@figure(
    "people_by_group",
    title=_("People reached by target group"),
    how=_("The people reached in the period, by the target group of each participant row."),
    link=lambda scope: activities_link(scope, counted="ended"),
)
def people_by_group(scope: Scope) -> Table:
    sums = _people_sums(scope)
    rows = [
        Row(
            code,
            str(label),
            _people_of(sums, f"group_{code}"),
            activities_link(scope, counted="ended", target_group=code),
        )
        for code, label in TargetGroup.choices
    ]
    return Table(rows, total=_people_of(sums, "all"))


@figure(
    "people_by_region",
    title=_("People reached by region"),
    how=_(
        "The people reached in the period, by the place of each participant row: a region of "
        "Uzbekistan, or nationwide. Rows abroad are in the total only."
    ),
    link=lambda scope: activities_link(scope, counted="ended"),
)
def people_by_region(scope: Scope) -> Table:
    sums = _people_sums(scope)
    rows = [
        Row(
            code,
            label,
            _people_of(sums, f"place_{code}"),
            activities_link(scope, counted="ended", region=code),
        )
        for code, label in _places(scope)
    ]
    return Table(rows, total=_people_of(sums, "all"))


@figure(
    "people_by_quarter",
    title=_("People reached by quarter"),
    how=_(
        "The people reached, by the calendar quarter in which their activity ended; the "
        "first and last quarters only as far as the period reaches into them."
    ),
    link=lambda scope: activities_link(scope, counted="ended"),
)
def people_by_quarter(scope: Scope) -> Table:
    sums = _people_sums(scope)
    rows = [
        Row(
            quarter.start.isoformat(),
            quarter.label,
            _people_of(sums, f"quarter_{quarter.start.isoformat()}"),
            activities_link(scope.within(_clipped(quarter, scope.period)), counted="ended"),
        )
        for quarter in scope.period.quarters()
    ]
    return Table(rows, total=_people_of(sums, "all"))


def _clipped(quarter: Period, period: Period) -> Period:
    """The part of a quarter within a period: the quarter itself, or custom dates."""
    start, end = max(quarter.start, period.start), min(quarter.end, period.end)
    if (start, end) == (quarter.start, quarter.end):
        return quarter
    return Period("custom", start, end)


@figure(
    "items_by_owner",
    title=_("Action items by owner organisation"),
    how=_(
        "The action items raised in the period, by the organisation that owns them: raised, "
        "done, done on time and overdue today; the organisations with the most items first."
    ),
    link=lambda scope: items_link(scope),
)
def items_by_owner(scope: Scope) -> Table:
    rows = [
        Row(
            str(row["owner_organisation_id"]),
            in_reader_language(*(row[name] for name in OWNER_NAMES[1:])),
            {key: row[key] for key in ITEM_COUNTS},
            # The register's organisation filter takes active organisations only.
            items_link(replace(scope, organisation=row["owner_organisation_id"]))
            if row["owner_organisation__is_active"]
            else "",
        )
        for row in _owner_counts(scope)[:OWNERS_SHOWN]
    ]
    return Table(rows)


@figure(
    "trends_by_type",
    title=_("New trend notes by kind"),
    how=_("The trend notes new in the period, by the kind of trend."),
    link=lambda scope: trends_link(scope),
)
def trends_by_type(scope: Scope) -> Table:
    counts = _trend_counts(scope)
    rows = [
        Row(code, str(label), counts.get(f"type_{code}", 0), trends_link(scope, trend_type=code))
        for code, label in TrendType.choices
    ]
    return Table(rows, total=counts.get("all", 0))


# The meetings the table of representation shows, the latest first.
MEETINGS_SHOWN = 24


@figure(
    "representation",
    title=_("Organisations and groups at each meeting"),
    how=_(
        "For each meeting held in the period (the latest 24 when there are more), the "
        "organisations and the stakeholder groups with at least one person recorded as "
        "attended, walk-ins included."
    ),
    link=lambda scope: meetings_link(scope),
)
def representation(scope: Scope) -> Table:
    titles = ("title", "title_ru", "title_uz")
    if _summarised(scope):
        meetings = _SUMMARY_REPRESENTATION.dicts(*_days(scope))
    else:
        latest = held_meetings(scope).order_by("-starts_at", "-pk")[:MEETINGS_SHOWN]
        meetings = list(latest.values("pk", "starts_at", *titles))
        found: dict[int, tuple[int, int]] = {
            meeting: (organisations, groups)
            for meeting, organisations, groups in Invitation.objects.filter(
                # A subquery, not the ids read: one query even when there are none.
                meeting_id__in=latest.values("pk"),
                attendance=Attendance.ATTENDED,
            )
            .order_by()
            .values_list("meeting_id")
            .annotate(
                organisations=Count("organisation", distinct=True),
                groups=Count("organisation__stakeholder_group", distinct=True),
            )
        }
        for meeting in meetings:
            meeting["organisations"], meeting["groups"] = found.get(meeting["pk"], (0, 0))
    rows = [
        Row(
            str(meeting["pk"]),
            in_reader_language(*(meeting[name] for name in titles)),
            {
                "day": _as_date(meeting["day"])
                if "day" in meeting
                else timezone.localdate(meeting["starts_at"]),
                "organisations": meeting["organisations"],
                "groups": meeting["groups"],
            },
            reverse("meetings:meeting_detail", args=[meeting["pk"]]),
        )
        for meeting in reversed(meetings)
    ]
    return Table(rows)


@figure(
    "attendance_by_sex",
    title=_("Attendance by sex"),
    how=_(
        "The people recorded as attended at the meetings held in the period, walk-ins "
        "included, by the sex their directory entry gives (counted, never required: "
        "undisclosed when not given). With an organisation chosen, its own people only."
    ),
    link=lambda scope: meetings_link(scope),
)
def attendance_by_sex(scope: Scope) -> Table:
    counts = _meeting_counts(scope)
    link = meetings_link(scope)
    return Table(
        [Row(sex, str(label), counts[sex], link) for sex, label in Sex.choices],
        total=sum(counts[sex] for sex in SEXES),
    )


@figure(
    "coverage",
    title=_("Framework references answered"),
    how=_(
        "Of the National Action Plan measures and TIP Report recommendations of the year the "
        "period ends in, those that a decision, an action item or an approved activity the "
        "reader may see answers, at any time."
    ),
    link=lambda scope: _link("meetings:framework_coverage", {"year": str(scope.period.end.year)}),
)
def coverage(scope: Scope) -> Table:
    year = scope.period.end.year
    if _summarised(scope):
        counted: Iterable[tuple[str, int, int]] = _SUMMARY_COVERAGE.rows(year)
    else:
        counted = (
            FrameworkReference.objects.visible_to(scope.user)
            .filter(year=year)
            .order_by()
            .values_list("kind")
            .annotate(
                answered=Count("pk", filter=framework_coverage.answered(scope.user)),
                everything=Count("pk"),
            )
        )
    found = {
        kind: {"answered": answered, "all": everything} for kind, answered, everything in counted
    }
    return Table(
        [
            Row(
                kind,
                str(label),
                found.get(kind, {"answered": 0, "all": 0}),
                _link(
                    "meetings:framework_coverage",
                    {"kind": kind, "year": str(year), "answered": "yes"},
                ),
            )
            for kind, label in FrameworkKind.choices
        ]
    )


@figure(
    "targets",
    title=_("Targets"),
    how=_(
        "The targets the secretariat set for exactly this period, shown beside their figures "
        "when no filter is chosen (a target is the whole mechanism's)."
    ),
    link=lambda scope: _link("dashboard_targets", scope.period.query()),
)
def targets(scope: Scope) -> Table:
    if scope.filters():
        return Table([])
    found = _TARGETS.rows(scope.period.kind, *_days(scope))
    return Table(
        [
            Row(f"{indicator}:{group}" if group else indicator, "", value)
            for indicator, group, value in found
        ]
    )


@figure(
    "national",
    title=_("State of trafficking"),
    how=_(
        "The totals the state agencies reported for exactly this period, as the secretariat "
        "entered them, beside what the same agency reported for the same period a year "
        "earlier. Counts only, never case data; national, so no filter applies to them."
    ),
    link=lambda scope: _link("national_figures", scope.period.query()),
)
def national(scope: Scope) -> Table:
    earlier = scope.period.a_year_earlier()
    if _summarised(scope):
        found: Iterable[tuple[Any, ...]] = _SUMMARY_NATIONAL.rows(
            scope.period.kind, *_days(scope), earlier.start, earlier.end
        )
    else:
        found = _national_figures(
            NationalFigure.objects.visible_to(scope.user), scope.period, earlier
        )
    by_key: dict[tuple[str, int], dict[str, Any]] = {}
    for indicator, agency, name, name_ru, name_uz, current, value, source, label in found:
        row = by_key.setdefault(
            (indicator, agency),
            {"agency": in_reader_language(name, name_ru, name_uz), "value": None, "earlier": None},
        )
        if current:
            row.update(value=value, source=source, label=str(Label(label).label))
        else:
            row["earlier"] = value
    order = {code: index for index, code in enumerate(NationalIndicator.values)}
    rows = [
        Row(indicator, str(NationalIndicator(indicator).label), shown)
        for (indicator, _agency), shown in sorted(
            by_key.items(), key=lambda item: (order[item[0][0]], item[1]["agency"])
        )
        if shown["value"] is not None
    ]
    return Table(rows)


# Cached figures live a day at most: the overdue and without-response figures are today's.
CACHE_SECONDS = 24 * 60 * 60


def cache_key(scope: Scope, version: int) -> str:
    """What makes figures the same: the data version; a reader who sees the same (role,
    organisation and person); the day; the language; the period and the filters."""
    user = scope.user
    person = user.person
    parts = (
        version,
        user.pk,  # what one wrote may be theirs alone to see (a note, a red record)
        user.role,
        person.organisation_id if person is not None else None,
        person.pk if person is not None else None,
        translation.get_language(),
        scope.today.isoformat(),
        scope.period,
        sorted(scope.filters().items()),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def values(scope: Scope, keys: Iterable[str], version: int) -> dict[str, Any]:
    """The figures named by `keys` for a scope, from the cache when they were computed for
    the same `cache_key`."""
    keys = tuple(keys)
    return remembered(
        ("figures", cache_key(scope, version), keys),
        lambda: {key: FIGURES[key].compute(scope) for key in keys},
        CACHE_SECONDS,
    )


KEY_FIGURES = (
    "meetings_held",
    "attendance",
    "activities",
    "people_reached",
    "items_raised",
    "items_done",
    "items_on_time",
    "items_overdue",
    "trends_new",
    "trends_without_response",
)
# What a donor's home page shows, for the current quarter.
HOME_FIGURES = ("meetings_held", "activities", "people_reached")
# Counted as of today, whatever the period: no year-earlier figure beside them.
TODAY_ONLY = frozenset({"trends_without_response"})
# The key figures shown again for the same period a year earlier.
COMPARED = tuple(key for key in KEY_FIGURES if key not in TODAY_ONLY)
TABLES = (
    "activities_by_status",
    "activities_by_type",
    "activities_by_pillar",
    "activities_by_region",
    "people_by_group",
    "people_by_region",
    "people_by_quarter",
    "items_by_owner",
    "trends_by_type",
    "representation",
    "attendance_by_sex",
    "coverage",
    "national",
    "targets",
)
