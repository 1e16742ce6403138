"""The meetings' part of `manage.py generate_data`: series of meetings with agendas and
invitations of the generated organisations' people.

At scale 1: four series of ten meetings, each with 30 invitees from about ten
organisations and five to eight agenda items; past meetings are held, with answers and
attendance, adopted minutes, decisions and ten action items each (about 400 in all).
Each meeting has three documents (one of the meeting, two of agenda items; green, amber
and red), all pointing to one small stored PDF.
The first meeting of the first series has 60 invitees, for the benchmark's meeting page.
Generated series are convened by a generated organisation and their title starts with
`SERIES_PREFIX`; that is how the command knows its own records.
"""

import hashlib
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from meetings.demo import AGENDA_PDF
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Cadence,
    Decision,
    Document,
    DocumentKind,
    FrameworkKind,
    FrameworkReference,
    Invitation,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesRevision,
    MinutesState,
    Modality,
    OrganisationInvitation,
    Response,
)
from meetings.models.frameworks import sort_key_of
from portal.lib.sensitivity import Label
from portal.lib.uploads import FileType
from stakeholders.generate import EMAIL_DOMAIN, WEBSITE_PREFIX
from stakeholders.models import Organisation, Person

SERIES_PREFIX = "Generated series"
MEETINGS_PER_SCALE = 40
MEETINGS_PER_SERIES = 10
INVITEES = 30
ACTION_ITEMS_PER_MEETING = 10
BIG_MEETING_INVITEES = 60
BATCH_SIZE = 1000
# Meetings spread over three years before "now" and half a year after it, from a fixed
# moment so that the same seed makes the same meetings.
EPOCH = datetime(2026, 1, 5, 5, 0, tzinfo=UTC)
TOPICS = [
    "Review of the situation",
    "Updates from the partners",
    "Trainings for frontline officers",
    "Referral of identified cases",
    "Recruitment through social media",
    "Labour migration routes",
    "Study visits and exchanges",
    "Any other business",
]


def big_meeting() -> Meeting | None:
    """The generated meeting with 60 invitees."""
    return (
        Meeting.objects.filter(series__title=f"{SERIES_PREFIX} 1", number=1).order_by("pk").first()
    )


def _generated_series() -> list[int]:
    return list(
        MeetingSeries.objects.filter(
            title__startswith=SERIES_PREFIX, convener__website__startswith=WEBSITE_PREFIX
        ).values_list("pk", flat=True)
    )


def foreign_records() -> list[str]:
    """What the database holds of meetings that this generator did not make."""
    series = MeetingSeries.objects.exclude(pk__in=_generated_series())
    meetings = Meeting.objects.exclude(series__in=_generated_series())
    return [
        f"{qs.count()} {label}"
        for label, qs in (("series", series), ("meetings", meetings))
        if qs.exists()
    ]


def clear(*, log: Callable[[str], None]) -> None:
    """Delete the generated series with their meetings (agendas and invitations go with them)."""
    series = _generated_series()
    meetings = Meeting.objects.filter(series__in=series)
    Invitation.history.filter(meeting_id__in=meetings.values("pk")).delete()
    AgendaItem.history.filter(meeting_id__in=meetings.values("pk")).delete()
    ActionItem.objects.filter(meeting__in=meetings).delete()
    Document.objects.filter(meeting__in=meetings).delete()
    Minutes.objects.filter(meeting__in=meetings).delete()
    Decision.objects.filter(meeting__in=meetings).delete()
    FrameworkReference.objects.filter(code__startswith=FRAMEWORK_PREFIX).delete()
    deleted = meetings.delete()[0]
    MeetingSeries.objects.filter(pk__in=series).delete()
    if deleted:
        log(f"removed earlier generated meetings ({deleted} objects, with what cascades)")


def generate(*, scale: float, rng: random.Random, log: Callable[[str], None]) -> None:
    organisations = list(
        Organisation.objects.filter(website__startswith=WEBSITE_PREFIX, is_active=True).order_by(
            "pk"
        )
    )
    people: dict[int, list[int]] = {}
    for pk, organisation_id in Person.objects.filter(
        email__endswith=f"@{EMAIL_DOMAIN}", is_active=True, organisation__isnull=False
    ).values_list("pk", "organisation_id"):
        people.setdefault(organisation_id, []).append(pk)
    with_people = [o for o in organisations if o.pk in people]
    if not with_people:
        log("no generated people to invite: no meetings")
        return
    n_meetings = max(1, round(MEETINGS_PER_SCALE * scale))
    n_series = max(1, -(-n_meetings // MEETINGS_PER_SERIES))
    series = [
        MeetingSeries(
            title=f"{SERIES_PREFIX} {index}",
            convener=rng.choice(with_people),
            cadence=rng.choice([Cadence.QUARTERLY, Cadence.BIANNUAL, Cadence.AD_HOC]),
            default_venue=f"Conference room {index}, Tashkent",
        )
        for index in range(1, n_series + 1)
    ]
    MeetingSeries.objects.bulk_create(series)
    meetings = []
    for index in range(n_meetings):
        starts = EPOCH + timedelta(days=rng.randint(-3 * 365, 180), hours=rng.choice([0, 1, 4]))
        title = f"Coordination meeting {index + 1}"
        meetings.append(
            Meeting(
                series=series[index % n_series],
                number=index // n_series + 1,
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=rng.choice([2, 3, 4])),
                time_zone="Asia/Tashkent",
                modality=Modality.IN_PERSON,
                venue=series[index % n_series].default_venue,
                status=MeetingStatus.HELD if starts < EPOCH else MeetingStatus.PLANNED,
            )
        )
    for meeting in meetings:
        meeting.refresh_search_text()
    Meeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)
    items: list[AgendaItem] = []
    invited: list[OrganisationInvitation] = []
    invitations: list[Invitation] = []
    for meeting in meetings:
        for position, topic in enumerate(rng.sample(TOPICS, rng.randint(5, 8)), start=1):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=topic,
                    kind=rng.choice(AgendaItemKind.values),
                    duration_minutes=rng.choice([10, 15, 20, 30, 45]),
                    presenter_organisation=rng.choice(with_people),
                )
            )
        size = (
            BIG_MEETING_INVITEES
            if meeting.number == 1 and meeting.series == series[0]
            else INVITEES
        )
        chosen = rng.sample(with_people, min(len(with_people), max(1, size // 3)))
        pool = [(org, pk) for org in chosen for pk in people[org.pk]]
        invited.extend(OrganisationInvitation(meeting=meeting, organisation=org) for org in chosen)
        held = meeting.status == MeetingStatus.HELD
        for organisation, person_id in rng.sample(pool, min(size, len(pool))):
            response = rng.choice(Response.values)
            invitations.append(
                Invitation(
                    meeting=meeting,
                    person_id=person_id,
                    organisation=organisation,
                    response=response,
                    attendance=(
                        Attendance.ATTENDED
                        if held and response == Response.ACCEPTED
                        else Attendance.ABSENT
                        if held
                        else Attendance.UNKNOWN
                    ),
                )
            )
    AgendaItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    OrganisationInvitation.objects.bulk_create(invited, batch_size=BATCH_SIZE)
    Invitation.objects.bulk_create(invitations, batch_size=BATCH_SIZE)
    decisions, actions = _follow_up(meetings, invited, rng)
    minutes = _minutes(meetings)
    documents = _documents(meetings, items, invitations)
    references, tags = _frameworks(decisions, actions, scale=scale, rng=rng)
    log(
        f"meetings: {len(meetings)} in {len(series)} series, {len(items)} agenda items, "
        f"{len(invitations)} invitations, {len(decisions)} decisions, {len(actions)} action items, "
        f"{minutes} minutes, {documents} documents, {references} framework references "
        f"({tags} tags)"
    )


# Generated framework references: their numbers start so, apart from the real lists.
FRAMEWORK_PREFIX = "G-"
FRAMEWORKS_PER_SCALE = 40


def generated_references() -> list[int]:
    return list(
        FrameworkReference.objects.filter(code__startswith=FRAMEWORK_PREFIX).values_list(
            "pk", flat=True
        )
    )


def _frameworks(
    decisions: list[Decision], actions: list[ActionItem], *, scale: float, rng: random.Random
) -> tuple[int, int]:
    """Measures and recommendations over three years, half the decisions and a third of the
    action items tagged with one or two."""
    count = min(400, max(10, round(FRAMEWORKS_PER_SCALE * scale)))
    references = [
        FrameworkReference(
            kind=FrameworkKind.values[index % 2],
            year=2024 + index % 3,
            code=f"{FRAMEWORK_PREFIX}{index // 6 + 1}.{index % 6 + 1}",
            text=f"{rng.choice(TOPICS)}: measure {index + 1}",
        )
        for index in range(count)
    ]
    for reference in references:
        reference.sort_key = sort_key_of(reference.code)
    FrameworkReference.objects.bulk_create(references, batch_size=BATCH_SIZE)
    through_decisions = FrameworkReference.decisions.through
    through_actions = FrameworkReference.action_items.through
    decision_tags = [
        through_decisions(frameworkreference=reference, decision=decision)
        for decision in decisions
        if rng.random() < 0.5
        for reference in rng.sample(references, rng.randint(1, 2))
    ]
    action_tags = [
        through_actions(frameworkreference=reference, actionitem=action)
        for action in actions
        if rng.random() < 0.33
        for reference in rng.sample(references, rng.randint(1, 2))
    ]
    through_decisions.objects.bulk_create(decision_tags, batch_size=BATCH_SIZE)
    through_actions.objects.bulk_create(action_tags, batch_size=BATCH_SIZE)
    return len(references), len(decision_tags) + len(action_tags)


GENERATED_FILE = "documents/generated/agenda.pdf"


def _nth(items: list[AgendaItem], n: int) -> AgendaItem | None:
    """The nth agenda item (from 1), or None: the meeting as a whole."""
    return items[n - 1] if 0 < n <= len(items) else None


def _documents(
    meetings: list[Meeting], items: list[AgendaItem], invitations: list[Invitation]
) -> int:
    """Three documents a meeting, sharing one stored file (deleting one of them through the
    portal removes that file for all: generated data only)."""
    content = AGENDA_PDF.read_bytes()
    if not default_storage.exists(GENERATED_FILE):
        default_storage.save(GENERATED_FILE, ContentFile(content))
    checksum = hashlib.sha256(content).hexdigest()
    items_of: dict[int, list[AgendaItem]] = {}
    for item in items:
        items_of.setdefault(item.meeting_id, []).append(item)
    invitee_of = {invitation.meeting_id: invitation.person_id for invitation in invitations}
    documents = [
        Document(
            meeting=meeting,
            agenda_item=_nth(items_of.get(meeting.pk, []), n),
            kind=kind,
            title=f"{DocumentKind(kind).label} {meeting.number}",
            file=GENERATED_FILE,
            original_name=f"{kind}-{meeting.number}.pdf",
            file_type=FileType.PDF,
            size=len(content),
            sha256=checksum,
            label=label,
        )
        for meeting in meetings
        for n, (kind, label) in enumerate(
            [
                (DocumentKind.AGENDA, Label.GREEN),
                (DocumentKind.PRESENTATION, Label.AMBER),
                (DocumentKind.BACKGROUND, Label.RED),
            ]
        )
    ]
    Document.objects.bulk_create(documents, batch_size=BATCH_SIZE)
    Named = Document.named_people.through
    Named.objects.bulk_create(
        (
            Named(document_id=document.pk, person_id=invitee_of[document.meeting_id])
            for document in documents
            if document.label == Label.RED and document.meeting_id in invitee_of
        ),
        batch_size=BATCH_SIZE,
    )
    return len(documents)


def _follow_up(
    meetings: list[Meeting], invited: list[OrganisationInvitation], rng: random.Random
) -> tuple[list[Decision], list[ActionItem]]:
    """Decisions and about ten action items for each held meeting, owned by its invited
    organisations; some done, some overdue."""
    owners: dict[int, list[Organisation]] = {}
    for row in invited:
        owners.setdefault(row.meeting.pk, []).append(row.organisation)
    decisions, actions = [], []
    for meeting in meetings:
        if meeting.status != MeetingStatus.HELD:
            continue
        for number in range(1, rng.randint(1, 3) + 1):
            decisions.append(
                Decision(meeting=meeting, number=number, text=f"Decision {number} of {meeting}")
            )
        for index in range(ACTION_ITEMS_PER_MEETING):
            status = rng.choice(ActionItemStatus.values)
            due = meeting.starts_at.date() + timedelta(days=rng.randint(14, 180))
            text = f"{rng.choice(TOPICS)}: follow-up {index + 1}"
            actions.append(
                ActionItem(
                    meeting=meeting,
                    description=text,
                    owner_organisation=rng.choice(owners[meeting.pk]),
                    due_on=due,
                    status=status,
                    completed_at=meeting.starts_at + timedelta(days=30)
                    if status == ActionItemStatus.DONE
                    else None,
                )
            )
    Decision.objects.bulk_create(decisions, batch_size=BATCH_SIZE)
    for action in actions:
        action.refresh_search_text()
    ActionItem.objects.bulk_create(actions, batch_size=BATCH_SIZE)
    return decisions, actions


MINUTES_TEXT = """## Review of the situation

The partners reviewed the situation and their activities since the last meeting.

## Activities

- Trainings for frontline officers
- Referral of identified cases

| Region | Trainings |
|---|---|
| Tashkent | 2 |
| Samarkand | 1 |
"""


def _minutes(meetings: list[Meeting]) -> int:
    """Adopted minutes (amber) for every held meeting, in English."""
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    made = Minutes.objects.bulk_create(
        Minutes(
            meeting=meeting,
            state=MinutesState.ADOPTED,
            circulated_at=meeting.ends_at + timedelta(days=7),
            adopted_at=meeting.ends_at + timedelta(days=14),
        )
        for meeting in held
    )
    MinutesRevision.objects.bulk_create(
        (
            MinutesRevision(
                minutes=minutes,
                number=1,
                text_en=MINUTES_TEXT,
                authoritative_language="en",
                adopted_at=minutes.adopted_at,
            )
            for minutes in made
        ),
        batch_size=BATCH_SIZE,
    )
    return len(made)


def minutes_meeting() -> Meeting | None:
    """A generated meeting with minutes, for the benchmark's minutes page."""
    return (
        Meeting.objects.filter(series__title__startswith=SERIES_PREFIX, minutes__isnull=False)
        .order_by("pk")
        .first()
    )
