from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from meetings import selectors, services
from meetings.models import Attendance, Invitation, MeetingStatus, Response
from portal.models import OutboundEmail
from stakeholders.models import Person, Role, Sex, StakeholderGroup
from stakeholders.services import person_update
from tests.meetings.factories import START, InvitationFactory, MeetingFactory
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

DURING = START + timedelta(minutes=30)


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def meeting():
    return MeetingFactory()


def test_attendance_is_recorded_from_the_start_only(secretariat, meeting):
    invitation = InvitationFactory(meeting=meeting)

    with time_machine.travel(START - timedelta(minutes=1)), pytest.raises(ValidationError):
        services.attendance_record(
            user=secretariat, meeting=meeting, marks={invitation.pk: Attendance.ATTENDED}
        )
    with time_machine.travel(DURING):
        services.attendance_record(
            user=secretariat, meeting=meeting, marks={invitation.pk: Attendance.ATTENDED}
        )

    assert Invitation.objects.get().attendance == Attendance.ATTENDED


def test_a_cancelled_meeting_has_no_attendance(secretariat, meeting):
    invitation = InvitationFactory(meeting=meeting)
    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED)

    with time_machine.travel(DURING), pytest.raises(ValidationError):
        services.attendance_record(
            user=secretariat, meeting=meeting, marks={invitation.pk: Attendance.ATTENDED}
        )


def test_a_whole_organisation_is_marked_at_once(secretariat, meeting, client):
    ministry, other = OrganisationFactory(), OrganisationFactory()
    ours = [InvitationFactory(meeting=meeting, person__organisation=ministry) for _ in range(3)]
    theirs = InvitationFactory(meeting=meeting, person__organisation=other)

    with time_machine.travel(DURING):
        client.force_login(secretariat)  # a session of that day
        response = client.post(
            reverse("meetings:meeting_attendance", args=[meeting.pk]),
            {"action": "organisation", "organisation": ministry.pk, "attendance": "excused"},
        )

    assert response.status_code == 302
    assert {Invitation.objects.get(pk=i.pk).attendance for i in ours} == {Attendance.EXCUSED}
    assert Invitation.objects.get(pk=theirs.pk).attendance == ""


def test_the_attendance_form_saves_each_mark(secretariat, meeting, client):
    came, missed = InvitationFactory(meeting=meeting), InvitationFactory(meeting=meeting)

    with time_machine.travel(DURING):
        client.force_login(secretariat)  # a session of that day
        client.post(
            reverse("meetings:meeting_attendance", args=[meeting.pk]),
            {
                "action": "save",
                f"attendance-{came.pk}": "attended",
                f"attendance-{missed.pk}": "absent",
            },
        )
        refused = client.post(
            reverse("meetings:meeting_attendance", args=[meeting.pk]),
            {"action": "save", f"attendance-{came.pk}": "teleported"},
            follow=True,
        )

    assert Invitation.objects.get(pk=came.pk).attendance == Attendance.ATTENDED
    assert Invitation.objects.get(pk=missed.pk).attendance == Attendance.ABSENT
    assert "Unknown attendance." in refused.content.decode()


def test_a_walk_in_is_recorded_as_attending_without_an_email(secretariat, meeting, client):
    walk_in = PersonFactory()

    with time_machine.travel(DURING):
        client.force_login(secretariat)  # a session of that day
        client.post(
            reverse("meetings:meeting_attendance", args=[meeting.pk]),
            {"action": "walk_in", "walk_in-person": walk_in.pk},
        )

    invitation = Invitation.objects.get(person=walk_in)
    assert (invitation.is_walk_in, invitation.attendance) == (True, Attendance.ATTENDED)
    assert not OutboundEmail.objects.exists()


def test_the_summary_counts_by_organisation_group_and_sex_and_names_who_did_not_come():
    meeting = MeetingFactory()
    ministry = OrganisationFactory(stakeholder_group=StakeholderGroup.MINISTRY)
    court = OrganisationFactory(stakeholder_group=StakeholderGroup.JUDICIARY)
    absent = OrganisationFactory(stakeholder_group=StakeholderGroup.NATIONAL_NGO)
    for sex in (Sex.FEMALE, Sex.MALE):
        InvitationFactory(
            meeting=meeting,
            person__organisation=ministry,
            person__sex=sex,
            attendance=Attendance.ATTENDED,
        )
    InvitationFactory(meeting=meeting, person__organisation=court, attendance=Attendance.ATTENDED)
    InvitationFactory(meeting=meeting, person__organisation=absent, attendance=Attendance.ABSENT)
    InvitationFactory(
        meeting=meeting,
        person__organisation=court,
        person__sex=Sex.FEMALE,
        is_walk_in=True,
        attendance=Attendance.ATTENDED,
    )

    summary = selectors.attendance_summary(selectors.invitations_by_organisation(meeting))

    assert (summary.invited, summary.attended, summary.walk_ins) == (4, 3, 1)
    assert dict((label, (orgs, people)) for label, orgs, people in summary.by_group) == {
        "Ministry": (1, 2),
        "Judiciary": (1, 2),
    }
    assert summary.absent_organisations == [absent]
    assert dict(summary.by_sex) == {"Female": 2, "Male": 1, "Not disclosed": 1}


def test_the_organisation_page_counts_meetings_attended(secretariat, client):
    ministry = OrganisationFactory()
    for attendance in (Attendance.ATTENDED, Attendance.ATTENDED, Attendance.ABSENT):
        InvitationFactory(person__organisation=ministry, attendance=attendance)
    client.force_login(secretariat)

    page = client.get(ministry.get_absolute_url())

    assert ("Meetings attended", 2) in page.context["more_engagement"]


def test_meetings_attended_count_only_meetings_the_reader_sees():
    ministry = OrganisationFactory()
    InvitationFactory(person__organisation=ministry, attendance=Attendance.ATTENDED)
    stranger = UserFactory(role=Role.PARTNER)

    assert selectors.engagement(stranger, ministry) == [("Meetings attended", 0)]


def test_the_sign_in_sheet_lists_who_is_coming(secretariat, meeting, client):
    coming = InvitationFactory(meeting=meeting, person__position="Inspector")
    declined = InvitationFactory(meeting=meeting, response=Response.DECLINED)
    client.force_login(secretariat)

    page = client.get(reverse("meetings:meeting_sign_in_sheet", args=[meeting.pk]))

    body = page.content.decode()
    assert coming.person.full_name in body and "Inspector" in body
    assert coming.organisation.local_name in body
    assert declined.person.full_name not in body


def test_a_person_gives_their_sex_and_a_colleague_cannot(client):
    partner = UserFactory(role=Role.PARTNER)
    colleague = UserFactory(role=Role.PARTNER, person__organisation=partner.person.organisation)
    client.force_login(partner)

    client.post(reverse("profile"), {"preferred_language": "en", "sex": "female"})

    assert Person.objects.get(pk=partner.person.pk).sex == Sex.FEMALE
    with pytest.raises(PermissionDenied):
        person_update(user=colleague, person=partner.person, data={"sex": Sex.MALE})


def test_the_secretariat_sets_a_persons_sex(secretariat):
    person = PersonFactory()

    person_update(user=secretariat, person=person, data={"sex": Sex.MALE})

    assert Person.objects.get(pk=person.pk).sex == Sex.MALE
