"""Who visits in the access matrix, and the records they visit."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from activities import services
from activities.dashboard_models import Indicator, NationalFigure, NationalIndicator, Target
from activities.models import (
    Activity,
    ActivityDocument,
    ActivityOrganisation,
    ActivityRevision,
    Award,
    CallForUpdates,
    ReviewState,
)
from activities.trend_models import TrendNote, TrendResponse
from meetings.letters.documents import default_template
from meetings.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Decision,
    Document,
    FrameworkKind,
    FrameworkReference,
    Invitation,
    LetterTemplate,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesRevision,
    MinutesState,
    OrganisationInvitation,
    ReminderRule,
    RsvpLink,
    Statement,
)
from meetings.services.reminders import default_rules
from portal.lib.sensitivity import Label
from portal.lib.uploads import FileType
from portal.models import OutboundEmail
from stakeholders.models import (
    AccountLink,
    EmailChoice,
    ImportBatch,
    MechanismRole,
    Organisation,
    Person,
    Role,
    UnsubscribeLink,
    User,
)
from tests.activities.factories import ActivityFactory
from tests.files import pdf_bytes
from tests.meetings.factories import (
    AgendaItemFactory,
    InvitationFactory,
    MeetingFactory,
    OrganisationInvitationFactory,
    SeriesFactory,
)
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

# The visitors, in the order of the matrix's columns.
SECRETARIAT = "secretariat"
FOCAL_POINT = "focal_point"  # a partner who is their organisation's focal point
PARTNER = "partner"  # a partner of the same organisation who is not
DONOR = "donor"
SUPERUSER = "superuser"  # is_superuser and is_staff, without a portal role or a person
DEACTIVATED = "deactivated"  # a partner whose access ended, still holding a session
ANONYMOUS = "anonymous"
VISITORS = (SECRETARIAT, FOCAL_POINT, PARTNER, DONOR, SUPERUSER, DEACTIVATED, ANONYMOUS)


@dataclass
class World:
    users: dict[str, User]  # every visitor but the anonymous one
    partner_org: Organisation  # the organisation of the partners and of the deactivated user
    colleagues: dict[str, Person]  # per visitor: someone of their organisation without account
    other_org: Organisation
    other_person: Person
    inactive_org: Organisation
    inactive_person: Person
    other_account: User  # an active partner of other_org, who can log in
    invited: User  # an account of other_org waiting for its password
    invitation: str  # the token of its invitation link
    batch: ImportBatch  # an import waiting for confirmation
    activity_batch: ImportBatch  # the partner's file of activities, waiting for confirmation
    unknown_email: OutboundEmail  # left mid-send by a worker: delivery unknown
    activities: "Activities"
    unsubscribe: str  # the token of a link turning other_person's meeting reminders off
    meetings: "Meetings"

    def own_org(self, visitor: str) -> Organisation:
        """The visitor's organisation; the partners' one for visitors without a person."""
        user = self.users.get(visitor)
        if user is None or user.person is None:
            return self.partner_org
        return user.person.organisation

    def colleague(self, visitor: str) -> Person:
        return self.colleagues.get(visitor, self.colleagues[PARTNER])


@dataclass
class Meetings:
    """A series with two upcoming meetings: one the partners' organisation is invited to
    (and the donor in person), one only another organisation is."""

    series: MeetingSeries
    invited: Meeting
    other: Meeting
    invited_item: AgendaItem  # the second item of the invited meeting's agenda
    other_item: AgendaItem
    own_invitation: Invitation  # the partner's (not a focal point) invitation
    other_invitation: Invitation  # other_org's person, to the other meeting
    organisation_invitation: OrganisationInvitation  # the partners' organisation, invited
    other_organisation_invitation: OrganisationInvitation  # other_org, to the same meeting
    letter_template: LetterTemplate  # the secretariat's Russian letter
    rsvp: str  # the token of an RSVP link of own_invitation
    started: Meeting  # begun an hour ago, the partners' organisation invited
    decision: Decision  # of the invited meeting
    own_action_item: ActionItem  # owned by the partners' organisation
    other_action_item: ActionItem  # owned by other_org
    donor_action_item: ActionItem  # owned by the donor's organisation
    # Minutes: the invited meeting's are a draft, the started one's circulated (amber); the
    # other meeting has none; `adopted` (other_org invited) has adopted amber minutes.
    adopted: Meeting
    statement: Statement  # the second of two with the started meeting's circulated minutes
    rule: ReminderRule  # the other meeting's own reminder, a day before
    framework_reference: FrameworkReference  # a TIP recommendation the decision answers
    presented_item: AgendaItem  # of the invited meeting, presented by the partners' organisation
    # Documents: of the invited meeting, amber (the secretariat's), red for the partner (not
    # the focal point), and amber of the partners' organisation on the presented item; of the
    # other meeting, green and amber.
    amber_document: Document
    red_document: Document
    own_document: Document
    green_document: Document
    other_document: Document
    # The token of a live calendar feed of each visitor with a person; the deactivated
    # user's is live too, as if its revocation had been missed.
    feeds: dict[str, str]
    revoked_feed: str  # the token of a revoked feed of the partner


@dataclass
class Activities:
    own_draft: Activity  # led by the partners' organisation
    own_submitted: Activity  # led by the partners' organisation, waiting for review
    other_draft: Activity  # led by other_org
    joined: Activity  # other_org's, approved, amber; the partners' organisation takes part
    award: Award  # other_org's, funding nothing yet
    own_approved: Activity  # the partners' organisation's, approved, green
    revision: ActivityRevision  # an open revision of own_approved
    # Before the invited meeting; the partners', other_org's and the donor's organisations
    # are asked.
    call: CallForUpdates | None = None
    evidence: ActivityDocument | None = None  # a document of own_draft
    own_trend: TrendNote | None = None  # the partners' organisation's, amber, new
    other_trend: TrendNote | None = None  # other_org's, amber
    green_trend: TrendNote | None = None  # other_org's, green: every portal user reads it
    trend_response: TrendResponse | None = None  # own_submitted answers own_trend
    dashboard_target: Target | None = None  # activities under way in Q1 2031
    national_figure: NationalFigure | None = None  # other_org's report, amber


def _trend(code: str, source: Organisation, label: str) -> TrendNote:
    return TrendNote.objects.create(
        code=code,
        title=f"Trend {code}",
        summary="Offers of work abroad spread through social networks.",
        trend_type="recruitment_method",
        source_type="partner_observation",
        source_organisation=source,
        label=label,
    )


def build_activities(partner_org: Organisation, other_org: Organisation) -> Activities:
    joined = ActivityFactory(
        lead_organisation=other_org, review_state=ReviewState.APPROVED, label=Label.AMBER
    )
    ActivityOrganisation.objects.create(activity=joined, organisation=partner_org, role=4)
    own_approved = ActivityFactory(
        lead_organisation=partner_org, review_state=ReviewState.APPROVED, label=Label.GREEN
    )
    own_submitted = ActivityFactory(
        lead_organisation=partner_org, review_state=ReviewState.SUBMITTED
    )
    own_trend = _trend("TRD-T-1", partner_org, Label.AMBER)
    return Activities(
        own_approved=own_approved,
        revision=ActivityRevision.objects.create(
            activity=own_approved, fields={"title": "Proposed in the cast"}
        ),
        own_draft=ActivityFactory(lead_organisation=partner_org),
        own_submitted=own_submitted,
        other_draft=ActivityFactory(lead_organisation=other_org),
        joined=joined,
        own_trend=own_trend,
        trend_response=TrendResponse.objects.create(trend=own_trend, activity=own_submitted),
        other_trend=_trend("TRD-T-2", other_org, Label.AMBER),
        green_trend=_trend("TRD-T-3", other_org, Label.GREEN),
        award=Award.objects.create(
            donor=other_org,
            number="AW-1",
            title="Frontline officers",
            starts_on=date(2031, 1, 1),
            ends_on=date(2031, 12, 31),
        ),
    )


def _framework_reference(decision: Decision) -> FrameworkReference:
    reference = FrameworkReference.objects.create(
        kind=FrameworkKind.TIP_RECOMMENDATION, year=2023, code="R1", text="Prosecute traffickers."
    )
    reference.decisions.add(decision)
    return reference


def build_meetings(
    users: dict[str, User],
    partner_org: Organisation,
    other_org: Organisation,
    other_person: Person,
) -> Meetings:
    series = SeriesFactory()
    default_rules(series)
    starts = timezone.now() + timedelta(days=30)
    invited = MeetingFactory(series=series, starts_at=starts)
    other = MeetingFactory(series=series, starts_at=starts + timedelta(days=1))
    AgendaItemFactory(meeting=invited, position=1)
    AgendaItemFactory(meeting=other, position=1)
    # The focal point is not invited yet: inviting the organisation's new contacts does it.
    own_invitation = InvitationFactory(meeting=invited, person=users[PARTNER].person)
    InvitationFactory(meeting=invited, person=users[DONOR].person)
    _link, rsvp = RsvpLink.objects.issue(invitation=own_invitation)
    started = _started_meeting(series, users)
    adopted = MeetingFactory(series=series, starts_at=starts - timedelta(days=90))
    InvitationFactory(meeting=adopted, person=other_person)
    _minutes(invited, MinutesState.DRAFT)
    circulated = _minutes(started, MinutesState.CIRCULATED)
    statements = [
        Statement.objects.create(
            minutes=circulated,
            speaker=users[PARTNER].person,
            text=f"Statement {order}",
            order=order,
        )
        for order in (1, 2)
    ]
    _minutes(adopted, MinutesState.ADOPTED)
    presented_item = AgendaItemFactory(
        meeting=invited, position=3, presenter_organisation=partner_org
    )
    revoked, revoked_feed = CalendarFeed.objects.issue(person=users[PARTNER].person)
    CalendarFeed.objects.filter(pk=revoked.pk).revoke()
    decision = Decision.objects.create(meeting=invited, number=1, text="Agreed")
    return Meetings(
        series=series,
        invited=invited,
        other=other,
        invited_item=AgendaItemFactory(meeting=invited, position=2),
        other_item=AgendaItemFactory(meeting=other, position=2),
        own_invitation=own_invitation,
        other_invitation=InvitationFactory(meeting=other, person=other_person),
        organisation_invitation=OrganisationInvitationFactory(
            meeting=invited, organisation=partner_org
        ),
        other_organisation_invitation=OrganisationInvitationFactory(
            meeting=invited, organisation=other_org
        ),
        letter_template=LetterTemplate.objects.create(
            language="ru", content=default_template("ru"), file_name="letter-ru.docx"
        ),
        rsvp=rsvp,
        started=started,
        decision=decision,
        own_action_item=_action_item(invited, partner_org),
        other_action_item=_action_item(invited, other_org),
        donor_action_item=_action_item(invited, users[DONOR].person.organisation),
        adopted=adopted,
        statement=statements[1],
        rule=ReminderRule.objects.create(meeting=other, offset_minutes=24 * 60),
        framework_reference=_framework_reference(decision),
        presented_item=presented_item,
        amber_document=_document(invited, Label.AMBER, by=users[SECRETARIAT]),
        red_document=_document(
            invited, Label.RED, by=users[SECRETARIAT], named=users[PARTNER].person
        ),
        own_document=_document(invited, Label.AMBER, by=users[PARTNER], item=presented_item),
        green_document=_document(other, Label.GREEN, by=users[SECRETARIAT]),
        other_document=_document(other, Label.AMBER, by=users[SECRETARIAT]),
        feeds={
            visitor: CalendarFeed.objects.issue(person=user.person)[1]
            for visitor, user in users.items()
            if user.person is not None
        },
        revoked_feed=revoked_feed,
    )


def _document(
    meeting: Meeting,
    label: str,
    *,
    by: User,
    item: AgendaItem | None = None,
    named: Person | None = None,
) -> Document:
    content = pdf_bytes()
    document = Document(
        meeting=meeting,
        agenda_item=item,
        title=f"{label} document",
        original_name="agenda.pdf",
        file_type=FileType.PDF,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by,
        organisation=by.person.organisation if by.person else None,
        label=label,
    )
    document.file.save(f"documents/{uuid.uuid4().hex}", ContentFile(content), save=False)
    document.save()
    if named is not None:
        document.named_people.add(named)
    return document


def _minutes(meeting: Meeting, state: str) -> Minutes:
    adopted_at = timezone.now() if state == MinutesState.ADOPTED else None
    minutes = Minutes.objects.create(meeting=meeting, state=state, adopted_at=adopted_at)
    MinutesRevision.objects.create(
        minutes=minutes,
        number=1,
        text_en="We met.",
        authoritative_language="en",
        adopted_at=adopted_at,
    )
    return minutes


def _action_item(meeting: Meeting, owner: Organisation) -> ActionItem:
    return ActionItem.objects.create(
        meeting=meeting,
        description=f"Report back ({owner})",
        owner_organisation=owner,
        due_on=meeting.starts_at.date() + timedelta(days=30),
    )


def _started_meeting(series: MeetingSeries, users: dict[str, User]) -> Meeting:
    meeting = MeetingFactory(series=series, starts_at=timezone.now() - timedelta(hours=1))
    InvitationFactory(meeting=meeting, person=users[PARTNER].person)
    return meeting


def build_world() -> World:
    partner_org = OrganisationFactory()
    focal_point = UserFactory(
        role=Role.PARTNER,
        person__organisation=partner_org,
        person__mechanism_role=MechanismRole.FOCAL_POINT,
    )
    users = {
        SECRETARIAT: UserFactory(
            role=Role.SECRETARIAT, person__mechanism_role=MechanismRole.FOCAL_POINT
        ),
        FOCAL_POINT: focal_point,
        PARTNER: UserFactory(
            role=Role.PARTNER,
            person__organisation=partner_org,
            person__mechanism_role=MechanismRole.MEMBER,
        ),
        DONOR: UserFactory(role=Role.DONOR, person__mechanism_role=MechanismRole.FOCAL_POINT),
        SUPERUSER: UserFactory(
            role="", person=None, email="root@example.org", is_superuser=True, is_staff=True
        ),
        DEACTIVATED: UserFactory(
            role=Role.PARTNER, person__organisation=partner_org, is_active=False
        ),
    }
    colleagues = {
        SECRETARIAT: PersonFactory(organisation=users[SECRETARIAT].person.organisation),
        PARTNER: PersonFactory(organisation=partner_org),
        DONOR: PersonFactory(organisation=users[DONOR].person.organisation),
    }
    colleagues[FOCAL_POINT] = colleagues[PARTNER]
    other_org = OrganisationFactory()
    other_person = PersonFactory(organisation=other_org)
    invited = UserFactory(role=Role.PARTNER, person__organisation=other_org, password=None)
    _link, invitation = AccountLink.objects.issue(
        user=invited, role=Role.PARTNER, purpose=AccountLink.Purpose.INVITATION
    )
    world = World(
        users=users,
        partner_org=partner_org,
        colleagues=colleagues,
        other_org=other_org,
        other_person=other_person,
        inactive_org=OrganisationFactory(is_active=False),
        inactive_person=PersonFactory(organisation=other_org, is_active=False),
        other_account=UserFactory(role=Role.PARTNER, person__organisation=other_org),
        invited=invited,
        invitation=invitation,
        batch=ImportBatch.objects.create(
            kind=ImportBatch.Kind.ORGANISATIONS,
            file_name="waiting.csv",
            rows=[],
            uploaded_by=users[SECRETARIAT],
        ),
        activity_batch=ImportBatch.objects.create(
            kind=ImportBatch.Kind.ACTIVITIES,
            file_name="our-activities.csv",
            rows=[],
            uploaded_by=users[PARTNER],
        ),
        activities=build_activities(partner_org, other_org),
        unsubscribe=UnsubscribeLink.objects.issue(
            person=other_person, choice=EmailChoice.MEETING_REMINDERS
        )[1],
        unknown_email=OutboundEmail.objects.create(
            kind="meeting_reminder",
            recipient="someone@example.org",
            language="en",
            subject="Reminder",
            body="The meeting starts tomorrow.",
            state=OutboundEmail.State.UNKNOWN,
        ),
        meetings=build_meetings(users, partner_org, other_org, other_person),
    )
    world.activities.evidence = ActivityDocument.objects.create(
        activity=world.activities.own_draft,
        title="Training agenda",
        file=default_storage.save("evidence/cast", ContentFile(pdf_bytes())),
        original_name="agenda.pdf",
        file_type="pdf",
        size=len(pdf_bytes()),
        sha256=hashlib.sha256(pdf_bytes()).hexdigest(),
    )
    world.activities.dashboard_target = Target.objects.create(
        indicator=Indicator.ACTIVITIES,
        period_kind="quarter",
        starts_on=date(2031, 1, 1),
        ends_on=date(2031, 3, 31),
        value=12,
        created_by=users[SECRETARIAT],
    )
    world.activities.national_figure = NationalFigure.objects.create(
        indicator=NationalIndicator.VICTIMS_IDENTIFIED,
        source_agency=other_org,
        period_kind="year",
        starts_on=date(2030, 1, 1),
        ends_on=date(2030, 12, 31),
        value=40,
        source="Annual report 2030",
        label=Label.AMBER,
        created_by=users[SECRETARIAT],
    )
    # A call for updates before the invited meeting, opened once the meetings exist.
    world.activities.call = services.call_open(
        user=users[SECRETARIAT],
        meeting=world.meetings.invited,
        deadline=timezone.localdate() + timedelta(days=20),
    )
    return world
