"""Reads of meetings, scoped to what the user may see."""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings import calendar_entries, permissions
from meetings.models import (
    PENDING,
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Decision,
    Document,
    Invitation,
    LetterTemplate,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesState,
    OrganisationInvitation,
    ReminderAudience,
    ReminderDelivery,
    ReminderRule,
    Response,
    Statement,
)
from portal.lib.text import fold
from stakeholders.models import Language, Organisation, Person, Sex, User


def meeting_list(
    *, user: User, filters: Mapping[str, Any], now: datetime | None = None
) -> QuerySet[Meeting]:
    """The meetings the user may see, with their series: upcoming first (soonest first),
    then past ones (latest first), filtered as `filters` (cleaned form data) say."""
    now = now or timezone.now()
    meetings = Meeting.objects.visible_to(user).select_related("series")
    if series := filters.get("series"):
        meetings = meetings.filter(series=series)
    if status := filters.get("status"):
        meetings = meetings.filter(status=status)
    when = filters.get("when")
    if when == "upcoming":
        meetings = meetings.filter(ends_at__gte=now)
    elif when == "past":
        meetings = meetings.filter(ends_at__lt=now)
    if query := fold(filters.get("q") or ""):
        meetings = meetings.filter(search_text__contains=query)
    if organisation := filters.get("organisation"):
        meetings = meetings.filter(invited_organisation(organisation.pk))
    if (period := filters.get("period")) is not None:
        meetings = meetings.filter(
            starts_at__gte=period.bounds()[0], starts_at__lt=period.bounds()[1]
        )
    past = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField())
    return meetings.annotate(is_past=past).order_by(
        "is_past",
        Case(When(is_past=0, then=F("starts_at"))).asc(),
        F("starts_at").desc(),
        "pk",
    )


def attendance_totals(
    meetings: QuerySet[Meeting], organisation: Organisation | None = None
) -> dict[str, int | None]:
    """The invitations of `meetings` (those of `organisation`'s people, when given): people
    invited, those recorded as attended, the walk-ins apart, the attendance rate, and all who
    attended (walk-ins included) by sex."""
    invitations = Invitation.objects.filter(meeting__in=meetings.order_by().values("pk"))
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    counts = invitations.aggregate(
        invited=Count("pk", filter=Q(is_walk_in=False)),
        attended=Count("pk", filter=Q(is_walk_in=False, attendance=Attendance.ATTENDED)),
        walk_ins=Count("pk", filter=Q(is_walk_in=True)),
        # Everyone who attended, walk-ins included, by sex.
        **{
            f"attended_{sex}": Count(
                "pk", filter=Q(attendance=Attendance.ATTENDED, person__sex=sex)
            )
            for sex in Sex.values
        },
    )
    invited = counts["invited"]
    return {**counts, "rate": round(100 * counts["attended"] / invited) if invited else None}


def meeting_rows(meetings: list[Meeting]) -> list[Meeting]:
    """What a list shows of each meeting besides its own fields and series: counts of
    invitations and answers. One query, whatever the number of rows."""
    ids = [m.pk for m in meetings]
    counts: dict[int, dict[str, Any]] = {
        row["meeting_id"]: dict(row)
        for row in Invitation.objects.filter(meeting_id__in=ids)
        .values("meeting_id")
        .annotate(
            invited=Count("pk"),
            accepted=Count("pk", filter=Q(response=Response.ACCEPTED)),
            pending=Count("pk", filter=Q(response=Response.PENDING)),
        )
    }
    for meeting in meetings:
        row = counts.get(meeting.pk, {})
        meeting.invited_count = row.get("invited", 0)  # type: ignore[attr-defined]
        meeting.accepted_count = row.get("accepted", 0)  # type: ignore[attr-defined]
        meeting.pending_count = row.get("pending", 0)  # type: ignore[attr-defined]
    return meetings


def _one_or_none[M: Model](found: QuerySet[M]) -> M | None:
    """The one record `found` holds, or None: first() would compile and run a sort (by the
    model's ordering) to pick the first of at most one."""
    try:
        return found.get()
    except ObjectDoesNotExist:
        return None


def meeting_for(*, user: User, pk: int) -> Meeting | None:
    """One meeting the user may see, with its series and chair, or None."""
    return _one_or_none(
        Meeting.objects.visible_to(user)
        .select_related("series__convener", "chair__organisation")
        .filter(pk=pk)
    )


@dataclass
class AgendaRow:
    item: AgendaItem
    starts: datetime
    ends: datetime
    overruns: bool
    # The item's documents the reader may read, and whether they may add one.
    documents: list[Document] = field(default_factory=list)
    can_upload: bool = False


def agenda(
    meeting: Meeting,
    *,
    user: User | None = None,
    documents: Mapping[int | None, list[Document]] | None = None,
) -> list[AgendaRow]:
    """The agenda with each item's start and end in the meeting's zone; an item that ends
    after the meeting is marked. With `user`, each item's documents they may read (read
    here unless `documents` gives them)."""
    items = meeting.agenda_items.select_related(
        "presenter_organisation", "presenter_person"
    ).order_by("position")
    if documents is None:
        documents = documents_by_item(user=user, meeting=meeting) if user is not None else {}
    rows, clock, end = [], meeting.local_start, meeting.local_end
    for item in items:
        ends = clock + timedelta(minutes=item.duration_minutes)
        rows.append(
            AgendaRow(
                item=item,
                starts=clock,
                ends=ends,
                overruns=ends > end,
                documents=documents.get(item.pk, []),
                can_upload=user is not None
                and not meeting.is_cancelled
                and permissions.can_upload_to_agenda_item(user, item),
            )
        )
        clock = ends
    return rows


def documents_by_item(*, user: User, meeting: Meeting) -> dict[int | None, list[Document]]:
    """The meeting's documents the user may read, by agenda item (None: the whole meeting)."""
    found: dict[int | None, list[Document]] = {}
    for document in Document.objects.visible_to(user).filter(meeting=meeting):
        found.setdefault(document.agenda_item_id, []).append(document)
    return found


def document_for(*, user: User, pk: int) -> Document | None:
    return (
        Document.objects.visible_to(user)
        .select_related("meeting__series", "agenda_item", "organisation")
        .filter(pk=pk)
        .first()
    )


@dataclass
class InvitedOrganisation:
    """An invited organisation on the meeting page: its people's invitations and, when it
    was invited as such, its letter and nomination state."""

    organisation: Organisation | None
    invitations: list[Invitation]
    invited: OrganisationInvitation | None

    @property
    def counts(self) -> dict[str, int]:
        found = {value: 0 for value in Response.values}
        for invitation in self.invitations:
            found[invitation.response] += 1
        return found


def invitations_by_organisation(meeting: Meeting) -> list[InvitedOrganisation]:
    """The meeting's invitations grouped by the organisation each was made for; the
    organisations invited as such come in even while nobody of theirs is invited."""
    invitations = list(
        meeting.invitations.select_related("person").order_by("person__full_name", "pk")
    )
    # Whom a substitute stands in for was invited to the same meeting: read above already.
    by_pk = {invitation.pk: invitation for invitation in invitations}
    for invitation in invitations:
        if invitation.substitute_for_id in by_pk:
            invitation.substitute_for = by_pk[invitation.substitute_for_id]
    invited = {oi.organisation_id: oi for oi in meeting.organisation_invitations.all()}
    organisation_ids = {i.organisation_id for i in invitations} | set(invited)
    organisations = Organisation.objects.in_bulk([pk for pk in organisation_ids if pk])
    for oi in invited.values():
        oi.organisation = organisations[oi.organisation_id]
    groups: dict[int | None, InvitedOrganisation] = {}
    for organisation_id in organisation_ids:
        groups[organisation_id] = InvitedOrganisation(
            organisation=organisations.get(organisation_id) if organisation_id else None,
            invitations=[],
            invited=invited.get(organisation_id) if organisation_id else None,
        )
    for invitation in invitations:
        groups[invitation.organisation_id].invitations.append(invitation)
    return sorted(
        groups.values(),
        key=lambda g: (
            g.organisation is None,
            fold(g.organisation.local_name) if g.organisation else "",
        ),
    )


def delegate_candidates(invited: OrganisationInvitation) -> QuerySet[Person]:
    """Whom an invited organisation may name as delegates: its active people not invited
    yet."""
    return (
        Person.objects.filter(
            organisation_id=invited.organisation_id, is_active=True, anonymised_at=None
        )
        .exclude(pk__in=invited.meeting.invitations.values("person_id"))
        .order_by("full_name", "pk")
    )


def delegates(invited: OrganisationInvitation) -> list[Invitation]:
    """The invitations of an invited organisation's people to its meeting."""
    return list(
        invited.meeting.invitations.filter(organisation_id=invited.organisation_id)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )


def letter_templates() -> list[tuple[str, str, LetterTemplate | None]]:
    """Each language of letters, its name, and the template the secretariat gave for it
    (None: the built-in letter)."""
    stored = {t.language: t for t in LetterTemplate.objects.defer("content")}
    return [(code, str(label), stored.get(code)) for code, label in Language.choices]


def own_invitations(*, user: User, groups: list[InvitedOrganisation]) -> list[Invitation]:
    """Of the invitations `invitations_by_organisation` read, those the user answers on the
    meeting's page: their own, and for a focal point their colleagues'. No more queries."""
    person = user.person
    if person is None:
        return []
    colleagues = permissions.answers_for_colleagues(user)
    found = [
        invitation
        for group in groups
        for invitation in group.invitations
        if invitation.person_id == person.pk
        or (colleagues and invitation.organisation_id == person.organisation_id)
    ]
    return sorted(found, key=lambda i: (i.person_id != person.pk, fold(i.person.full_name)))


def series_list(*, user: User) -> QuerySet[MeetingSeries]:
    return (
        MeetingSeries.objects.visible_to(user)
        .select_related("convener")
        .annotate(meeting_count=Count("meetings"))
        .order_by("-is_active", "title")
    )


def series_for(*, user: User, pk: int) -> MeetingSeries | None:
    return (
        MeetingSeries.objects.visible_to(user)
        .select_related("convener")
        .prefetch_related(Prefetch("standing_invitees", Organisation.objects.order_by("name")))
        .filter(pk=pk)
        .first()
    )


def next_meetings(*, user: User, limit: int = 3) -> list[Meeting]:
    """The user's next meetings, for the home page."""
    return list(
        Meeting.objects.visible_to(user)
        .upcoming()
        .select_related("series")
        .order_by("starts_at", "pk")[:limit]
    )


def pending_answers(*, user: User, limit: int = 5) -> list[Meeting]:
    """Upcoming meetings with invitations still unanswered, for the secretariat's home."""
    return list(
        Meeting.objects.visible_to(user)
        .upcoming()
        .annotate(pending=Count("invitations", filter=Q(invitations__response=Response.PENDING)))
        .filter(pending__gt=0)
        .order_by("starts_at", "pk")[:limit]
    )


# Calendars

# How far back a personal calendar feed reaches.
FEED_PAST = relativedelta(months=6)


def calendar_feed_reader(token: str) -> tuple[CalendarFeed, User] | None:
    """The live calendar feed a token opens, and the user whose meetings it lists; None
    when the token opens nothing or the person's user may no longer see meetings (no
    account, access ended, no portal role)."""
    feed = CalendarFeed.objects.live().select_related("person__user").find(token)
    if feed is None:
        return None
    user: User | None = getattr(feed.person, "user", None)
    if user is None or not permissions.can_keep_calendar_feed(user):
        return None
    return feed, user


def feed_meetings(*, user: User, now: datetime | None = None) -> list[Meeting]:
    """What a personal calendar feed lists: the meetings the user may see now, from six
    months back, with their series' convener (each entry's organiser). One query."""
    since = (now or timezone.now()) - FEED_PAST
    return list(
        Meeting.objects.visible_to(user)
        .filter(starts_at__gte=since)
        .select_related("series__convener")
        .order_by("starts_at", "pk")
    )


def live_calendar_feed(person: Person) -> CalendarFeed | None:
    """The person's calendar feed that still works, the latest if ever more than one."""
    return CalendarFeed.objects.live().filter(person=person).order_by("-created_at", "-pk").first()


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    meetings: list[Meeting]
    # What other apps show on the day (the activities planned).
    entries: list[calendar_entries.Entry] = field(default_factory=list)


# A day by a meeting's own clock begins at most this far either side of midnight UTC.
_WIDEST_OFFSET = timedelta(hours=14)


def month_calendar(*, user: User, month: date, today: date) -> list[list[CalendarDay]]:
    """The weeks of `month`, Monday first, the days of the months around it included; each
    day with the meetings the user may see starting on it by the meeting's own clock, and
    what other apps show on it. One query for the meetings, whatever their number."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        month.year, month.month
    )
    first, last = weeks[0][0], weeks[-1][-1]
    since = datetime.combine(first, time(), tzinfo=UTC) - _WIDEST_OFFSET
    until = datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC) + _WIDEST_OFFSET
    by_day: dict[date, list[Meeting]] = {}
    found = Meeting.objects.visible_to(user).filter(starts_at__gte=since, starts_at__lt=until)
    for meeting in found.order_by("starts_at", "pk"):
        by_day.setdefault(meeting.local_start.date(), []).append(meeting)
    others = calendar_entries.entries(user, first, last)
    return [
        [
            CalendarDay(
                day=day,
                in_month=day.month == month.month,
                is_today=day == today,
                meetings=by_day.get(day, []),
                entries=others.get(day, []),
            )
            for day in week
        ]
        for week in weeks
    ]


@dataclass
class AttendanceSummary:
    """Who came, from the invitations of one meeting: by organisation, by stakeholder
    group and by sex; walk-ins counted apart from the invitees."""

    invited: int
    attended: int
    walk_ins: int
    recorded: bool
    by_organisation: list[tuple[Organisation | None, int, int]]  # invited, attended
    by_group: list[tuple[str, int, int]]  # organisations that came, people who came
    absent_organisations: list[Organisation]
    by_sex: list[tuple[str, int]]


def attendance_summary(groups: list[InvitedOrganisation]) -> AttendanceSummary:
    """The summary of the invitations `invitations_by_organisation` read: no more queries."""
    invitations = [i for g in groups for i in g.invitations]
    invitees = [i for i in invitations if not i.is_walk_in]
    came = [i for i in invitations if i.attendance == Attendance.ATTENDED]
    by_organisation = [
        (
            g.organisation,
            sum(not i.is_walk_in for i in g.invitations),
            sum(i.attendance == Attendance.ATTENDED for i in g.invitations),
        )
        for g in groups
    ]
    organisations = {g.organisation.pk: g.organisation for g in groups if g.organisation}
    groups_seen: dict[str, tuple[set[int], int]] = {}
    for invitation in came:
        organisation = organisations.get(invitation.organisation_id or 0)
        label = (
            organisation.stakeholder_group_label if organisation else str(_("Without organisation"))
        )
        seen, people = groups_seen.get(label, (set(), 0))
        if organisation is not None:
            seen.add(organisation.pk)
        groups_seen[label] = (seen, people + 1)
    by_sex: dict[str, int] = {str(label): 0 for _value, label in Sex.choices}
    for invitation in came:
        by_sex[str(Sex(invitation.person.sex).label)] += 1
    return AttendanceSummary(
        invited=len(invitees),
        attended=sum(i.attendance == Attendance.ATTENDED for i in invitees),
        walk_ins=sum(i.is_walk_in for i in invitations),
        recorded=any(i.attendance for i in invitations),
        by_organisation=by_organisation,
        by_group=sorted(
            ((label, len(orgs), people) for label, (orgs, people) in groups_seen.items()),
            key=lambda row: row[0],
        ),
        absent_organisations=[
            org
            for org, invited, attended in by_organisation
            if org is not None and invited and not attended
        ],
        by_sex=[(str(label), count) for label, count in by_sex.items()],
    )


def engagement(user: User, organisation: Organisation) -> list[tuple[Any, object]]:
    """For the organisation's page: the meetings its people attended, of those the user
    may see."""
    attended = (
        Meeting.objects.visible_to(user)
        .filter(
            invitations__organisation=organisation,
            invitations__attendance=Attendance.ATTENDED,
        )
        .distinct()
        .count()
    )
    return [(_("Meetings attended"), attended)]


# Decisions and action items

ACTION_ITEM_SORTS = {
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "organisation": ("owner_organisation__name", "due_on", "pk"),
    "status": ("status", "due_on", "pk"),
    "meeting": ("-meeting__starts_at", "due_on", "pk"),
}


def action_item_list(
    *, user: User, filters: Mapping[str, Any], today: date | None = None
) -> QuerySet[ActionItem]:
    """The action items the user may see, across every series, filtered as `filters`
    (cleaned form data) say and sorted by `filters["sort"]` (due date by default)."""
    items = ActionItem.objects.visible_to(user)
    if series := filters.get("series"):
        items = items.filter(meeting__series=series)
    if meeting := filters.get("meeting"):
        items = items.filter(meeting=meeting)
    if organisation := filters.get("organisation"):
        items = items.filter(owner_organisation=organisation)
    if person := filters.get("person"):
        items = items.filter(owner_person=person)
    if status := filters.get("status"):
        items = items.filter(status=status)
    if filters.get("overdue"):
        items = items.overdue(today)
    if filters.get("on_time"):
        items = with_completion_day(items).filter(done_on_time())
    if (period := filters.get("period")) is not None:
        items = items.filter(raised_between(*period.bounds()))
    if due_from := filters.get("due_from"):
        items = items.filter(due_on__gte=due_from)
    if due_to := filters.get("due_to"):
        items = items.filter(due_on__lte=due_to)
    if query := fold(filters.get("q") or ""):
        items = items.filter(search_text__contains=query)
    return with_context_visibility(items, user).order_by(
        *ACTION_ITEM_SORTS.get(filters.get("sort") or "due", ("due_on", "pk"))
    )


def with_context_visibility(items: QuerySet[ActionItem], user: User) -> QuerySet[ActionItem]:
    """Whether the user may see each item's meeting and decision: an owner organisation sees
    its items, not always the meeting or the decision they come from."""
    return items.annotate(
        meeting_visible=_meeting_visible(user),
        decision_visible=Exists(
            Decision.objects.visible_to(user).filter(pk=OuterRef("decision_id"))
        ),
    )


def _meeting_visible(user: User) -> Exists:
    """Whether the user may see an action item's meeting."""
    return Exists(Meeting.objects.visible_to(user).filter(pk=OuterRef("meeting_id")))


def action_item_rows(items: list[ActionItem]) -> list[ActionItem]:
    """What a list shows of each item besides its own fields, in four queries whatever the
    number of rows: its meeting and series, its decision, its owners."""
    meetings = Meeting.objects.select_related("series").in_bulk({i.meeting_id for i in items})
    decisions = Decision.objects.in_bulk({i.decision_id for i in items if i.decision_id})
    organisations = Organisation.objects.in_bulk({i.owner_organisation_id for i in items})
    people = Person.objects.in_bulk({i.owner_person_id for i in items if i.owner_person_id})
    for item in items:
        item.meeting = meetings[item.meeting_id]
        item.decision = decisions.get(item.decision_id or 0)
        if item.decision is not None:
            item.decision.meeting = item.meeting
        item.owner_organisation = organisations[item.owner_organisation_id]
        item.owner_person = people.get(item.owner_person_id or 0)
    return items


def meeting_decisions(*, user: User, meeting: Meeting) -> list[Decision]:
    """The meeting's decisions the user may see, in their order, with what their codes
    need: the meeting (this one) and the decision superseding each."""
    decisions = list(
        Decision.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("superseded_by__meeting")
        .prefetch_related("framework_references")
        .order_by("number")
    )
    for decision in decisions:
        decision.meeting = meeting
    return decisions


def meeting_action_items(*, user: User, meeting: Meeting) -> list[ActionItem]:
    """The action items raised at the meeting that the user may see, with their owners."""
    return list(
        ActionItem.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("owner_organisation", "owner_person")
        .order_by("due_on", "pk")
    )


def follow_up(*, user: User, meeting: Meeting) -> dict[str, Any]:
    """The meeting page's decisions and action items the user may see, and its matters
    arising: items raised at earlier meetings of the series still open or in progress,
    by owner organisation (computed, never copied)."""
    decisions = meeting_decisions(user=user, meeting=meeting)
    items = meeting_action_items(user=user, meeting=meeting)
    # Matters arising name the meeting of each item the user may see, never its decision.
    arising = list(
        ActionItem.objects.visible_to(user)
        .annotate(meeting_visible=_meeting_visible(user))
        .filter(
            meeting__series_id=meeting.series_id,
            meeting__starts_at__lt=meeting.starts_at,
            status__in=PENDING,
        )
        .select_related("owner_organisation", "meeting")
        .order_by("owner_organisation__name", "due_on", "pk")
    )
    by_owner: dict[int, tuple[Organisation, list[ActionItem]]] = {}
    for item in arising:
        by_owner.setdefault(item.owner_organisation_id, (item.owner_organisation, []))[1].append(
            item
        )
    return {
        "decisions": decisions,
        "action_items": items,
        "matters_arising": list(by_owner.values()),
    }


def open_action_items(user: User, organisation: Organisation) -> list[tuple[Any, object]]:
    """For the organisation's page: its action items still to be done, of those the user
    may see."""
    count = (
        ActionItem.objects.visible_to(user)
        .filter(owner_organisation=organisation, status__in=PENDING)
        .count()
    )
    return [(_("Open action items"), count)]


def overdue_count(*, user: User) -> int:
    """The overdue action items the user sees: their organisation's, or all for the
    secretariat."""
    return ActionItem.objects.visible_to(user).overdue().count()


def minutes_for(*, user: User, meeting: Meeting) -> Minutes | None:
    """The meeting's minutes, when the user may read them."""
    return _one_or_none(Minutes.objects.visible_to(user).filter(meeting=meeting))


def minutes_with_meeting(*, user: User, meeting_pk: int) -> Minutes | None:
    """A meeting's minutes and the meeting, when the user may read both: the minutes' pages
    show nothing of the meeting's series or chair, so nothing more is joined."""
    return _one_or_none(
        Minutes.objects.visible_to(user)
        .filter(meeting__in=Meeting.objects.visible_to(user), meeting_id=meeting_pk)
        .select_related("meeting")
    )


def minutes_revisions(minutes: Minutes) -> list[MinutesRevision]:
    """Every revision of the minutes, the latest first, with its author's person."""
    return list(minutes.revisions.select_related("author__person").order_by("-number"))


def latest_revision(minutes: Minutes) -> MinutesRevision | None:
    """The latest revision of the minutes: the one being written, or the one last adopted."""
    return minutes.revisions.order_by("-number").first()


def minutes_statements(*, user: User, minutes: Minutes) -> list[Statement]:
    """The statements recorded with the minutes, in their order."""
    return list(
        Statement.objects.visible_to(user)
        .filter(minutes=minutes)
        .select_related("speaker", "organisation", "agenda_item")
        .order_by("order", "pk")
    )


def minutes_comments(minutes: Minutes) -> list[MinutesComment]:
    """The comments on the minutes, oldest first, with who wrote them and on what."""
    return list(
        minutes.comments.select_related(
            "author__person__organisation", "agenda_item", "revision"
        ).order_by("created_at", "pk")
    )


def minutes_to_circulate(*, user: User, limit: int = 5) -> list[Meeting]:
    """For the secretariat's home: held meetings whose minutes are still to be written or
    circulated, the latest first."""
    return list(
        Meeting.objects.visible_to(user)
        .filter(status=MeetingStatus.HELD)
        .exclude(minutes__state__in=[MinutesState.CIRCULATED, MinutesState.ADOPTED])
        .order_by("-starts_at")[:limit]
    )


# Reminders


@dataclass
class PersonReminders:
    """What a meeting's reminders did and will do for one invitee."""

    invitation: Invitation
    deliveries: list[ReminderDelivery]
    next_due: datetime | None


def reminder_rules(meeting: Meeting) -> tuple[list[ReminderRule], bool]:
    """The rules a meeting follows, and whether they are its own (else its series')."""
    own = list(meeting.reminder_rules.all())
    if own:
        return own, True
    return list(ReminderRule.objects.filter(series_id=meeting.series_id)), False


def meeting_reminders(
    meeting: Meeting, rules: list[ReminderRule], now: datetime | None = None
) -> list[PersonReminders]:
    """Per invitee: the reminders recorded for this meeting (sent, waiting, failed, unknown
    or skipped, with why), and when the next one falls due."""
    now = now or timezone.now()
    deliveries: dict[int, list[ReminderDelivery]] = {}
    for delivery in (
        ReminderDelivery.objects.filter(meeting=meeting)
        .select_related("email", "rule")
        .order_by("due_at", "pk")
    ):
        deliveries.setdefault(delivery.person_id, []).append(delivery)
    rows = []
    for invitation in (
        meeting.invitations.filter(is_walk_in=False)
        .select_related("person")
        .order_by("person__full_name", "pk")
    ):
        upcoming = [
            meeting.starts_at - timedelta(minutes=rule.offset_minutes)
            for rule in rules
            if meeting.status == MeetingStatus.PLANNED
            and meeting.starts_at - timedelta(minutes=rule.offset_minutes) > now
            and (
                invitation.response == Response.PENDING
                if rule.audience == ReminderAudience.NOT_ANSWERED
                else invitation.response != Response.DECLINED
            )
        ]
        rows.append(
            PersonReminders(
                invitation=invitation,
                deliveries=deliveries.get(invitation.person_id, []),
                next_due=min(upcoming, default=None),
            )
        )
    return rows


# What the dashboard counts, as conditions the lists behind its figures apply too.


def held_between(start: datetime, end: datetime) -> Q:
    """On Meeting: the meetings held that started at or after `start` and before `end`."""
    return Q(status=MeetingStatus.HELD, starts_at__gte=start, starts_at__lt=end)


def invited_organisation(organisation_id: int) -> Q:
    """On Meeting: the meetings an organisation was invited to, through one of its people
    (the organisation they stood for when invited) or as an organisation."""
    return Q(
        Exists(Invitation.objects.filter(meeting=OuterRef("pk"), organisation_id=organisation_id))
    ) | Q(
        Exists(
            OrganisationInvitation.objects.filter(
                meeting=OuterRef("pk"), organisation_id=organisation_id
            )
        )
    )


def raised_between(start: datetime, end: datetime) -> Q:
    """On ActionItem: the items raised at a meeting that started at or after `start` and
    before `end`."""
    return Q(meeting__starts_at__gte=start, meeting__starts_at__lt=end)


def done_on_time() -> Q:
    """On ActionItem (annotated by `with_completion_day`): done, and completed on or before
    the day it was due, in the portal's time zone."""
    return Q(status=ActionItemStatus.DONE, completed_on__lte=F("due_on"))


def with_completion_day[T: QuerySet[ActionItem]](items: T) -> T:
    """The items with `completed_on`, the day (in the portal's time zone) each was completed."""
    return items.alias(
        completed_on=TruncDate("completed_at", tzinfo=timezone.get_default_timezone())
    )
