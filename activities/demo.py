"""The activities' part of the demo story: what the Fourth meeting heard announced (the
Training of Trainers seminar, the airport-staff trainings in three regions, the Estonian
study visit), earlier activities for some history, and INL's award funding the airport
trainings. Counts are plausible, not facts."""

from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import models

from activities.dashboard_models import Indicator, NationalFigure, NationalIndicator, Target
from activities.models import (
    Activity,
    ActivityLocation,
    ActivityOrganisation,
    ActivityParticipants,
    ActivityStatus,
    Award,
    CallForUpdates,
    LocationKind,
    OrganisationRole,
    OrganisationUpdate,
    ReviewState,
    TargetGroup,
)
from activities.trend_models import TrendNote, TrendResponse, TrendStatus
from meetings.demo import framework_reference
from meetings.models import FrameworkKind, Meeting
from portal.lib.demo import ensure
from portal.lib.sensitivity import Label
from portal.models import DemoRecord
from stakeholders.models import Organisation, User

# (key, title, type, pillar, target groups, lead, status, planned start, end, review,
#  places [(kind, code)], participants [(group, place index, female, male, undisclosed)],
#  funded by the INL award, announced at the fourth meeting)
ACTIVITIES: list[tuple[Any, ...]] = [
    (
        "tot",
        "Training of Trainers seminar on trafficking in persons",
        "training_of_trainers",
        "prevention",
        ["police", "prosecutors", "social_workers"],
        "unodc",
        ActivityStatus.COMPLETED,
        date(2023, 11, 6),
        date(2023, 11, 8),
        ReviewState.APPROVED,
        [("region", "UZ-TK")],
        [("police", 0, 6, 9, 0), ("prosecutors", 0, 4, 3, 0), ("social_workers", 0, 5, 1, 0)],
        False,
        True,
    ),
    *[
        (
            f"airport-{code}",
            f"Training for airport employees in {name}",
            "training",
            "prevention",
            ["airport_transport_staff", "border_migration_officers"],
            "iom",
            ActivityStatus.COMPLETED,
            date(2023, 11, day),
            date(2023, 11, day + 1),
            ReviewState.APPROVED,
            [("region", code)],
            [
                ("airport_transport_staff", 0, women, men, 1),
                ("border_migration_officers", 0, 2, 7, 0),
            ],
            True,
            True,
        )
        for code, name, day, women, men in (
            ("UZ-BU", "Bukhara", 14, 11, 9),
            ("UZ-FA", "Fergana", 21, 8, 12),
            ("UZ-NG", "Namangan", 28, 10, 10),
        )
    ],
    (
        "estonia",
        "Study visit of the delegation of the Republic of Estonia",
        "study_visit",
        "partnership",
        ["police", "labour_inspectors"],
        "mia",
        ActivityStatus.PLANNED,
        date(2024, 3, 12),
        date(2024, 3, 15),
        ReviewState.SUBMITTED,
        [("region", "UZ-TK")],
        [],
        False,
        True,
    ),
    (
        "campaign-2023",
        "Awareness campaign on safe labour migration",
        "awareness_campaign",
        "prevention",
        ["labour_migrants", "general_public"],
        "istiqbolli-avlod",
        ActivityStatus.COMPLETED,
        date(2023, 4, 1),
        date(2023, 6, 30),
        ReviewState.APPROVED,
        [("national", "")],
        [("labour_migrants", 0, 310, 420, 35)],
        False,
        False,
    ),
]


def _record[M: models.Model](key: str, model: type[M]) -> M | None:
    record = DemoRecord.objects.filter(key=key).first()
    return model._default_manager.filter(pk=record.object_id).first() if record else None


def load() -> list[str]:
    """Create what is missing of the activities' demo data; return what was created."""
    inl = _record("organisation:inl", Organisation)
    if inl is None:
        return []
    created: list[str] = []
    award, new = ensure(
        "activities:award:inl",
        Award,
        match={"donor": inl, "number": "INL-UZ-2023-01"},
        create=partial(
            Award.objects.create,
            donor=inl,
            number="INL-UZ-2023-01",
            title="Frontline officers' capacity against trafficking in persons",
            starts_on=date(2023, 1, 1),
            ends_on=date(2025, 12, 31),
            ceiling=Decimal("250000"),
            currency="USD",
        ),
    )
    if new:
        created.append(f"award {award.number}")
    fourth = _record("meetings:meeting:4", Meeting)
    for index, row in enumerate(ACTIVITIES, start=1):
        (
            key,
            title,
            kind,
            pillar,
            groups,
            lead_key,
            status,
            start,
            end,
            review,
            places,
            counts,
            funded,
            announced,
        ) = row
        lead = _record(f"organisation:{lead_key}", Organisation)
        if lead is None:
            continue
        activity, new = ensure(
            f"activities:activity:{key}",
            Activity,
            match={"title": title, "lead_organisation": lead},
            create=partial(
                Activity.objects.create,
                code=f"ACT-{start.year}-{900 + index:04d}",
                title=title,
                type=kind,
                primary_pillar=pillar,
                target_groups=groups,
                lead_organisation=lead,
                status=status,
                planned_start=start,
                planned_end=end,
                actual_start=start if status == ActivityStatus.COMPLETED else None,
                actual_end=end if status == ActivityStatus.COMPLETED else None,
                review_state=review,
                label=Label.GREEN,
                award=award if funded else None,
                meeting=fourth if announced else None,
            ),
        )
        _tag(activity, key)
        if not new:
            continue
        locations = [
            ActivityLocation.objects.create(
                activity=activity,
                kind=place_kind,
                region=code if place_kind == LocationKind.REGION else "",
            )
            for place_kind, code in places
        ]
        ActivityParticipants.objects.bulk_create(
            ActivityParticipants(
                activity=activity,
                target_group=group,
                location=locations[place],
                female=women,
                male=men,
                undisclosed=undisclosed,
            )
            for group, place, women, men, undisclosed in counts
        )
        if funded:
            ActivityOrganisation.objects.create(
                activity=activity, organisation=inl, role=OrganisationRole.FUNDING
            )
        created.append(f"activity {title}")
    created.extend(_call_for_updates())
    created.extend(_trends(fourth))
    created.extend(_dashboard())
    return created


# The trends the Fourth meeting discussed: (key, title, summary, type, source organisation,
# source, confidence, observed from, status, extra fields, responding activities)
TRENDS: list[tuple[Any, ...]] = [
    (
        "social-media",
        "Recruitment through social media and messaging apps",
        "Partners see more offers of work abroad spread through social networks and messaging "
        "channels, with fake agencies asking for fees up front and moving the conversation to "
        "private chats. The offers target young people looking for seasonal work.",
        "recruitment_method",
        "iom",
        "partner_observation",
        "corroborated",
        date(2023, 6, 1),
        TrendStatus.NEW,
        {
            "recruitment_methods": ["online_social_networks", "online_advertisement"],
            "direction": "outbound",
            "target_groups": ["labour_migrants", "educators_students"],
        },
        [],
    ),
    (
        "third-countries",
        "Routes from Uzbekistan to third countries such as India, Turkey and Thailand",
        "Recruiters route people through third countries, with tourist visas and connecting "
        "flights, to destinations other than the ones promised. Airport staff are among the "
        "few who see travellers before they leave.",
        "route",
        "mia",
        "official_statistics",
        "confirmed",
        date(2023, 4, 1),
        TrendStatus.ADDRESSED,
        {
            "direction": "outbound",
            "origin_countries": ["UZ"],
            "transit_countries": ["TR"],
            "destination_countries": ["IN", "TH"],
            "target_groups": ["labour_migrants"],
            "regions": ["UZ-BU", "UZ-FA", "UZ-NG"],
        },
        ["airport-UZ-BU", "airport-UZ-FA", "airport-UZ-NG"],
    ),
    (
        "vulnerable-migrants",
        "Exploitation of vulnerable populations, migrants among them",
        "Labour migrants without a written contract, and their families left behind, are "
        "exploited in forced labour at home and abroad; returning migrants are rarely asked "
        "about what happened to them.",
        "vulnerable_group",
        "istiqbolli-avlod",
        "partner_observation",
        "reported",
        date(2023, 1, 1),
        TrendStatus.MONITORING,
        {
            "exploitation_forms": ["forced_labour"],
            "direction": "internal",
            "target_groups": ["labour_migrants"],
        },
        ["tot"],
    ),
]


def _trends(fourth: Meeting | None) -> list[str]:
    created = []
    for index, (
        key,
        title,
        summary,
        kind,
        source_key,
        source,
        confidence,
        since,
        status,
        extra,
        answers,
    ) in enumerate(TRENDS, start=1):
        source_organisation = _record(f"organisation:{source_key}", Organisation)
        if source_organisation is None:
            continue
        note, new = ensure(
            f"activities:trend:{key}",
            TrendNote,
            match={"title": title},
            create=partial(
                TrendNote.objects.create,
                code=f"TRD-2023-{900 + index:04d}",
                title=title,
                summary=summary,
                trend_type=kind,
                source_type=source,
                source_organisation=source_organisation,
                confidence=confidence,
                observed_from=since,
                status=status,
                label=Label.GREEN,
                **extra,
            ),
        )
        if not new:
            continue
        if fourth is not None:
            note.meetings.add(fourth)
        for activity_key in answers:
            activity = _record(f"activities:activity:{activity_key}", Activity)
            if activity is not None:
                TrendResponse.objects.get_or_create(trend=note, activity=activity)
        created.append(f"trend note {title}")
    return created


# What the seed's activities answer of the 2023 frameworks, by demo key.
NAP, TIP = FrameworkKind.NAP_MEASURE, FrameworkKind.TIP_RECOMMENDATION
TAGS = {
    "tot": [(NAP, "2.3"), (TIP, "R3")],
    "airport-UZ-BU": [(NAP, "2.3"), (TIP, "R3")],
    "airport-UZ-FA": [(NAP, "2.3"), (TIP, "R3")],
    "airport-UZ-NG": [(NAP, "2.3"), (TIP, "R3")],
    "estonia": [(NAP, "4.1")],
    "campaign-2023": [(NAP, "1.1"), (TIP, "R5")],
}


def _tag(activity: Activity, key: str) -> None:
    if activity.framework_references.exists():
        return
    found = [framework_reference(kind, code) for kind, code in TAGS.get(key, [])]
    activity.framework_references.add(*[reference for reference in found if reference])


def _call_for_updates() -> list[str]:
    """An open call for updates before the planned Fifth meeting, a week before it."""
    fifth = _record("meetings:meeting:5", Meeting)
    if fifth is None:
        return []
    call, new = ensure(
        "activities:call:5",
        CallForUpdates,
        match={"meeting": fifth},
        create=partial(
            CallForUpdates.objects.create,
            meeting=fifth,
            deadline=fifth.local_start.date() - timedelta(days=7),
        ),
    )
    if not new:
        return []
    organisations = set(fifth.organisation_invitations.values_list("organisation_id", flat=True))
    OrganisationUpdate.objects.bulk_create(
        OrganisationUpdate(call=call, organisation_id=pk) for pk in sorted(organisations)
    )
    return [f"call for updates before {fifth.title}"]


# Made-up demo figures of the kind the agencies report for the "state of trafficking" item:
# (key, indicator, agency key, calendar year, count, label).
NATIONAL_FIGURES = [
    ("mia-identified-2022", NationalIndicator.VICTIMS_IDENTIFIED, "mia", 2022, 412, Label.CLEAR),
    ("mia-identified-2023", NationalIndicator.VICTIMS_IDENTIFIED, "mia", 2023, 468, Label.CLEAR),
    ("mia-investigated-2022", NationalIndicator.CASES_INVESTIGATED, "mia", 2022, 138, Label.GREEN),
    ("mia-investigated-2023", NationalIndicator.CASES_INVESTIGATED, "mia", 2023, 151, Label.GREEN),
    (
        "court-convictions-2022",
        NationalIndicator.CONVICTIONS,
        "supreme-court",
        2022,
        74,
        Label.CLEAR,
    ),
    (
        "court-convictions-2023",
        NationalIndicator.CONVICTIONS,
        "supreme-court",
        2023,
        81,
        Label.CLEAR,
    ),
    ("mfa-repatriated-2023", NationalIndicator.VICTIMS_REPATRIATED, "mfa", 2023, 96, Label.AMBER),
    ("iom-assisted-2023", NationalIndicator.VICTIMS_ASSISTED, "iom", 2023, 233, Label.GREEN),
]
# The mechanism's targets for 2023: (indicator, target group, value).
TARGETS = [
    (Indicator.MEETINGS_HELD, "", 4),
    (Indicator.ATTENDANCE, "", 85),
    (Indicator.ACTIVITIES, "", 8),
    (Indicator.PEOPLE_REACHED, "", 400),
    (Indicator.PEOPLE_REACHED, TargetGroup.AIRPORT_TRANSPORT_STAFF, 150),
]


def _calendar_year(year: int) -> dict[str, Any]:
    return {"period_kind": "year", "starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31)}


def _dashboard() -> list[str]:
    """The national figures of 2022 and 2023, and the targets of 2023."""
    author = _record("user:secretariat", User)
    if author is None:
        return []
    created = []
    for key, indicator, agency_key, year, value, label in NATIONAL_FIGURES:
        agency = _record(f"organisation:{agency_key}", Organisation)
        if agency is None:
            continue
        period = _calendar_year(year)
        _figure, new = ensure(
            f"activities:national-figure:{key}",
            NationalFigure,
            match={"indicator": indicator, "source_agency": agency, **period},
            create=partial(
                NationalFigure.objects.create,
                indicator=indicator,
                source_agency=agency,
                value=value,
                source=f"Demo: annual report {year}",
                label=label,
                created_by=author,
                **period,
            ),
        )
        if new:
            created.append(f"national figure {key}")
    for aim, group, value in TARGETS:
        period = _calendar_year(2023)
        _target, new = ensure(
            f"activities:target:{aim}:{group}",
            Target,
            match={"indicator": aim, "target_group": group, **period},
            create=partial(
                Target.objects.create,
                indicator=aim,
                target_group=group,
                value=value,
                created_by=author,
                **period,
            ),
        )
        if new:
            created.append(f"target {aim} {group}".strip())
    return created
