import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from meetings import services
from meetings.audit import Action
from meetings.models import Invitation, MeetingStatus, Response, RsvpLink
from portal.lib.email import send_outbound_email_now
from portal.models import AuditEvent, OutboundEmail
from stakeholders.models import MechanismRole, Person, Role
from stakeholders.services import person_anonymise
from tests.meetings.factories import START, MeetingFactory
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def meeting():
    return MeetingFactory(title="Fourth meeting", title_ru="Четвёртое совещание")


def invite(secretariat, meeting, *people):
    return services.invite_people(user=secretariat, meeting=meeting, people=people)


def calendar_of(email: OutboundEmail) -> Calendar:
    (attachment,) = email.attachments
    assert attachment["mimetype"] == "text/calendar"
    return Calendar.from_ical(attachment["content"])


def event_of(email: OutboundEmail):
    (event,) = calendar_of(email).walk("VEVENT")
    return event


def rsvp_token(email: OutboundEmail) -> str:
    return re.search(r"/meetings/rsvp/([^/\s]+)/", email.body).group(1)


# Emails and calendar entries


def test_it_sends_one_email_per_invitee_in_their_language(secretariat, meeting):
    russian = PersonFactory(preferred_language="ru")
    uzbek = PersonFactory(preferred_language="uz")
    PersonFactory(email="")  # no address: invited, not emailed

    invite(secretariat, meeting, russian, uzbek, Person.objects.get(email=""))

    emails = {e.recipient: e for e in OutboundEmail.objects.all()}
    assert set(emails) == {russian.email, uzbek.email}
    ru, uz = emails[russian.email], emails[uzbek.email]
    assert (ru.language, uz.language) == ("ru", "uz")
    with translation.override("ru"):
        assert ru.subject.startswith(translation.gettext("Invitation: %(title)s, %(date)s")[:5])
    assert "Четвёртое совещание" in ru.subject and "октября" in ru.subject
    assert ru.subject != uz.subject
    assert "10:00" in ru.body and "Asia/Tashkent" in ru.body
    assert Invitation.objects.filter(meeting=meeting).count() == 3


def test_the_calendar_entry_parses_and_says_how_to_answer(secretariat, meeting, settings):
    settings.MEETING_ORGANISER_EMAIL = "secretariat@example.org"
    person = PersonFactory()

    invite(secretariat, meeting, person)

    email = OutboundEmail.objects.get()
    calendar = calendar_of(email)
    event = event_of(email)
    assert str(calendar["method"]) == "REQUEST"
    assert event["dtstart"].to_ical() == b"20311021T050000Z"
    assert event["dtend"].to_ical() == b"20311021T080000Z"
    assert str(event["organizer"]) == "mailto:secretariat@example.org"
    assert event["attendee"].params["RSVP"] == "FALSE"
    assert "Only this link records your answer" in email.body


def test_uid_stays_and_sequence_rises_from_invitation_to_move_to_cancel(secretariat, meeting):
    person = PersonFactory()
    invite(secretariat, meeting, person)

    services.meeting_update(
        user=secretariat,
        meeting=meeting,
        data={"starts_at": START + timedelta(hours=1), "ends_at": START + timedelta(hours=4)},
        version=meeting.version,
    )
    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED)
    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED)

    invitation, update, cancel = OutboundEmail.objects.order_by("pk")
    assert [e.kind for e in (invitation, update, cancel)] == [
        "meeting_invitation",
        "meeting_update",
        "meeting_cancelled",
    ]
    events = [event_of(e) for e in (invitation, update, cancel)]
    assert len({str(e["uid"]) for e in events}) == 1
    sequences = [int(e["sequence"]) for e in events]
    assert sequences[0] < sequences[1] < sequences[2]
    assert [str(calendar_of(e)["method"]) for e in (invitation, update, cancel)] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    assert events[1]["dtstart"].to_ical() == b"20311021T060000Z"


def test_a_rename_sends_nothing_and_a_held_meeting_is_not_re_sent(secretariat, meeting):
    invite(secretariat, meeting, PersonFactory())

    services.meeting_update(
        user=secretariat, meeting=meeting, data={"title": "Renamed"}, version=meeting.version
    )

    assert OutboundEmail.objects.count() == 1


def test_declined_invitees_get_the_cancellation_not_updates(secretariat, meeting):
    coming, declined = PersonFactory(), PersonFactory()
    invite(secretariat, meeting, coming, declined)
    services.invitation_answer(
        user=None,
        invitation=Invitation.objects.get(person=declined),
        response=Response.DECLINED,
    )

    services.meeting_update(
        user=secretariat, meeting=meeting, data={"venue": "Hyatt"}, version=meeting.version
    )
    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED)

    def kinds(person):
        return list(
            OutboundEmail.objects.filter(recipient=person.email)
            .order_by("pk")
            .values_list("kind", flat=True)
        )

    assert kinds(coming) == ["meeting_invitation", "meeting_update", "meeting_cancelled"]
    assert kinds(declined) == ["meeting_invitation", "meeting_cancelled"]


def test_postponing_and_planning_again_tell_the_invitees(secretariat, meeting):
    invite(secretariat, meeting, PersonFactory())

    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.POSTPONED)
    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.PLANNED)

    postponed, planned = OutboundEmail.objects.order_by("pk")[1:]
    assert (postponed.kind, str(event_of(postponed)["status"])) == (
        "meeting_postponed",
        "TENTATIVE",
    )
    assert (planned.kind, str(event_of(planned)["status"])) == ("meeting_update", "CONFIRMED")


def test_the_calendar_entry_goes_out_as_an_attachment(secretariat, meeting):
    invite(secretariat, meeting, PersonFactory())
    email = OutboundEmail.objects.get()

    assert send_outbound_email_now(email.pk)

    (message,) = mail.outbox
    part = next(p for p in message.message().walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "meeting.ics"
    assert "BEGIN:VEVENT" in part.get_content()
    assert OutboundEmail.objects.get().attachments == []


def test_sending_and_cancelling_are_audited(secretariat, meeting):
    invite(secretariat, meeting, PersonFactory(), PersonFactory())
    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED)

    events = AuditEvent.objects.order_by("pk")
    assert [(e.action, e.details, e.actor) for e in events] == [
        (Action.INVITATIONS_SENT, {"recipients": 2}, secretariat),
        (Action.MEETING_CANCELLED, {"recipients": 2}, secretariat),
    ]


def test_anonymising_an_invitee_forgets_their_calendar_entries(secretariat, meeting):
    person = PersonFactory(full_name="Dilnoza Karimova")
    invite(secretariat, meeting, person)

    person_anonymise(user=secretariat, person=person)

    assert "Karimova" not in str(list(OutboundEmail.objects.values()))


# Answering through the link


def test_looking_at_the_link_records_nothing_and_posting_records(client, secretariat, meeting):
    invite(secretariat, meeting, PersonFactory())
    url = reverse("meetings:rsvp", args=[rsvp_token(OutboundEmail.objects.get())])

    page = client.get(url)

    invitation = Invitation.objects.get()
    assert page.status_code == 200 and "Fourth meeting" in page.content.decode()
    assert (invitation.response, invitation.responded_at) == (Response.PENDING, None)
    assert RsvpLink.objects.get().last_used_at is None

    response = client.post(url, {"action": "answer", "response": "accepted", "comment": "Yes"})

    invitation.refresh_from_db()
    assert response.status_code == 302
    assert (invitation.response, invitation.comment) == (Response.ACCEPTED, "Yes")
    assert RsvpLink.objects.get().last_used_at is not None

    client.post(url, {"action": "answer", "response": "declined"})
    assert Invitation.objects.get().response == Response.DECLINED


def test_the_first_emails_link_still_works_after_a_second_email(client, secretariat, meeting):
    invite(secretariat, meeting, PersonFactory())
    first = rsvp_token(OutboundEmail.objects.get())
    services.meeting_update(
        user=secretariat, meeting=meeting, data={"venue": "Hyatt"}, version=meeting.version
    )
    second = rsvp_token(OutboundEmail.objects.order_by("pk").last())
    assert first != second

    client.post(
        reverse("meetings:rsvp", args=[first]), {"action": "answer", "response": "tentative"}
    )

    assert Invitation.objects.get().response == Response.TENTATIVE


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_a_clear_404(client, secretariat, meeting, method):
    invite(secretariat, meeting, PersonFactory())
    token = rsvp_token(OutboundEmail.objects.get())

    response = getattr(client, method)(
        reverse("meetings:rsvp", args=[token[:-2] + "xx"]),
        {"action": "answer", "response": "accepted"},
    )

    assert response.status_code == 404
    assert "no longer opens an invitation" in response.content.decode()
    assert Invitation.objects.get().response == Response.PENDING


def test_a_withdrawn_invitation_or_an_anonymised_person_is_a_404(client, secretariat, meeting):
    withdrawn, anonymised = PersonFactory(), PersonFactory()
    invite(secretariat, meeting, withdrawn, anonymised)
    tokens = {e.recipient: rsvp_token(e) for e in OutboundEmail.objects.all()}
    addresses = (withdrawn.email, anonymised.email)
    services.invitation_remove(
        user=secretariat, invitation=Invitation.objects.get(person=withdrawn)
    )
    person_anonymise(user=secretariat, person=anonymised)

    for email in addresses:
        response = client.get(reverse("meetings:rsvp", args=[tokens[email]]))
        assert response.status_code == 404


@pytest.mark.parametrize("when", ["started", "cancelled"])
def test_after_the_start_or_once_cancelled_the_page_is_read_only(
    client, secretariat, meeting, when
):
    invite(secretariat, meeting, PersonFactory())
    url = reverse("meetings:rsvp", args=[rsvp_token(OutboundEmail.objects.get())])
    moment = START + timedelta(minutes=5) if when == "started" else START - timedelta(days=1)
    if when == "cancelled":
        services.meeting_set_status(
            user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED
        )

    with time_machine.travel(moment):
        page = client.get(url).content.decode()
        response = client.post(url, {"action": "answer", "response": "accepted"})

    assert "answers are closed" in page
    assert 'name="response"' not in page
    assert response.status_code == 200
    assert Invitation.objects.get().response == Response.PENDING


def test_a_colleague_attends_in_the_invitees_place(client, secretariat, meeting):
    ministry = OrganisationFactory()
    invitee = PersonFactory(organisation=ministry, mechanism_role=MechanismRole.FOCAL_POINT)
    colleague = PersonFactory(organisation=ministry)
    PersonFactory()  # of another organisation: not offered
    invite(secretariat, meeting, invitee)
    url = reverse("meetings:rsvp", args=[rsvp_token(OutboundEmail.objects.get())])

    offered = client.get(url).context["substitute_form"].fields["colleague"].queryset
    response = client.post(url, {"action": "substitute", "substitute-colleague": colleague.pk})

    assert list(offered) == [colleague]
    assert response.status_code == 302
    original = Invitation.objects.get(person=invitee)
    substitute = Invitation.objects.get(person=colleague)
    assert original.response == Response.DECLINED
    assert (substitute.substitute_for, substitute.organisation) == (original, ministry)
    assert OutboundEmail.objects.filter(recipient=colleague.email).count() == 1


def test_a_new_colleague_is_added_to_the_directory_flagged(client, secretariat, meeting):
    ministry = OrganisationFactory()
    invite(secretariat, meeting, PersonFactory(organisation=ministry, preferred_language="ru"))
    url = reverse("meetings:rsvp", args=[rsvp_token(OutboundEmail.objects.get())])

    client.post(
        url,
        {
            "action": "substitute",
            "substitute-full_name": "Aziz Rakhimov",
            "substitute-email": "aziz@example.org",
            "substitute-position": "Inspector",
        },
    )

    added = Person.objects.get(email="aziz@example.org")
    assert (added.organisation, added.preferred_language) == (ministry, "ru")
    assert Invitation.objects.get(person=added).person_added_by_rsvp


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a colleague, or give the name and email of a new one."),
        ({"substitute-full_name": "No Email"}, "name and email address"),
        ({"substitute-email": "taken@example.org", "substitute-full_name": "X"}, "cannot be used"),
        ({"substitute-colleague": "999999"}, "Select a valid choice"),
    ],
)
def test_a_bad_substitute_gets_a_message_and_changes_nothing(
    client, secretariat, meeting, data, message
):
    ministry = OrganisationFactory()
    PersonFactory(organisation=ministry)
    PersonFactory(email="taken@example.org")
    invite(secretariat, meeting, PersonFactory(organisation=ministry))
    url = reverse("meetings:rsvp", args=[rsvp_token(OutboundEmail.objects.get())])
    people = Person.objects.count()

    response = client.post(url, {"action": "substitute", **data})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Invitation.objects.get().response == Response.PENDING
    assert (Invitation.objects.count(), Person.objects.count()) == (1, people)


def test_an_invitation_is_passed_on_once(client, secretariat, meeting):
    ministry = OrganisationFactory()
    invitee = PersonFactory(organisation=ministry)
    first, second = PersonFactory(organisation=ministry), PersonFactory(organisation=ministry)
    invite(secretariat, meeting, invitee)
    url = reverse("meetings:rsvp", args=[rsvp_token(OutboundEmail.objects.get())])

    client.post(url, {"action": "substitute", "substitute-colleague": first.pk})
    response = client.post(url, {"action": "substitute", "substitute-colleague": second.pk})

    assert "is already invited in your place" in response.content.decode()
    assert not Invitation.objects.filter(person=second).exists()


def test_a_withdrawn_invitee_is_told_and_their_calendar_entry_removed(secretariat, meeting):
    person = PersonFactory()
    invite(secretariat, meeting, person)

    services.invitation_remove(user=secretariat, invitation=Invitation.objects.get())

    invitation, withdrawn = OutboundEmail.objects.order_by("pk")
    assert withdrawn.kind == "meeting_invitation_withdrawn"
    assert str(calendar_of(withdrawn)["method"]) == "CANCEL"
    assert str(event_of(withdrawn)["uid"]) == str(event_of(invitation)["uid"])
    assert "/meetings/rsvp/" not in withdrawn.body
    assert not RsvpLink.objects.exists()
    assert AuditEvent.objects.filter(action=Action.INVITATION_WITHDRAWN).exists()
