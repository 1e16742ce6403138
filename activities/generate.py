"""The activities' part of `manage.py generate_data`: about 1,000 activities at scale 1, led
by the generated organisations, each in one to three places with participant rows, most
approved, some drafts, submitted or returned; about 200 trend notes; and for the dashboard,
the national figures three generated agencies report each year, and targets for each year.
Generated activities have a code starting `GEN-`, generated targets the note "Generated":
that is how the command knows its own records (national figures are its own when their
agency is a generated organisation)."""

import random
from collections.abc import Callable
from datetime import date, timedelta

from activities.dashboard_models import Indicator, NationalFigure, NationalIndicator, Target
from activities.models import (
    Activity,
    ActivityLocation,
    ActivityParticipants,
    ActivityStatus,
    ActivityType,
    LocationKind,
    Pillar,
    Region,
    ReviewState,
    TargetGroup,
)
from activities.trend_models import (
    Confidence,
    Direction,
    ExploitationForm,
    RecruitmentMethod,
    TrendNote,
    TrendResponse,
    TrendSource,
    TrendStatus,
    TrendType,
)
from meetings.generate import SERIES_PREFIX, generated_references
from meetings.models import Meeting
from portal.lib.sensitivity import Label
from stakeholders.generate import EMAIL_DOMAIN, WEBSITE_PREFIX
from stakeholders.models import Organisation, Role, User

ACTIVITIES_PER_SCALE = 1000
CODE_PREFIX = "GEN-"
BATCH_SIZE = 1000
# Activities spread over three years up to half a year after this, from a fixed day so that
# the same seed makes the same activities.
EPOCH = date(2026, 1, 5)
REVIEW_STATES = [ReviewState.APPROVED] * 7 + [
    ReviewState.DRAFT,
    ReviewState.SUBMITTED,
    ReviewState.RETURNED,
]
LABELS = [Label.GREEN] * 3 + [Label.AMBER] * 2 + [Label.CLEAR]


def foreign_records() -> list[str]:
    """What the database holds of activities that this generator did not make."""
    count = Activity.objects.exclude(code__startswith=CODE_PREFIX).count()
    notes = TrendNote.objects.exclude(code__startswith=TREND_CODE_PREFIX).count()
    targets = Target.objects.exclude(note=TARGET_NOTE).count()
    figures = NationalFigure.objects.exclude(
        source_agency__website__startswith=WEBSITE_PREFIX
    ).count()
    return (
        [f"{count} activities"] * bool(count)
        + [f"{notes} trend notes"] * bool(notes)
        + [f"{targets} targets"] * bool(targets)
        + [f"{figures} national figures"] * bool(figures)
    )


def clear(*, log: Callable[[str], None]) -> None:
    Target.objects.filter(note=TARGET_NOTE).delete()
    NationalFigure.objects.filter(source_agency__website__startswith=WEBSITE_PREFIX).delete()
    TrendNote.history.filter(code__startswith=TREND_CODE_PREFIX).delete()
    TrendNote.objects.filter(code__startswith=TREND_CODE_PREFIX).delete()
    deleted = Activity.objects.filter(code__startswith=CODE_PREFIX).delete()[0]
    if deleted:
        log(f"removed earlier generated activities ({deleted} objects, with what cascades)")


def generate(*, scale: float, rng: random.Random, log: Callable[[str], None]) -> None:
    leads = list(
        Organisation.objects.filter(website__startswith=WEBSITE_PREFIX, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not leads:
        log("no generated organisations to lead activities: no activities")
        return
    count = max(1, round(ACTIVITIES_PER_SCALE * scale))
    activities = []
    for number in range(1, count + 1):
        start = EPOCH + timedelta(days=rng.randint(-3 * 365, 180))
        end = start + timedelta(days=rng.choice([0, 1, 2, 4, 30]))
        past = end < EPOCH
        status = ActivityStatus.COMPLETED if past else ActivityStatus.PLANNED
        groups = rng.sample(TargetGroup.values, rng.randint(1, 3))
        activity = Activity(
            code=f"{CODE_PREFIX}{number:06d}",
            title=f"{rng.choice(ActivityType.labels)} {number}",
            type=rng.choice(ActivityType.values),
            primary_pillar=rng.choice(Pillar.values),
            target_groups=groups,
            lead_organisation_id=rng.choice(leads),
            status=status,
            planned_start=start,
            planned_end=end,
            actual_start=start if past else None,
            actual_end=end if past else None,
            review_state=rng.choice(REVIEW_STATES),
            label=rng.choice(LABELS),
        )
        activity.refresh_search_text()
        activities.append(activity)
    Activity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
    locations = []
    for activity in activities:
        for region in rng.sample(Region.values, rng.randint(1, 3)):
            locations.append(
                ActivityLocation(activity=activity, kind=LocationKind.REGION, region=region)
            )
    ActivityLocation.objects.bulk_create(locations, batch_size=BATCH_SIZE)
    by_activity: dict[int, list[ActivityLocation]] = {}
    for location in locations:
        by_activity.setdefault(location.activity_id, []).append(location)
    rows = [
        ActivityParticipants(
            activity=activity,
            target_group=group,
            location=location,
            female=rng.randint(0, 30),
            male=rng.randint(0, 30),
            undisclosed=rng.randint(0, 3),
        )
        for activity in activities
        if activity.status == ActivityStatus.COMPLETED
        for location in by_activity[activity.pk]
        for group in activity.target_groups
    ]
    ActivityParticipants.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    references = generated_references()
    tags = [
        Tags(activity=activity, frameworkreference_id=reference)
        for activity in activities
        if references and activity.review_state == ReviewState.APPROVED and rng.random() < 0.4
        for reference in rng.sample(references, min(len(references), rng.randint(1, 2)))
    ]
    Tags.objects.bulk_create(tags, batch_size=BATCH_SIZE)
    notes, links = _trends(activities, leads, scale=scale, rng=rng)
    figures, targets = _dashboard(leads, scale=scale, rng=rng)
    log(
        f"activities: {len(activities)}, {len(locations)} places, {len(rows)} participant rows, "
        f"{len(tags)} framework tags; {notes} trend notes, {links} links to meetings and "
        f"activities; {figures} national figures, {targets} targets"
    )


TRENDS_PER_SCALE = 200
TREND_CODE_PREFIX = "TRD-GEN-"
TREND_STATUSES = [TrendStatus.NEW] * 3 + [TrendStatus.MONITORING] * 3 + [TrendStatus.ADDRESSED] * 2


def _trends(
    activities: list[Activity], leads: list[int], *, scale: float, rng: random.Random
) -> tuple[int, int]:
    """Trend notes from the generated organisations, each discussed at a generated meeting
    or two, a third answered by an activity; some archived."""
    count = max(1, round(TRENDS_PER_SCALE * scale))
    meetings = list(
        Meeting.objects.filter(series__title__startswith=SERIES_PREFIX).values_list("pk", flat=True)
    )
    notes = []
    for number in range(1, count + 1):
        observed = EPOCH - timedelta(days=rng.randint(0, 3 * 365))
        status = rng.choice([*TREND_STATUSES, TrendStatus.ARCHIVED])
        note = TrendNote(
            code=f"{TREND_CODE_PREFIX}{number:06d}",
            title=f"{rng.choice(TrendType.labels)} {number}",
            summary="A pattern seen by partners in the field.",
            trend_type=rng.choice(TrendType.values),
            recruitment_methods=rng.sample(RecruitmentMethod.values, rng.randint(0, 2)),
            exploitation_forms=rng.sample(ExploitationForm.values, rng.randint(0, 2)),
            direction=rng.choice(["", *Direction.values]),
            destination_countries=rng.sample(["TR", "RU", "KZ", "AE", "IN", "TH"], 1),
            regions=rng.sample(Region.values, rng.randint(0, 2)),
            source_type=rng.choice(TrendSource.values),
            source_organisation_id=rng.choice(leads),
            confidence=rng.choice(Confidence.values),
            observed_from=observed,
            observed_to=observed + timedelta(days=rng.randint(0, 180)),
            status=status,
            archive_reason="No longer seen." if status == TrendStatus.ARCHIVED else "",
            label=rng.choice(LABELS),
        )
        note.refresh_search_text()
        notes.append(note)
    TrendNote.objects.bulk_create(notes, batch_size=BATCH_SIZE)
    Discussed = TrendNote.meetings.through
    discussed = (
        [
            Discussed(trendnote=note, meeting_id=meeting)
            for note in notes
            for meeting in rng.sample(meetings, min(len(meetings), rng.randint(1, 2)))
        ]
        if meetings
        else []
    )
    Discussed.objects.bulk_create(discussed, batch_size=BATCH_SIZE)
    responses = [
        TrendResponse(trend=note, activity=rng.choice(activities), note="Answers it in part.")
        for note in notes
        if note.status == TrendStatus.ADDRESSED or rng.random() < 0.2
    ]
    TrendResponse.objects.bulk_create(responses, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(notes), len(discussed) + len(responses)


Tags = Activity.framework_references.through


# National figures come from a few agencies, however large the directory.
AGENCIES = 3
TARGET_NOTE = "Generated"
# The years the generated activities span, and the one after.
YEARS = range(EPOCH.year - 3, EPOCH.year + 1)


def _dashboard(leads: list[int], *, scale: float, rng: random.Random) -> tuple[int, int]:
    """National figures of each year from a few generated agencies, and each year's targets."""
    author = User.objects.filter(role=Role.SECRETARIAT, email__endswith=EMAIL_DOMAIN).first()
    if author is None:
        return 0, 0
    agencies = leads[:AGENCIES]
    figures = [
        NationalFigure(
            indicator=indicator,
            source_agency_id=agency,
            period_kind="year",
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
            value=rng.randint(5, 400),
            source=f"Annual report {year}",
            label=rng.choice([Label.CLEAR, Label.GREEN, Label.GREEN, Label.AMBER]),
            created_by=author,
        )
        for year in YEARS
        for agency in agencies
        for indicator in NationalIndicator.values
    ]
    NationalFigure.objects.bulk_create(figures, batch_size=BATCH_SIZE)
    aims = [
        (Indicator.MEETINGS_HELD, "", 4),
        (Indicator.ATTENDANCE, "", 80),
        (Indicator.ACTIVITIES, "", round(ACTIVITIES_PER_SCALE * scale / 3) or 1),
        (Indicator.PEOPLE_REACHED, "", round(30000 * scale) or 1),
        (Indicator.PEOPLE_REACHED, TargetGroup.POLICE, round(2000 * scale) or 1),
    ]
    targets = [
        Target(
            indicator=indicator,
            target_group=group,
            value=value,
            period_kind="year",
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
            note=TARGET_NOTE,
            created_by=author,
        )
        for year in YEARS
        for indicator, group, value in aims
    ]
    Target.objects.bulk_create(targets, batch_size=BATCH_SIZE)
    return len(figures), len(targets)
