"""Who may do what with meetings: the one place this app reads roles.

The secretariat runs every meeting. Anyone else with a portal role sees the meetings
they hold an invitation to, or whose invited organisations include their own; a
focal point answers for the colleagues of their organisation and names its delegates.
Minutes are the secretariat's while drafted; circulated, the invitees read them within
their label; adopted, the label alone decides. Statements and decisions follow them.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from meetings.models import (
    ActionItem,
    AgendaItem,
    Document,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesState,
    OrganisationInvitation,
)
from portal.lib.sensitivity import Label, readable
from stakeholders.models import User
from stakeholders.permissions import (
    NOTHING,
    has_portal_role,
    is_focal_point_of,
    is_secretariat,
)

# What an edit of a meeting may change; the status moves through its own actions.
MEETING_FIELDS = frozenset(
    {
        "number",
        "title",
        "title_ru",
        "title_uz",
        "starts_at",
        "ends_at",
        "time_zone",
        "modality",
        "venue",
        "online_url",
        "chair",
    }
)
SERIES_FIELDS = frozenset(
    {
        "title",
        "title_ru",
        "title_uz",
        "convener",
        "cadence",
        "default_venue",
        "default_time_zone",
        "standing_invitees",
        "is_active",
    }
)


def _own_organisation_id(user: User) -> int | None:
    person = user.person
    return person.organisation_id if person is not None else None


# Pages


def can_read_meetings(user: User) -> bool:
    """The meeting list: every portal user (it shows the meetings they may see)."""
    return has_portal_role(user)


def can_manage_meetings(user: User) -> bool:
    """Series, meetings, agendas, invitations and attendance."""
    return is_secretariat(user)


def may_save_flagged_text(user: User) -> bool:
    """Saving text that looks like personal data, with a reason (an office's address quoted
    in an agenda is not case data): the secretariat only."""
    return is_secretariat(user)


# Records


def can_edit_meeting(user: User, meeting: Meeting) -> bool:
    return is_secretariat(user) and meeting.status != MeetingStatus.CANCELLED


def can_record_attendance(user: User, meeting: Meeting) -> bool:
    """From the start of a meeting that was not cancelled."""
    return is_secretariat(user) and meeting.has_started and not meeting.is_cancelled


def can_answer_for(user: User, invitation: Invitation) -> bool:
    """The invitee themselves, their organisation's focal point, or the secretariat."""
    if is_secretariat(user):
        return True
    if not has_portal_role(user):
        return False
    person = user.person
    if person is not None and person.pk == invitation.person_id:
        return True
    return is_focal_point_of(user, invitation.organisation_id)


def answers_for_colleagues(user: User) -> bool:
    """A partner focal point answers for the colleagues of their organisation too."""
    person = user.person
    return person is not None and is_focal_point_of(user, person.organisation_id)


def can_name_delegates(user: User, invited: OrganisationInvitation) -> bool:
    """Naming an invited organisation's delegates, or saying it declines: its focal point,
    or the secretariat."""
    return is_secretariat(user) or is_focal_point_of(user, invited.organisation_id)


# Q-builders for visible_to


def _invited(user: User) -> Q | None:
    """The Q on Meeting of the meetings the user holds an invitation to, or whose invited
    organisations include theirs; None for a user without a person."""
    person = user.person
    if person is None:
        return None
    mine = Q(person_id=person.pk)
    organisation_id = person.organisation_id
    if organisation_id is not None:
        mine |= Q(organisation_id=organisation_id)
    seen = Q(Exists(Invitation.objects.filter(mine, meeting=OuterRef("pk"))))
    if organisation_id is not None:
        seen |= Q(
            Exists(
                OrganisationInvitation.objects.filter(
                    meeting=OuterRef("pk"), organisation_id=organisation_id
                )
            )
        )
    return seen


# Adopted minutes with these labels open their meeting to every portal user.
OPEN_LABELS = (Label.CLEAR, Label.GREEN)


def meeting_visibility(user: User | AnonymousUser) -> Q:
    """All meetings for the secretariat; for anyone else with a portal role, those they hold
    an invitation to, or whose invited organisations include theirs, and those whose adopted
    minutes are public or for all portal users."""
    if not has_portal_role(user):
        return NOTHING
    if is_secretariat(user):
        return Q()
    public = Q(
        Exists(
            Minutes.objects.filter(
                meeting=OuterRef("pk"), state=MinutesState.ADOPTED, label__in=OPEN_LABELS
            )
        )
    )
    invited = _invited(user)
    return public if invited is None else invited | public


def series_visibility(user: User | AnonymousUser) -> Q:
    """The series pages are the secretariat's; others reach meetings directly."""
    return Q() if is_secretariat(user) else NOTHING


# Decisions and action items


# Minutes, and what follows them


def minutes_visibility(user: User | AnonymousUser) -> Q:
    """The secretariat reads all minutes. Circulated, the invitees (in person or through
    their organisation) read them within the label; adopted, the label decides, amber
    meaning the invited organisations. Drafts are the secretariat's."""
    if not has_portal_role(user):
        return NOTHING
    if is_secretariat(user):
        return Q()
    invited_meeting = _invited(user)
    invited = (
        Q(meeting__in=Meeting.objects.filter(invited_meeting))
        if invited_meeting is not None
        else None
    )
    person = user.person
    by_label = readable(
        Minutes,
        sees_all=False,
        portal_user=True,
        organisations=invited,
        person_id=person.pk if person is not None else None,
    )
    adopted = Q(state=MinutesState.ADOPTED) & by_label
    if invited is None:
        return adopted
    return adopted | (Q(state=MinutesState.CIRCULATED) & invited & by_label)


def _with_minutes(user: User | AnonymousUser, path: str) -> Q:
    return Q(**{f"{path}__in": Minutes.objects.visible_to(user).values("pk")})


def statement_visibility(user: User | AnonymousUser) -> Q:
    """Statements are read with their minutes."""
    return Q() if is_secretariat(user) else _with_minutes(user, "minutes")


def decision_visibility(user: User | AnonymousUser) -> Q:
    """Decisions follow their meeting's minutes: the secretariat's until they circulate."""
    if not has_portal_role(user):
        return NOTHING
    return Q() if is_secretariat(user) else _with_minutes(user, "meeting__minutes")


def action_item_visibility(user: User | AnonymousUser) -> Q:
    """The secretariat sees every action item; an organisation always sees its own, whatever
    the role of its user (a donor owns items too); others see an item with the minutes of
    the meeting that raised it."""
    if not has_portal_role(user):
        return NOTHING
    if is_secretariat(user):
        return Q()
    with_minutes = _with_minutes(user, "meeting__minutes")
    person = user.person
    if person is None or person.organisation_id is None:
        return with_minutes
    return Q(owner_organisation_id=person.organisation_id) | with_minutes


def can_write_minutes(user: User) -> bool:
    """Drafting, circulating, adopting and correcting minutes, and recording statements."""
    return is_secretariat(user)


def can_comment_on_minutes(user: User, minutes: Minutes) -> bool:
    """While circulated, those who read them comment (the caller has read them through
    visible_to)."""
    return has_portal_role(user) and minutes.state == MinutesState.CIRCULATED


def can_manage_follow_up(user: User) -> bool:
    """Recording decisions and raising action items."""
    return is_secretariat(user)


def can_update_action_item(user: User, item: ActionItem) -> bool:
    """The status of an item: the secretariat, or any active user of the owner organisation."""
    if is_secretariat(user):
        return True
    person = user.person
    return (
        has_portal_role(user)
        and person is not None
        and person.organisation_id == item.owner_organisation_id
    )


# Documents


def document_visibility(user: User | AnonymousUser) -> Q:
    """The secretariat reads every document; others by its label: amber, the meeting's
    invitees (in person or through their organisation) and the uploader's organisation;
    red, the named people."""
    if not has_portal_role(user):
        return NOTHING
    if is_secretariat(user):
        return Q()
    invited_meeting = _invited(user)
    organisations = (
        Q(meeting__in=Meeting.objects.filter(invited_meeting).values("pk"))
        if invited_meeting is not None
        else None
    )
    own = _own_organisation_id(user)
    if own is not None:
        mine = Q(organisation_id=own)
        organisations = mine if organisations is None else organisations | mine
    person = user.person
    return readable(
        Document,
        sees_all=False,
        portal_user=True,
        organisations=organisations,
        person_id=person.pk if person is not None else None,
    )


def can_upload_to_agenda_item(user: User, item: AgendaItem) -> bool:
    """The secretariat uploads to any item; a partner to the items its organisation
    presents."""
    if is_secretariat(user):
        return True
    own = _own_organisation_id(user)
    return has_portal_role(user) and own is not None and item.presenter_organisation_id == own


def can_upload_to_meeting(user: User) -> bool:
    """Documents of the whole meeting, not of one agenda item: the secretariat."""
    return is_secretariat(user)


def can_change_document(user: User, document: Document) -> bool:
    """Editing its details or deleting it: the uploader's organisation, or the secretariat."""
    if is_secretariat(user):
        return True
    own = _own_organisation_id(user)
    return has_portal_role(user) and own is not None and document.organisation_id == own


def can_read_action_items(user: User) -> bool:
    """The register: every portal user (it lists what they may see)."""
    return has_portal_role(user)


# Calendars


def can_keep_calendar_feed(user: User) -> bool:
    """A private calendar address of one's own meetings: every portal user with a person
    (the feed is the person's, and lists what their user may see)."""
    return has_portal_role(user) and user.person is not None


# Framework references


# What a framework reference's form may change.
FRAMEWORK_FIELDS = frozenset({"kind", "year", "code", "text", "text_ru", "text_uz", "is_active"})


def framework_reference_visibility(user: User | AnonymousUser) -> Q:
    """The plan's measures and the report's recommendations are public documents: every
    portal user reads them; what they tag is read as each record allows."""
    return Q() if has_portal_role(user) else NOTHING


def can_read_frameworks(user: User) -> bool:
    """The coverage page: every portal user (it shows the records they may see)."""
    return has_portal_role(user)


def can_manage_frameworks(user: User) -> bool:
    """Keeping the lists of measures and recommendations, and importing them."""
    return is_secretariat(user)
