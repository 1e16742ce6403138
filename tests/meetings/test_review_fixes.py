"""Cases found in review: each failed before its fix."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import ActionItem, Decision, Invitation, MeetingStatus
from portal.models import OutboundEmail
from stakeholders.models import MechanismRole, Person, Role
from stakeholders.services import person_set_active
from tests.meetings.factories import (
    START,
    MeetingFactory,
    OrganisationInvitationFactory,
)
from tests.meetings.test_invitations import rsvp_token
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def test_the_link_of_a_deactivated_person_opens_nothing(client, secretariat):
    meeting = MeetingFactory()
    person = PersonFactory()
    services.invite_people(user=secretariat, meeting=meeting, people=[person])
    url = reverse("meetings:rsvp", args=[rsvp_token(OutboundEmail.objects.get())])

    person_set_active(user=secretariat, person=person, active=False)

    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "answer", "response": "accepted"}).status_code == 404


def test_a_substitute_picks_a_colleague_but_adds_nobody_new(client, secretariat):
    meeting = MeetingFactory()
    ministry = OrganisationFactory()
    invitee, colleague = PersonFactory(organisation=ministry), PersonFactory(organisation=ministry)
    services.invite_people(user=secretariat, meeting=meeting, people=[invitee])
    first = reverse("meetings:rsvp", args=[rsvp_token(OutboundEmail.objects.get())])
    client.post(first, {"action": "substitute", "substitute-colleague": colleague.pk})
    second = reverse(
        "meetings:rsvp",
        args=[rsvp_token(OutboundEmail.objects.get(recipient=colleague.email))],
    )
    people = Person.objects.count()

    response = client.post(
        second,
        {
            "action": "substitute",
            "substitute-full_name": "Someone New",
            "substitute-email": "new@example.org",
        },
    )

    assert "choose a colleague from the list" in response.content.decode()
    assert Person.objects.count() == people


def test_a_held_meeting_stays_held_and_a_started_one_is_not_postponed(secretariat):
    meeting = MeetingFactory()
    services.invite_people(user=secretariat, meeting=meeting, people=[PersonFactory()])
    with time_machine.travel(START + timedelta(hours=1)):
        with pytest.raises(ValidationError):
            services.meeting_set_status(
                user=secretariat, meeting=meeting, status=MeetingStatus.POSTPONED
            )
        services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.HELD)
        for status in (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED, MeetingStatus.PLANNED):
            with pytest.raises(ValidationError):
                services.meeting_set_status(user=secretariat, meeting=meeting, status=status)

    assert OutboundEmail.objects.count() == 1  # the invitation only


def test_cancelling_after_the_start_emails_nobody(secretariat):
    meeting = MeetingFactory()
    services.invite_people(user=secretariat, meeting=meeting, people=[PersonFactory()])

    with time_machine.travel(START + timedelta(hours=1)):
        services.meeting_set_status(
            user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED
        )

    assert list(OutboundEmail.objects.values_list("kind", flat=True)) == ["meeting_invitation"]


def test_inviting_after_the_start_records_without_emailing(secretariat):
    meeting = MeetingFactory()

    with time_machine.travel(START + timedelta(days=30)):
        services.invite_people(user=secretariat, meeting=meeting, people=[PersonFactory()])

    assert Invitation.objects.count() == 1
    assert not OutboundEmail.objects.exists()


def test_inviting_new_contacts_of_a_cancelled_meeting_is_a_404(client, secretariat):
    meeting = MeetingFactory()
    invited = OrganisationInvitationFactory(meeting=meeting)
    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED)
    client.force_login(secretariat)

    response = client.post(reverse("meetings:organisation_invitation_refresh", args=[invited.pk]))

    assert response.status_code == 404


def test_a_delegate_id_too_large_gets_a_message(client, secretariat):
    invited = OrganisationInvitationFactory()
    client.force_login(secretariat)

    response = client.post(
        reverse("meetings:organisation_invitation_delegates", args=[invited.pk]),
        {"people": "9" * 30},
    )

    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_withdrawing_twice_tells_the_invitee_once(secretariat):
    meeting = MeetingFactory()
    services.invite_people(user=secretariat, meeting=meeting, people=[PersonFactory()])
    stale_copies = list(Invitation.objects.all()) * 2

    for invitation in stale_copies:
        services.invitation_remove(user=secretariat, invitation=invitation)

    assert OutboundEmail.objects.filter(kind="meeting_invitation_withdrawn").count() == 1


def test_an_owner_sees_its_item_without_the_meeting_or_decision_it_may_not_see(client, secretariat):
    owner = OrganisationFactory()
    partner = UserFactory(
        role=Role.PARTNER, person__organisation=owner, person__mechanism_role=MechanismRole.MEMBER
    )
    meeting = MeetingFactory(title="Closed-door meeting")
    decision = services.decision_create(
        user=secretariat, meeting=meeting, data={"text": "A decision the partner may not read"}
    )
    item = services.action_item_create(
        user=secretariat,
        meeting=meeting,
        data={
            "description": "Report on the shelter",
            "owner_organisation": owner,
            "due_on": START.date(),
            "decision": decision,
        },
    )
    client.force_login(partner)

    pages = [
        client.get(item.get_absolute_url()).content.decode(),
        client.get(reverse("meetings:action_item_list")).content.decode(),
        client.get(reverse("meetings:action_item_export", args=["csv"])).content.decode(),
    ]

    for page in pages:
        assert "Report on the shelter" in page
        assert "A decision the partner may not read" not in page
        assert "Closed-door meeting" not in page
        assert f"{meeting.number}/{decision.number}" not in page
    assert Decision.objects.visible_to(partner).count() == 0
    assert ActionItem.objects.visible_to(partner).get() == item


def test_decisions_on_the_meeting_page_cost_no_query_each(
    client, secretariat, django_assert_max_num_queries
):
    meeting = MeetingFactory()
    for number in range(10):
        services.decision_create(user=secretariat, meeting=meeting, data={"text": f"D{number}"})
    client.force_login(secretariat)

    # The page's twelve, the decisions' framework references, and for the series' next
    # meeting whether one comes before it and the trends without response (none: no count).
    with django_assert_max_num_queries(15):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200


def test_attendance_for_an_unknown_organisation_changes_nobody(client, secretariat):
    meeting = MeetingFactory()
    without = Invitation.objects.create(meeting=meeting, person=PersonFactory(organisation=None))

    with time_machine.travel(START + timedelta(minutes=30)):
        client.force_login(secretariat)
        client.post(
            reverse("meetings:meeting_attendance", args=[meeting.pk]),
            {"action": "organisation", "organisation": "999999", "attendance": "attended"},
        )

    assert Invitation.objects.get(pk=without.pk).attendance == ""
