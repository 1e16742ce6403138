from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import OrganisationUpdate, UpdateState
from meetings.models import ReminderKind
from meetings.services.reminders import send_due_reminders
from portal.models import OutboundEmail
from stakeholders.models import MechanismRole, Role
from tests.activities.factories import ActivityFactory
from tests.meetings.factories import MeetingFactory, OrganisationInvitationFactory
from tests.stakeholders.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def focal_point(organisation):
    return UserFactory(
        role=Role.PARTNER,
        person__organisation=organisation,
        person__mechanism_role=MechanismRole.FOCAL_POINT,
    )


def opened(secretariat, *organisations, days_to_deadline=10):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=days_to_deadline + 5))
    for organisation in organisations:
        OrganisationInvitationFactory(meeting=meeting, organisation=organisation)
    return services.call_open(
        user=secretariat,
        meeting=meeting,
        deadline=timezone.localdate() + timedelta(days=days_to_deadline),
    )


def state(call, organisation):
    return OrganisationUpdate.objects.get(call=call, organisation=organisation).state


def test_nothing_new_and_a_submission_each_change_their_organisations_state_once(secretariat):
    quiet, busy = OrganisationFactory(), OrganisationFactory()
    call = opened(secretariat, quiet, busy)
    partner = UserFactory(role=Role.PARTNER, person__organisation=busy)

    services.call_nothing_new(user=focal_point(quiet), call=call)
    activity = ActivityFactory(lead_organisation=busy)
    services.activity_submit(user=partner, activity=activity)

    assert (state(call, quiet), state(call, busy)) == (UpdateState.NOTHING_NEW, "submitted")
    with pytest.raises(ValidationError):
        services.call_nothing_new(user=focal_point(quiet), call=call)
    second = ActivityFactory(lead_organisation=quiet)
    services.activity_submit(
        user=UserFactory(role=Role.PARTNER, person__organisation=quiet), activity=second
    )
    assert state(call, quiet) == UpdateState.NOTHING_NEW  # answered once, not again


def test_only_a_focal_point_says_nothing_new(secretariat):
    organisation = OrganisationFactory()
    call = opened(secretariat, organisation)
    member = UserFactory(role=Role.PARTNER, person__organisation=organisation)

    with pytest.raises(PermissionDenied):
        services.call_nothing_new(user=member, call=call)
    assert state(call, organisation) == UpdateState.PENDING


def test_a_call_is_one_per_meeting_with_a_deadline_before_it(secretariat):
    call = opened(secretariat, OrganisationFactory())

    with pytest.raises(ValidationError):
        services.call_open(user=secretariat, meeting=call.meeting, deadline=call.deadline)
    later = MeetingFactory(starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError):
        services.call_open(
            user=secretariat, meeting=later, deadline=timezone.localdate() + timedelta(days=9)
        )


def test_the_chase_goes_only_to_pending_organisations_before_the_deadline(secretariat):
    pending, answered = OrganisationFactory(), OrganisationFactory()
    call = opened(secretariat, pending, answered, days_to_deadline=5)
    asked = focal_point(pending)
    services.call_nothing_new(user=focal_point(answered), call=call)
    PersonFactory(organisation=pending)  # a member: not asked

    deadline = datetime.combine(call.deadline, datetime.min.time()).astimezone()
    with time_machine.travel(deadline - timedelta(days=3), tick=False):
        send_due_reminders()
    with time_machine.travel(deadline - timedelta(days=1), tick=False):
        send_due_reminders()
        send_due_reminders()

    chases = OutboundEmail.objects.filter(kind=ReminderKind.UPDATES_CHASE)
    assert list(chases.values_list("recipient", flat=True)) == [asked.person.email]
    assert "/activities/calls/" in chases.get().body


def test_the_call_page_shows_who_answered_and_partners_see_their_own(client, secretariat):
    organisation = OrganisationFactory()
    call = opened(secretariat, organisation)
    fp = focal_point(organisation)
    stranger = UserFactory(role=Role.PARTNER)

    client.force_login(fp)
    own = client.get(call.get_absolute_url())
    client.post(reverse("activities:call_nothing_new", args=[call.pk]))
    client.force_login(stranger)
    hidden = client.get(call.get_absolute_url())
    client.force_login(secretariat)
    page = client.get(call.get_absolute_url()).content.decode()

    assert own.status_code == 200 and "Nothing new" in own.content.decode()
    assert hidden.status_code == 404
    assert organisation.local_name in page and "Nothing new" in page


def test_the_demo_has_an_open_call_before_the_fifth_meeting():
    from django.core.management import call_command

    from activities.models import CallForUpdates

    call_command("load_demo", "--force", verbosity=0)

    call = CallForUpdates.objects.get()
    assert call.meeting.number == 5
    assert call.answers.count() == 12
    assert call.deadline < call.meeting.local_start.date()
