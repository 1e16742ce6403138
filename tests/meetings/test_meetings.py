from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import selectors, services
from meetings.models import (
    AgendaItem,
    Cadence,
    Invitation,
    Meeting,
    MeetingStatus,
    Modality,
    OrganisationInvitation,
    Response,
)
from stakeholders.models import MechanismRole, Role
from stakeholders.services import organisation_merge
from tests.meetings.factories import (
    START,
    AgendaItemFactory,
    InvitationFactory,
    MeetingFactory,
    OrganisationInvitationFactory,
    SeriesFactory,
)
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def client_of(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def meeting_form(**overrides):
    data = {
        "number": 1,
        "title": "Fourth coordination meeting",
        "starts_at": "2031-10-21T10:00",
        "ends_at": "2031-10-21T13:00",
        "time_zone": "Asia/Tashkent",
        "modality": Modality.IN_PERSON,
        "venue": "UN House, Tashkent",
    }
    data.update(overrides)
    return data


# Numbering and times


def test_it_proposes_the_number_after_the_highest(secretariat):
    series = SeriesFactory()
    MeetingFactory(series=series, number=3)
    MeetingFactory(series=series, number=1)

    assert services.next_number(series) == 4


def test_it_stores_local_time_in_utc_and_shows_it_in_the_meetings_zone(secretariat, client_of):
    series = SeriesFactory()
    client = client_of(secretariat)

    response = client.post(reverse("meetings:meeting_create"), meeting_form(series=series.pk))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at == datetime(2031, 10, 21, 5, 0, tzinfo=UTC)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "10:00" in page and "13:00" in page and "Asia/Tashkent" in page


def test_it_refuses_an_end_before_the_start_in_the_form(secretariat, client_of):
    series = SeriesFactory()

    response = client_of(secretariat).post(
        reverse("meetings:meeting_create"),
        meeting_form(series=series.pk, ends_at="2031-10-21T09:00"),
    )

    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_database_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(ends_at=START - timedelta(hours=1))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "is not a time zone name"),
        ("number", "7", "already has a meeting with this number"),
        ("starts_at", "not a date", "Enter a valid date/time."),
        ("starts_at", "9999-01-01T10:00", "Enter a date between"),
        ("venue", "", "needs a venue"),
    ],
)
def test_bad_meeting_input_gets_a_message_and_saves_nothing(
    secretariat, client_of, field, value, message
):
    series = SeriesFactory()
    MeetingFactory(series=series, number=7)

    response = client_of(secretariat).post(
        reverse("meetings:meeting_create"), meeting_form(series=series.pk, **{field: value})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Meeting.objects.count() == 1


def test_an_online_meeting_needs_a_link(secretariat, client_of):
    series = SeriesFactory()

    response = client_of(secretariat).post(
        reverse("meetings:meeting_create"),
        meeting_form(series=series.pk, modality=Modality.ONLINE, venue=""),
    )

    assert "needs a link to join it" in response.content.decode()
    assert not Meeting.objects.exists()


# New from previous


def test_the_next_meeting_copies_the_previous_one_without_answers(secretariat, client_of):
    series = SeriesFactory(cadence=Cadence.QUARTERLY)
    chair = PersonFactory()
    previous = MeetingFactory(
        series=series,
        number=4,
        modality=Modality.HYBRID,
        online_url="https://meet.example.org/x",
        chair=chair,
        ends_at=START + timedelta(hours=2, minutes=30),
    )
    AgendaItemFactory(meeting=previous, position=1, title="Opening", duration_minutes=10)
    AgendaItemFactory(meeting=previous, position=2, title="Trends", duration_minutes=40)
    answered = InvitationFactory(meeting=previous, response=Response.ACCEPTED)
    OrganisationInvitationFactory(meeting=previous, organisation=answered.organisation)
    client = client_of(secretariat)

    form = client.get(reverse("meetings:meeting_next", args=[previous.pk])).context["form"]

    assert form.initial["number"] == 5
    # One quarter later, at the same local time.
    assert form.initial["starts_at"] == datetime(2032, 1, 21, 10, 0)
    assert form.initial["ends_at"] == datetime(2032, 1, 21, 12, 30)

    response = client.post(
        reverse("meetings:meeting_next", args=[previous.pk]),
        meeting_form(
            number=5,
            starts_at="2032-01-21T10:00",
            ends_at="2032-01-21T12:30",
            modality=Modality.HYBRID,
            online_url="https://meet.example.org/x",
            chair=chair.pk,
        ),
    )

    new = Meeting.objects.get(number=5)
    assert response.status_code == 302
    assert (new.series, new.venue, new.modality, new.time_zone, new.chair) == (
        series,
        previous.venue,
        Modality.HYBRID,
        "Asia/Tashkent",
        chair,
    )
    assert new.duration == previous.duration
    assert list(new.agenda_items.values_list("position", "title")) == [
        (1, "Opening"),
        (2, "Trends"),
    ]
    copied = new.invitations.get()
    assert (copied.person, copied.response) == (answered.person, Response.PENDING)
    assert new.organisation_invitations.get().organisation == answered.organisation


def test_a_new_meeting_invites_the_series_standing_invitees(secretariat):
    ministry = OrganisationFactory()
    focal = PersonFactory(organisation=ministry, mechanism_role=MechanismRole.FOCAL_POINT)
    series = SeriesFactory()
    series.standing_invitees.add(ministry)

    meeting = services.meeting_create(
        user=secretariat,
        series=series,
        data={
            "number": 1,
            "title": "First",
            "starts_at": START,
            "ends_at": START + timedelta(hours=2),
            "time_zone": "Asia/Tashkent",
            "modality": Modality.IN_PERSON,
            "venue": "UN House",
        },
    )

    assert list(meeting.invitations.values_list("person", flat=True)) == [focal.pk]
    assert meeting.organisation_invitations.get().organisation == ministry


# Agenda


def test_agenda_times_follow_the_items_and_mark_an_overrun():
    meeting = MeetingFactory(ends_at=START + timedelta(minutes=60))
    AgendaItemFactory(meeting=meeting, position=1, duration_minutes=15)
    AgendaItemFactory(meeting=meeting, position=2, duration_minutes=40)
    AgendaItemFactory(meeting=meeting, position=3, duration_minutes=10)

    rows = selectors.agenda(meeting)

    assert [(r.starts.strftime("%H:%M"), r.ends.strftime("%H:%M")) for r in rows] == [
        ("10:00", "10:15"),
        ("10:15", "10:55"),
        ("10:55", "11:05"),
    ]
    assert [r.overruns for r in rows] == [False, False, True]


def positions(meeting):
    return list(meeting.agenda_items.order_by("position").values_list("title", "position"))


def test_moving_and_removing_items_keeps_positions_one_to_n(secretariat):
    meeting = MeetingFactory()
    first, second, third = (
        services.agenda_item_create(
            user=secretariat, meeting=meeting, data={"title": t, "duration_minutes": 10}
        )
        for t in ("A", "B", "C")
    )

    services.agenda_item_move(user=secretariat, item=third, up=True)
    assert positions(meeting) == [("A", 1), ("C", 2), ("B", 3)]

    services.agenda_item_move(user=secretariat, item=first, up=True)  # already first
    services.agenda_item_move(user=secretariat, item=first, up=False)
    assert positions(meeting) == [("C", 1), ("A", 2), ("B", 3)]

    services.agenda_item_delete(user=secretariat, item=AgendaItem.objects.get(pk=first.pk))
    assert positions(meeting) == [("C", 1), ("B", 2)]
    assert second.pk in meeting.agenda_items.values_list("pk", flat=True)


def test_moving_an_item_with_htmx_answers_the_agenda_fragment(secretariat, client_of):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, position=1, title="Opening")
    last = AgendaItemFactory(meeting=meeting, position=2, title="Closing")
    client = client_of(secretariat)

    response = client.post(
        reverse("meetings:agenda_item_move", args=[last.pk]),
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="agenda"')
    assert "<html" not in body
    assert body.index("Closing") < body.index("Opening")


def test_moving_without_javascript_returns_to_the_agenda(secretariat, client_of):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, position=1, title="Opening")
    last = AgendaItemFactory(meeting=meeting, position=2, title="Closing")

    response = client_of(secretariat).post(
        reverse("meetings:agenda_item_move", args=[last.pk]), {"direction": "up"}
    )

    assert response["Location"].endswith(f"/meetings/{meeting.pk}/#agenda")
    assert positions(meeting) == [("Closing", 1), ("Opening", 2)]


def test_a_presenter_of_another_organisation_is_refused(secretariat, client_of):
    meeting = MeetingFactory()
    presenter = PersonFactory()
    elsewhere = OrganisationFactory()

    response = client_of(secretariat).post(
        reverse("meetings:agenda_item_create", args=[meeting.pk]),
        {
            "title": "Update",
            "kind": "update",
            "duration_minutes": 20,
            "presenter_organisation": elsewhere.pk,
            "presenter_person": presenter.pk,
        },
    )

    assert response.status_code == 200
    assert "must belong to the presenting organisation" in response.content.decode()
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("minutes", [0, 481, -5])
def test_an_item_lasts_one_to_480_minutes(secretariat, client_of, minutes):
    meeting = MeetingFactory()

    response = client_of(secretariat).post(
        reverse("meetings:agenda_item_create", args=[meeting.pk]),
        {"title": "Update", "kind": "update", "duration_minutes": minutes},
    )

    assert response.status_code == 200
    assert not AgendaItem.objects.exists()


# Invitations


def test_an_organisation_invite_reaches_focal_point_and_alternates_not_members(secretariat):
    meeting = MeetingFactory()
    ministry = OrganisationFactory()
    focal = PersonFactory(organisation=ministry, mechanism_role=MechanismRole.FOCAL_POINT)
    alternate = PersonFactory(organisation=ministry, mechanism_role=MechanismRole.ALTERNATE)
    PersonFactory(organisation=ministry, mechanism_role=MechanismRole.MEMBER)
    PersonFactory(organisation=ministry, mechanism_role=MechanismRole.FOCAL_POINT, is_active=False)

    services.invite_organisations(user=secretariat, meeting=meeting, organisations=[ministry])
    again = services.invite_organisations(
        user=secretariat, meeting=meeting, organisations=[ministry]
    )

    invited = set(meeting.invitations.values_list("person", flat=True))
    assert invited == {focal.pk, alternate.pk}
    assert again.new == [] and set(again.already) == {focal, alternate}
    assert OrganisationInvitation.objects.filter(meeting=meeting).count() == 1


def test_an_organisation_without_contacts_is_refused_by_name(secretariat, client_of):
    meeting = MeetingFactory()
    silent = OrganisationFactory(name="Silent Agency")
    PersonFactory(organisation=silent, mechanism_role=MechanismRole.MEMBER)

    response = client_of(secretariat).post(
        reverse("meetings:meeting_invite", args=[meeting.pk]),
        {"kind": "organisation", "organisation-organisation": silent.pk},
    )

    assert response.status_code == 200
    assert "Silent Agency has neither a focal point nor an alternate" in (response.content.decode())
    assert not meeting.invitations.exists()
    assert not meeting.organisation_invitations.exists()


def test_a_focal_point_named_later_is_invited_in_one_step(secretariat, client_of):
    meeting = MeetingFactory()
    ministry = OrganisationFactory()
    PersonFactory(organisation=ministry, mechanism_role=MechanismRole.FOCAL_POINT)
    services.invite_organisations(user=secretariat, meeting=meeting, organisations=[ministry])
    named_later = PersonFactory(organisation=ministry, mechanism_role=MechanismRole.ALTERNATE)
    invited = meeting.organisation_invitations.get()

    client_of(secretariat).post(
        reverse("meetings:organisation_invitation_refresh", args=[invited.pk])
    )

    assert meeting.invitations.filter(person=named_later).exists()


def test_the_invited_organisation_is_fixed_when_invited(secretariat):
    meeting = MeetingFactory()
    person = PersonFactory()
    invited_for = person.organisation
    services.invite_people(user=secretariat, meeting=meeting, people=[person])

    person.organisation = OrganisationFactory()
    person.save()

    assert meeting.invitations.get().organisation == invited_for


def test_merging_two_organisations_invited_to_one_meeting_succeeds(secretariat):
    meeting = MeetingFactory()
    keep, duplicate = OrganisationFactory(), OrganisationFactory()
    for organisation in (keep, duplicate):
        PersonFactory(organisation=organisation, mechanism_role=MechanismRole.FOCAL_POINT)
    services.invite_organisations(
        user=secretariat, meeting=meeting, organisations=[keep, duplicate]
    )
    meeting.series.standing_invitees.add(keep, duplicate)
    AgendaItemFactory(meeting=meeting, presenter_organisation=duplicate)

    organisation_merge(user=secretariat, duplicate=duplicate, keep=keep)

    assert list(meeting.organisation_invitations.values_list("organisation", flat=True)) == [
        keep.pk
    ]
    assert set(meeting.invitations.values_list("organisation", flat=True)) == {keep.pk}
    assert list(meeting.series.standing_invitees.all()) == [keep]
    assert meeting.agenda_items.get().presenter_organisation == keep


# Answers and status


def test_answers_close_at_the_start_and_on_cancelling(secretariat):
    invitation = InvitationFactory()
    services.invitation_answer(user=None, invitation=invitation, response=Response.ACCEPTED)

    with time_machine.travel(START + timedelta(minutes=1)), pytest.raises(ValidationError):
        services.invitation_answer(user=None, invitation=invitation, response=Response.DECLINED)

    services.meeting_set_status(
        user=secretariat, meeting=invitation.meeting, status=MeetingStatus.CANCELLED
    )
    with pytest.raises(ValidationError):
        services.invitation_answer(user=None, invitation=invitation, response=Response.DECLINED)
    assert Invitation.objects.get().response == Response.ACCEPTED


def test_a_partner_answers_for_themselves_and_a_focal_point_for_colleagues():
    invitation = InvitationFactory()
    organisation = invitation.organisation
    invitee = UserFactory(role=Role.PARTNER, person=invitation.person)
    colleague = UserFactory(role=Role.PARTNER, person__organisation=organisation)
    focal = UserFactory(
        role=Role.PARTNER,
        person__organisation=organisation,
        person__mechanism_role=MechanismRole.FOCAL_POINT,
    )
    stranger = UserFactory(role=Role.PARTNER, person__mechanism_role=MechanismRole.FOCAL_POINT)

    for user, response in ((invitee, Response.ACCEPTED), (focal, Response.TENTATIVE)):
        services.invitation_answer(user=user, invitation=invitation, response=response)
    for user in (colleague, stranger):
        with pytest.raises(PermissionDenied):
            services.invitation_answer(user=user, invitation=invitation, response=Response.DECLINED)

    assert Invitation.objects.get().response == Response.TENTATIVE


def test_a_meeting_is_marked_held_only_once_started_and_a_cancelled_one_stays(secretariat):
    meeting = MeetingFactory()
    with time_machine.travel(START - timedelta(days=1)), pytest.raises(ValidationError):
        services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.HELD)
    with time_machine.travel(START + timedelta(hours=1)):
        services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.HELD)
    assert Meeting.objects.get().status == MeetingStatus.HELD

    other = MeetingFactory()
    services.meeting_set_status(user=secretariat, meeting=other, status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        services.meeting_set_status(user=secretariat, meeting=other, status=MeetingStatus.PLANNED)


def test_a_move_raises_the_calendar_sequence_and_a_rename_does_not(secretariat):
    meeting = MeetingFactory()

    services.meeting_update(
        user=secretariat, meeting=meeting, data={"title": "Renamed"}, version=meeting.version
    )
    assert Meeting.objects.get().calendar_sequence == 0
    services.meeting_update(
        user=secretariat,
        meeting=meeting,
        data={"starts_at": START + timedelta(hours=1)},
        version=meeting.version,
    )
    assert Meeting.objects.get().calendar_sequence == 1


def test_an_edit_based_on_an_old_version_overwrites_nothing(secretariat, client_of):
    meeting = MeetingFactory(title="Fourth meeting")
    old_version = meeting.version
    services.meeting_update(
        user=secretariat, meeting=meeting, data={"venue": "Hyatt"}, version=old_version
    )

    response = client_of(secretariat).post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        meeting_form(number=meeting.number, title="Mine", version=old_version),
    )

    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert Meeting.objects.get().title == "Fourth meeting"


# Who sees what


def test_a_partner_sees_meetings_of_their_invitations_and_their_organisations():
    partner = UserFactory(role=Role.PARTNER)
    organisation = partner.person.organisation
    own = InvitationFactory(person=partner.person).meeting
    colleagues = InvitationFactory(person=PersonFactory(organisation=organisation)).meeting
    as_organisation = OrganisationInvitationFactory(organisation=organisation).meeting
    MeetingFactory()  # nobody of theirs invited

    assert set(Meeting.objects.visible_to(partner)) == {own, colleagues, as_organisation}


# Lists and pages


def test_the_list_shows_upcoming_meetings_first_soonest_first(secretariat):
    now = datetime(2031, 6, 1, tzinfo=UTC)
    soon = MeetingFactory(starts_at=now + timedelta(days=5))
    later = MeetingFactory(starts_at=now + timedelta(days=50))
    recent = MeetingFactory(starts_at=now - timedelta(days=5))
    old = MeetingFactory(starts_at=now - timedelta(days=90))

    found = list(selectors.meeting_list(user=secretariat, filters={}, now=now))

    assert found == [soon, later, recent, old]


def test_the_list_finds_a_cyrillic_title_in_any_letter_case(secretariat, client_of):
    MeetingFactory(title="Meeting", title_ru="Координационное совещание")

    response = client_of(secretariat).get(
        reverse("meetings:meeting_list"), {"q": "КООРДИНАЦИОННОЕ"}
    )

    assert len(response.context["page"].object_list) == 1


@pytest.mark.parametrize("param", ["page=abc", "page=-1", "series=xyz", "when=soon", "status=x"])
def test_an_odd_query_string_still_gets_the_list(secretariat, client_of, param):
    MeetingFactory()

    response = client_of(secretariat).get(reverse("meetings:meeting_list") + "?" + param)

    assert response.status_code == 200


def _populate(meeting, size):
    for position in range(1, size + 1):
        organisation = OrganisationFactory()
        AgendaItemFactory(
            meeting=meeting,
            position=position,
            presenter_organisation=organisation,
            presenter_person=PersonFactory(organisation=organisation),
        )
        invitation = InvitationFactory(meeting=meeting, person__organisation=organisation)
        OrganisationInvitationFactory(meeting=meeting, organisation=organisation)
        InvitationFactory(meeting=meeting, substitute_for=invitation)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_meeting_page_reads_as_many_queries_for_5_as_for_50(secretariat, client_of):
    small, large = MeetingFactory(), MeetingFactory()
    _populate(small, 5)
    _populate(large, 50)
    client = client_of(secretariat)

    # Session, user, meeting with series and chair, agenda items with presenters,
    # invitations with people, invited organisations, organisations of the invitations,
    # decisions, action items, matters arising, minutes, documents; and, the meeting being
    # its series' next, whether one comes before it and the trends without response.
    counts = [_queries(client, m.get_absolute_url()) for m in (small, large)]

    assert counts[0] == counts[1] <= 14


def test_the_meeting_list_reads_as_many_queries_for_5_as_for_50(secretariat, client_of):
    client = client_of(secretariat)
    counts = []
    for size in (5, 50):
        Meeting.objects.all().delete()
        series = SeriesFactory()
        for number in range(size):
            meeting = MeetingFactory(series=series, starts_at=START + timedelta(days=number))
            InvitationFactory(meeting=meeting)
        # Session, user, series of the filter, count, page ids, page rows with their
        # series, invitation counts.
        counts.append(_queries(client, reverse("meetings:meeting_list")))

    assert counts[0] == counts[1] <= 7


def test_the_home_pages_show_the_next_meetings_and_the_answers_pending(secretariat, client):
    partner = UserFactory(role=Role.PARTNER)
    mine = InvitationFactory(person=partner.person, meeting__starts_at=START).meeting
    MeetingFactory(starts_at=START)  # not the partner's
    past = InvitationFactory(
        person=partner.person, meeting__starts_at=START - timedelta(days=400)
    ).meeting

    with time_machine.travel(START - timedelta(days=3)):
        client.force_login(partner)
        partner_page = client.get(reverse("partner_home"))
        client.force_login(secretariat)
        secretariat_page = client.get(reverse("secretariat_home"))

    assert partner_page.context["next_meetings"] == [mine]
    assert partner_page.context["pending_answers"] is None
    assert past not in secretariat_page.context["next_meetings"]
    pending = secretariat_page.context["pending_answers"]
    assert [(m, m.pending) for m in pending] == [(mine, 1)]


def test_the_meeting_page_offers_answers_for_oneself_and_a_focal_points_colleagues():
    meeting = MeetingFactory()
    organisation = OrganisationFactory()
    focal = UserFactory(
        role=Role.PARTNER,
        person__organisation=organisation,
        person__mechanism_role=MechanismRole.FOCAL_POINT,
    )
    member = UserFactory(role=Role.PARTNER, person__organisation=organisation)
    secretariat = UserFactory(role=Role.SECRETARIAT, person__organisation=organisation)
    for user in (focal, member, secretariat):
        InvitationFactory(meeting=meeting, person=user.person)

    def answered_by(user):
        groups = selectors.invitations_by_organisation(meeting)
        return {i.person for i in selectors.own_invitations(user=user, groups=groups)}

    assert answered_by(focal) == {focal.person, member.person, secretariat.person}
    assert answered_by(member) == {member.person}
    assert answered_by(secretariat) == {secretariat.person}


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("meetings:meeting_create", "get", {"series": "9" * 30}),
        ("meetings:series_standing_invitees", "post", {"remove": "9" * 30}),
        (
            "meetings:meeting_attendance",
            "post",
            {"action": "organisation", "organisation": "9" * 30},
        ),
    ],
)
def test_an_id_too_large_for_the_database_gets_a_page_not_an_error(
    secretariat, client_of, name, method, data
):
    meeting = MeetingFactory()
    args = (
        []
        if name == "meetings:meeting_create"
        else [meeting.series_id if name == "meetings:series_standing_invitees" else meeting.pk]
    )

    response = getattr(client_of(secretariat), method)(reverse(name, args=args), data)

    assert response.status_code in (200, 302)
