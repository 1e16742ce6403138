import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import selectors
from meetings.models import (
    ActionItem,
    Meeting,
    MeetingStatus,
    ReminderAudience,
    ReminderDelivery,
    ReminderKind,
    ReminderRule,
    Response,
    SkipReason,
)
from meetings.services import reminders
from meetings.services.reminders import default_rules, send_due_reminders
from portal.models import OutboundEmail
from stakeholders.models import EmailChoice, MechanismRole, Person, UnsubscribeLink
from stakeholders.unsubscribe import unsubscribe_link
from tests.meetings.factories import START, InvitationFactory, MeetingFactory, SeriesFactory
from tests.stakeholders.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

INVITED = START - timedelta(days=30)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)


def meeting_with_invitees(*responses, rules=True):
    """A meeting at START (10:00 in Tashkent), invitations made 30 days before it."""
    series = SeriesFactory()
    if rules:
        default_rules(series)
    meeting = MeetingFactory(series=series)
    invitations = [
        InvitationFactory(meeting=meeting, response=response, invited_at=INVITED)
        for response in responses
    ]
    return meeting, invitations


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return send_due_reminders()


def reminders_of(kind=ReminderKind.MEETING):
    return OutboundEmail.objects.filter(kind=kind)


# Meeting reminders


def test_each_rule_fires_at_its_minute_once():
    _meeting, (invitation,) = meeting_with_invitees(Response.ACCEPTED)

    assert sweep_at(START - 7 * DAY - MINUTE).queued == 0
    assert sweep_at(START - 7 * DAY).queued == 1
    assert sweep_at(START - 7 * DAY + MINUTE).queued == 0
    assert sweep_at(START - DAY - MINUTE).queued == 0
    assert sweep_at(START - DAY).queued == 1
    assert sweep_at(START - DAY + 10 * MINUTE).queued == 0

    emails = list(reminders_of())
    assert [e.recipient for e in emails] == [invitation.person.email] * 2
    assert "Reminder:" in emails[0].subject
    assert emails[0].attachments[0]["mimetype"] == "text/calendar"


def test_a_moved_meeting_is_reminded_for_its_new_start_only():
    meeting, _invitations = meeting_with_invitees(Response.ACCEPTED)
    sweep_at(START - 7 * DAY)
    meeting.starts_at, meeting.ends_at = START + 3 * DAY, START + 3 * DAY + 3 * 60 * MINUTE
    meeting.save()

    assert sweep_at(START + 3 * DAY - 7 * DAY).queued == 1
    assert sweep_at(START - DAY).queued == 0  # the old start's day-before: nothing
    assert sweep_at(START + 2 * DAY).queued == 1
    starts = set(ReminderDelivery.objects.values_list("for_start", flat=True))
    assert starts == {START, START + 3 * DAY}


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.POSTPONED])
def test_nothing_for_a_cancelled_or_postponed_meeting(status):
    meeting, _invitations = meeting_with_invitees(Response.ACCEPTED)
    meeting.status = status
    meeting.save()

    assert sweep_at(START - DAY).queued == 0
    assert not ReminderDelivery.objects.exists()


def test_nothing_once_the_meeting_has_started():
    meeting_with_invitees(Response.ACCEPTED)

    assert sweep_at(START + MINUTE).queued == 0
    assert not ReminderDelivery.objects.exists()


@pytest.mark.parametrize(
    ("audience", "reached"),
    [
        (ReminderAudience.NOT_DECLINED, {Response.ACCEPTED, Response.TENTATIVE, Response.PENDING}),
        (ReminderAudience.NOT_ANSWERED, {Response.PENDING}),
    ],
)
def test_each_audience_reaches_its_invitees(audience, reached):
    meeting, invitations = meeting_with_invitees(
        Response.ACCEPTED, Response.TENTATIVE, Response.PENDING, Response.DECLINED, rules=False
    )
    ReminderRule.objects.create(meeting=meeting, offset_minutes=24 * 60, audience=audience)

    sweep_at(START - DAY)

    by_email = {i.person.email: i.response for i in invitations}
    assert {by_email[e.recipient] for e in reminders_of()} == reached


def test_a_meetings_own_rules_replace_its_series():
    meeting, _invitations = meeting_with_invitees(Response.ACCEPTED)
    ReminderRule.objects.create(meeting=meeting, offset_minutes=2 * 60)

    assert sweep_at(START - DAY).queued == 0
    assert sweep_at(START - 2 * 60 * MINUTE).queued == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"email_meeting_reminders": False}, SkipReason.OPTED_OUT),
        ({"is_active": False}, SkipReason.INACTIVE),
        ({"email": ""}, SkipReason.NO_EMAIL),
    ],
)
def test_who_cannot_or_will_not_be_reached_is_recorded_with_why(change, reason):
    _meeting, (invitation,) = meeting_with_invitees(Response.ACCEPTED)
    Person.objects.filter(pk=invitation.person_id).update(**change)

    result = sweep_at(START - DAY)

    assert (result.queued, result.skipped) == (0, 2)  # the 7-day one is superseded
    delivery = ReminderDelivery.objects.get(rule__offset_minutes=24 * 60)
    assert (delivery.skip_reason, delivery.email) == (reason, None)
    assert not OutboundEmail.objects.exists()


def test_after_three_days_down_only_the_latest_reminder_goes():
    _meeting, _invitations = meeting_with_invitees(Response.ACCEPTED)
    sweep_at(START - 7 * DAY - 60 * MINUTE)  # the last sweep before the outage

    result = sweep_at(START - DAY + 5 * MINUTE)
    later = sweep_at(START - DAY + 60 * MINUTE)

    assert (result.queued, result.skipped, later.queued) == (1, 1, 0)
    week, day = (
        ReminderDelivery.objects.get(rule__offset_minutes=7 * 24 * 60),
        ReminderDelivery.objects.get(rule__offset_minutes=24 * 60),
    )
    assert (week.skip_reason, week.email) == (SkipReason.SUPERSEDED, None)
    assert day.email is not None and day.skip_reason == ""


def test_a_reminder_that_fell_due_before_the_invitation_is_not_sent():
    meeting, _invitations = meeting_with_invitees()
    InvitationFactory(meeting=meeting, invited_at=START - 3 * DAY, response=Response.ACCEPTED)

    assert sweep_at(START - 3 * DAY + MINUTE).queued == 0
    assert sweep_at(START - DAY).queued == 1


# Requests for an answer


def test_those_who_have_not_answered_are_asked_three_days_before_with_a_fresh_link():
    _meeting, (pending, accepted) = meeting_with_invitees(
        Response.PENDING, Response.ACCEPTED, rules=False
    )

    assert sweep_at(START - 3 * DAY - MINUTE).queued == 0
    assert sweep_at(START - 3 * DAY).queued == 1

    (chase,) = reminders_of(ReminderKind.RSVP_CHASE)
    assert chase.recipient == pending.person.email
    assert "/meetings/rsvp/" in chase.body
    assert pending.rsvp_links.count() == 1 and accepted.rsvp_links.count() == 0


# Action items


def action_item(*, due_on, owner_person=True, **fields):
    organisation = OrganisationFactory()
    meeting = MeetingFactory()
    return ActionItem.objects.create(
        meeting=meeting,
        description="Share the airport training plan",
        owner_organisation=organisation,
        owner_person=PersonFactory(organisation=organisation) if owner_person else None,
        due_on=due_on,
        **fields,
    )


def test_an_owner_hears_three_days_before_the_due_date_then_weekly_once_late():
    item = action_item(due_on=date(2031, 11, 14))  # a Friday

    assert sweep_at(datetime(2031, 11, 10, 12, 0).astimezone()).queued == 0
    assert sweep_at(datetime(2031, 11, 11, 6, 0).astimezone()).queued == 1
    assert sweep_at(datetime(2031, 11, 14, 6, 0).astimezone()).queued == 0
    assert sweep_at(datetime(2031, 11, 15, 6, 0).astimezone()).queued == 1  # late, week 46
    assert sweep_at(datetime(2031, 11, 16, 6, 0).astimezone()).queued == 0  # same week
    assert sweep_at(datetime(2031, 11, 17, 6, 0).astimezone()).queued == 1  # week 47

    kinds = list(OutboundEmail.objects.order_by("pk").values_list("kind", "recipient"))
    assert kinds == [
        (ReminderKind.ACTION_DUE, item.owner_person.email),
        (ReminderKind.ACTION_OVERDUE, item.owner_person.email),
        (ReminderKind.ACTION_OVERDUE, item.owner_person.email),
    ]


def test_without_an_owner_person_the_focal_points_hear_and_done_items_are_quiet():
    item = action_item(due_on=date(2031, 11, 14), owner_person=False)
    focal = PersonFactory(
        organisation=item.owner_organisation, mechanism_role=MechanismRole.FOCAL_POINT
    )
    PersonFactory(organisation=item.owner_organisation)  # a member: not told
    action_item(due_on=date(2031, 11, 14), status="done", completed_at=START)

    sweep_at(datetime(2031, 11, 11, 6, 0).astimezone())

    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [focal.email]


def test_an_owner_who_turned_action_item_emails_off_is_skipped():
    item = action_item(due_on=date(2031, 11, 14))
    Person.objects.filter(pk=item.owner_person_id).update(email_action_item_reminders=False)

    result = sweep_at(datetime(2031, 11, 11, 6, 0).astimezone())

    assert (result.queued, result.skipped) == (0, 1)
    assert ReminderDelivery.objects.get().skip_reason == SkipReason.OPTED_OUT


# Cost


def test_a_sweep_costs_a_fixed_number_of_queries_per_reminder():
    counts = []
    for size in (10, 100):
        ReminderDelivery.objects.all().delete()
        OutboundEmail.objects.all().delete()
        Meeting.objects.all().delete()
        meeting, _invitations = meeting_with_invitees(*[Response.ACCEPTED] * size, rules=False)
        ReminderRule.objects.create(meeting=meeting, offset_minutes=24 * 60)
        with CaptureQueriesContext(connection) as queries:
            assert sweep_at(START - DAY).queued == size
        counts.append(len(queries))

    # Per reminder: a savepoint, the unsubscribe link's INSERT, the email's INSERT, the
    # delivery's INSERT and the savepoint's release (5). The constant: the sweep's
    # transaction, the upcoming meetings, their rules, their invitations with people, the
    # recorded keys, the action items, the chases' meetings and invitations, and the calls
    # for updates still waiting for answers.
    assert (counts[1] - counts[0]) / 90 == 5
    assert counts[0] <= 5 * 10 + 13


# Two sweeps at once


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_one_email_per_reminder(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent sweeps need PostgreSQL's row locks; SQLite runs one writer.")
    _meeting, invitations = meeting_with_invitees(*[Response.ACCEPTED] * 5, rules=False)
    ReminderRule.objects.create(meeting=_meeting, offset_minutes=24 * 60)
    barrier = threading.Barrier(2, timeout=30)
    selected = reminders._not_recorded

    def select_then_wait(occurrences):
        found = selected(occurrences)
        barrier.wait()  # both sweeps have chosen what to send; neither has inserted
        return found

    monkeypatch.setattr(reminders, "_not_recorded", select_then_wait)
    results, errors = [], []

    def sweep():
        try:
            results.append(send_due_reminders(START - DAY))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(r.queued for r in results) == len(invitations)
    assert OutboundEmail.objects.filter(kind=ReminderKind.MEETING).count() == len(invitations)


# Unsubscribe


def test_reminders_carry_one_click_headers_and_invitations_do_not():
    from meetings import notify

    meeting, (invitation,) = meeting_with_invitees(Response.ACCEPTED)
    notify.send(notify.Notice.INVITATION, meeting, [invitation], actor=None)
    sweep_at(START - DAY)

    invitation_email = OutboundEmail.objects.get(kind="meeting_invitation")
    reminder = reminders_of().first()
    assert invitation_email.headers == {}
    assert reminder.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert reminder.headers["List-Unsubscribe"].startswith("<http")
    assert "/unsubscribe/" in reminder.body


def test_the_unsubscribe_page_changes_nothing_and_its_post_turns_off_that_kind_only(client):
    person = PersonFactory()
    url, _headers = unsubscribe_link(person, EmailChoice.MEETING_REMINDERS)
    path = url.split("127.0.0.1:8000", 1)[-1]

    page = client.get(path)
    person.refresh_from_db()
    assert page.status_code == 200
    assert "meeting reminders" in page.content.decode()
    assert person.email_meeting_reminders is True

    after = client.post(path, follow=True)
    person.refresh_from_db()
    assert person.email_meeting_reminders is False
    assert "You will no longer receive meeting reminders" in after.content.decode()
    assert person.email_action_item_reminders is True
    assert person.email_weekly_digest is True


def test_a_one_click_post_needs_no_csrf_token():
    person = PersonFactory()
    _link, token = UnsubscribeLink.objects.issue(
        person=person, choice=EmailChoice.ACTION_ITEM_REMINDERS
    )
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(reverse("unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"})

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.email_action_item_reminders is False


def test_a_bad_or_revoked_unsubscribe_token_is_404(client):
    person = PersonFactory()
    link, token = UnsubscribeLink.objects.issue(person=person, choice=EmailChoice.WEEKLY_DIGEST)
    UnsubscribeLink.objects.filter(pk=link.pk).revoke()

    assert client.get(reverse("unsubscribe", args=["nonsense"])).status_code == 404
    assert client.post(reverse("unsubscribe", args=[token])).status_code == 404


# Scheduling


def test_one_beat_entry_runs_the_sweep_at_the_interval_of_its_setting(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]

    assert entry["task"] == "meetings.tasks.send_due_reminders"
    assert entry["schedule"] == float(settings.REMINDER_SWEEP_SECONDS) == 60.0


def test_the_command_runs_one_sweep():
    from io import StringIO

    from django.core.management import call_command

    meeting_with_invitees(Response.ACCEPTED)
    out = StringIO()

    with time_machine.travel(START - DAY, tick=False):
        call_command("send_due_reminders", stdout=out)

    assert out.getvalue().startswith("Reminders: 1 queued, 1 recorded as skipped")
    assert reminders_of().count() == 1


def test_a_new_series_starts_with_the_default_reminders():
    from meetings import services
    from stakeholders.models import Role
    from tests.stakeholders.factories import UserFactory

    series = services.series_create(
        user=UserFactory(role=Role.SECRETARIAT),
        data={"title": "Regional meetings", "convener": OrganisationFactory()},
    )

    offsets = list(series.reminder_rules.values_list("offset_minutes", flat=True))
    assert offsets == [7 * 24 * 60, 24 * 60]


# The secretariat's view


@pytest.fixture
def secretariat_client(client):
    from stakeholders.models import Role
    from tests.stakeholders.factories import UserFactory

    client.force_login(UserFactory(role=Role.SECRETARIAT))
    return client


def test_the_reminders_page_shows_what_went_what_was_skipped_and_what_is_next(
    secretariat_client,
):
    meeting, (_came, opted_out) = meeting_with_invitees(Response.ACCEPTED, Response.ACCEPTED)
    Person.objects.filter(pk=opted_out.person_id).update(email_meeting_reminders=False)
    sweep_at(START - 7 * DAY)
    OutboundEmail.objects.filter(kind=ReminderKind.MEETING).update(
        state=OutboundEmail.State.UNKNOWN
    )

    page = secretariat_client.get(reverse("meetings:meeting_reminders", args=[meeting.pk]))
    text = page.content.decode()
    rows = selectors.meeting_reminders(
        meeting, selectors.reminder_rules(meeting)[0], START - 5 * DAY
    )

    assert page.status_code == 200
    assert "The person turned these emails off" in text
    sent = OutboundEmail.objects.get(kind=ReminderKind.MEETING)
    assert "Unknown" in text and reverse("email_resend", args=[sent.pk]) in text
    assert "1 day before" in text and "7 days before" in text
    assert [row.next_due for row in rows] == [START - DAY, START - DAY]


def test_the_reminders_page_costs_the_same_for_3_and_30_invitees(secretariat_client):
    counts = []
    for size in (3, 30):
        meeting, _invitations = meeting_with_invitees(*[Response.ACCEPTED] * size)
        sweep_at(START - 7 * DAY)
        with CaptureQueriesContext(connection) as queries:
            secretariat_client.get(reverse("meetings:meeting_reminders", args=[meeting.pk]))
        counts.append(len(queries))

    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        (30, "minutes", "Select a valid choice"),
        (61, "days", "from one hour to 60 days"),
        (0, "hours", "greater than or equal to 1"),
        ("x", "days", "Enter a whole number"),
    ],
)
def test_a_rule_out_of_range_is_refused_with_a_message(secretariat_client, amount, unit, message):
    meeting, _invitations = meeting_with_invitees()
    secretariat_client.post(reverse("meetings:meeting_rules_own", args=[meeting.pk]))

    response = secretariat_client.post(
        reverse("meetings:meeting_reminders", args=[meeting.pk]),
        {"amount": amount, "unit": unit, "audience": "not_declined"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert meeting.reminder_rules.count() == 2


def test_a_meeting_takes_its_own_rules_from_its_series_and_gives_them_back(
    secretariat_client,
):
    meeting, _invitations = meeting_with_invitees()
    url = reverse("meetings:meeting_rules_own", args=[meeting.pk])

    secretariat_client.post(url)
    secretariat_client.post(
        reverse("meetings:meeting_reminders", args=[meeting.pk]),
        {"amount": 2, "unit": "hours", "audience": "not_answered"},
    )
    own = sorted(meeting.reminder_rules.values_list("offset_minutes", "audience"))
    secretariat_client.post(url, {"own": "no"})

    assert own == [(120, "not_answered"), (1440, "not_declined"), (10080, "not_declined")]
    assert not meeting.reminder_rules.exists()
    assert meeting.series.reminder_rules.count() == 2


def test_the_series_page_adds_and_removes_reminders(secretariat_client):
    meeting, _invitations = meeting_with_invitees()
    series = meeting.series

    secretariat_client.post(
        reverse("meetings:series_reminder_add", args=[series.pk]),
        {"amount": 3, "unit": "days", "audience": "not_declined"},
    )
    duplicate = secretariat_client.post(
        reverse("meetings:series_reminder_add", args=[series.pk]),
        {"amount": 3, "unit": "days", "audience": "not_declined"},
        follow=True,
    )
    page = secretariat_client.get(reverse("meetings:series_detail", args=[series.pk]))
    week = series.reminder_rules.get(offset_minutes=7 * 24 * 60)
    secretariat_client.post(reverse("meetings:reminder_rule_delete", args=[week.pk]))

    assert "This reminder is there already." in duplicate.content.decode()
    assert "3 days before" in page.content.decode()
    assert sorted(series.reminder_rules.values_list("offset_minutes", flat=True)) == [
        24 * 60,
        3 * 24 * 60,
    ]


# Notices and digests


def test_the_owner_hears_when_an_item_is_raised_and_when_it_changes_hands():
    from meetings import services
    from stakeholders.models import Role
    from tests.stakeholders.factories import UserFactory

    secretariat = UserFactory(role=Role.SECRETARIAT)
    first, second = OrganisationFactory(), OrganisationFactory()
    owner = PersonFactory(organisation=first)
    focal = PersonFactory(organisation=second, mechanism_role=MechanismRole.FOCAL_POINT)
    item = services.action_item_create(
        user=secretariat,
        meeting=MeetingFactory(),
        data={
            "description": "Send the training plan",
            "owner_organisation": first,
            "owner_person": owner,
            "due_on": date(2031, 12, 1),
        },
    )
    services.action_item_update(
        user=secretariat, item=item, data={"description": "Send the plan"}, version=1
    )
    services.action_item_update(
        user=secretariat,
        item=item,
        data={"owner_organisation": second, "owner_person": None},
        version=2,
    )

    notices = list(
        OutboundEmail.objects.filter(kind=ReminderKind.ACTION_ASSIGNED)
        .order_by("pk")
        .values_list("recipient", flat=True)
    )
    assert notices == [owner.email, focal.email]


MONDAY_MORNING = datetime(2031, 11, 10, 8, 0).astimezone()  # 08:00 in Tashkent


def test_the_secretariat_gets_its_digest_on_monday_morning_once():
    from stakeholders.models import Role
    from tests.stakeholders.factories import UserFactory

    user = UserFactory(role=Role.SECRETARIAT)
    coming = MeetingFactory(starts_at=MONDAY_MORNING + 5 * DAY, title="Regional meeting")
    InvitationFactory(meeting=coming, invited_at=INVITED)
    action_item(due_on=date(2031, 11, 1))

    assert sweep_at(MONDAY_MORNING - MINUTE).queued == 1  # the overdue item's reminder only
    OutboundEmail.objects.all().delete()
    assert sweep_at(MONDAY_MORNING).queued == 1
    sweep_at(MONDAY_MORNING + 3 * DAY)  # the request for an answer goes; no second digest

    digest = OutboundEmail.objects.get(kind=ReminderKind.WEEKLY_DIGEST)
    assert digest.recipient == user.email
    assert "Regional meeting" in digest.body
    assert "1 invitee has not answered yet." in digest.body
    assert "1 action item is overdue" in digest.body
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_invitee_hears_of_the_new_documents_they_may_read_and_only_those():
    from meetings.models import Document
    from stakeholders.models import Role
    from tests.meetings.test_documents import upload
    from tests.stakeholders.factories import UserFactory

    secretariat = UserFactory(role=Role.SECRETARIAT)
    Person.objects.filter(pk=secretariat.person_id).update(email_weekly_digest=False)
    partner = UserFactory(role=Role.PARTNER)
    meeting = MeetingFactory()
    InvitationFactory(meeting=meeting, person=partner.person)
    with time_machine.travel(MONDAY_MORNING - 2 * DAY, tick=False):
        upload(secretariat, meeting, b"%PDF-1.4 x", "a.pdf", title="Agenda, final")
        upload(
            secretariat,
            meeting,
            b"%PDF-1.4 y",
            "b.pdf",
            title="Restricted",
            label="red",
            named_people=[PersonFactory()],
        )
    assert Document.objects.count() == 2

    result = sweep_at(MONDAY_MORNING + 5 * MINUTE)

    digest = OutboundEmail.objects.get(kind=ReminderKind.WEEKLY_DIGEST)
    assert digest.recipient == partner.person.email
    assert "Agenda, final" in digest.body and "Restricted" not in digest.body
    assert result.skipped == 1  # the secretariat, who turned the digest off
