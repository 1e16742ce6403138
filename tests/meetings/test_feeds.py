"""Personal calendar feeds: the address a calendar program reads without a login, the
profile panel that creates, replaces and revokes it, and each meeting's own entry."""

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import calendar, services
from meetings.models import CalendarFeed, MeetingStatus
from portal.models import OutboundEmail
from stakeholders import accounts
from stakeholders import services as directory
from stakeholders.models import Role, User
from tests.meetings.factories import (
    START,
    InvitationFactory,
    MeetingFactory,
    OrganisationInvitationFactory,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return UserFactory(role=Role.PARTNER)


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def issue(user: User) -> str:
    return CalendarFeed.objects.issue(person=user.person)[1]


def read(client, token: str):
    return client.get(reverse("meetings:calendar_feed", args=[token]))


def parsed(response) -> Calendar:
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def titles(response) -> set[str]:
    return {str(event["summary"]) for event in parsed(response).walk("VEVENT")}


# What the feed lists


def test_the_feed_opens_without_a_login_and_lists_the_persons_meetings(client, partner):
    invited = InvitationFactory(person=partner.person, meeting__title="Invited in person")
    OrganisationInvitationFactory(
        organisation=partner.person.organisation, meeting__title="Invited as organisation"
    )
    MeetingFactory(title="Not invited")

    response = read(client, issue(partner))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert titles(response) == {"Invited in person", "Invited as organisation"}
    assert str(parsed(response)["method"]) == "PUBLISH"
    event = next(e for e in parsed(response).walk("VEVENT") if e["summary"] == "Invited in person")
    meeting = invited.meeting
    assert str(event["uid"]) == calendar.uid(meeting)
    assert int(event["sequence"]) == meeting.calendar_sequence
    assert event["dtstart"].to_ical() == b"20311021T050000Z"
    assert event["dtend"].to_ical() == b"20311021T080000Z"
    assert str(event["location"]) == "UN House, Tashkent"
    assert str(event["url"]).endswith(f"/meetings/{meeting.pk}/")
    assert str(event["status"]) == "CONFIRMED"


def test_the_feed_holds_no_agenda_minutes_or_documents(client, partner):
    meeting = InvitationFactory(person=partner.person).meeting
    meeting.agenda_items.create(position=1, title="Secret agenda item", duration_minutes=30)

    response = read(client, issue(partner))

    (event,) = parsed(response).walk("VEVENT")
    assert set(event) == {
        "UID",
        "SEQUENCE",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "LOCATION",
        "URL",
        "STATUS",
        "ORGANIZER",
    }
    assert b"Secret agenda item" not in response.content


def test_the_secretariat_feed_lists_every_meeting(client, secretariat):
    MeetingFactory(title="First")
    MeetingFactory(title="Second")

    assert titles(read(client, issue(secretariat))) == {"First", "Second"}


def test_the_feed_reaches_six_months_back(client, partner):
    now = timezone.now()
    for title, starts in [("Seven months ago", 213), ("Five months ago", 152), ("Coming", -10)]:
        InvitationFactory(
            person=partner.person,
            meeting__title=title,
            meeting__starts_at=now - timedelta(days=starts),
        )

    assert titles(read(client, issue(partner))) == {"Five months ago", "Coming"}


def test_titles_are_in_the_persons_language(client, partner):
    partner.person.preferred_language = "ru"
    partner.person.save()
    InvitationFactory(
        person=partner.person, meeting__title="Fourth meeting", meeting__title_ru="Четвёртое"
    )

    assert titles(read(client, issue(partner))) == {"Четвёртое"}


def test_a_cancelled_meeting_is_cancelled_under_the_uid_and_sequence_of_its_email(
    client, partner, secretariat
):
    meeting = MeetingFactory(title="Called off")
    services.invite_people(user=secretariat, meeting=meeting, people=[partner.person])
    services.meeting_set_status(user=secretariat, meeting=meeting, status=MeetingStatus.CANCELLED)
    cancellation = OutboundEmail.objects.get(kind="meeting_cancelled")
    (emailed,) = Calendar.from_ical(cancellation.attachments[0]["content"]).walk("VEVENT")

    (event,) = parsed(read(client, issue(partner))).walk("VEVENT")

    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == str(emailed["uid"]) == calendar.uid(meeting)
    assert int(event["sequence"]) == int(emailed["sequence"])


# Who reads it


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 300])
def test_an_unknown_token_is_404(client, partner, token):
    issue(partner)

    response = client.get(f"/meetings/feed/{token}.ics")

    assert response.status_code == 404


def test_a_revoked_feed_is_404(client, partner):
    token = issue(partner)
    CalendarFeed.objects.filter(person=partner.person).revoke()

    assert read(client, token).status_code == 404


def test_ending_the_persons_access_revokes_the_feed(client, partner, secretariat):
    token = issue(partner)

    accounts.account_set_active(actor=secretariat, user=partner, active=False)

    assert read(client, token).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is not None


def test_deactivating_the_person_revokes_the_feed(client, partner, secretariat):
    token = issue(partner)

    directory.person_set_active(user=secretariat, person=partner.person, active=False)

    assert read(client, token).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is not None


def test_anonymising_the_person_revokes_the_feed(client, partner, secretariat):
    token = issue(partner)

    directory.person_anonymise(user=secretariat, person=partner.person)

    assert read(client, token).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is not None


@pytest.mark.parametrize("change", [{"is_active": False}, {"role": ""}])
def test_a_user_without_portal_access_opens_no_feed_even_unrevoked(client, partner, change):
    token = issue(partner)
    User.objects.filter(pk=partner.pk).update(**change)

    assert read(client, token).status_code == 404


def test_a_person_without_an_account_opens_no_feed(client, partner):
    person = partner.person
    token = issue(partner)
    User.objects.filter(pk=partner.pk).update(person=None)

    assert read(client, token).status_code == 404
    assert CalendarFeed.objects.get(person=person).revoked_at is None


def test_the_feed_follows_what_the_user_may_see_now(client, partner):
    invitation = InvitationFactory(person=partner.person, meeting__title="Withdrawn")
    token = issue(partner)
    assert titles(read(client, token)) == {"Withdrawn"}

    invitation.delete()

    assert titles(read(client, token)) == set()


# What reading it changes


def _everything() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
    }


def test_reading_the_feed_changes_nothing_but_when_it_was_last_used(client, partner):
    InvitationFactory(person=partner.person)
    token = issue(partner)
    before = _everything()

    read(client, token)

    after = _everything()
    (feed_before,), (feed_after,) = before["meetings.CalendarFeed"], after["meetings.CalendarFeed"]
    assert feed_before["last_used_at"] is None
    assert feed_after["last_used_at"] is not None
    assert {**feed_after, "last_used_at": None} == feed_before
    del before["meetings.CalendarFeed"], after["meetings.CalendarFeed"]
    assert after == before


def test_last_used_is_written_at_most_once_a_minute(client, partner):
    token = issue(partner)

    with time_machine.travel(START, tick=False):
        read(client, token)
    with time_machine.travel(START + timedelta(seconds=30), tick=False):
        read(client, token)
        assert CalendarFeed.objects.get().last_used_at == START
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        read(client, token)

    assert CalendarFeed.objects.get().last_used_at == START + timedelta(minutes=2)


def _queries(client, token: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = read(client, token)
    assert response.status_code == 200
    return len(queries)


def test_the_feed_reads_as_many_queries_for_5_as_for_50_meetings(client, partner):
    token = issue(partner)
    counts = []
    for added in (5, 45):
        for _ in range(added):
            InvitationFactory(person=partner.person)
        CalendarFeed.objects.update(last_used_at=None)
        # The feed with its person and user, the meetings with their series and convener,
        # the UPDATE of when it was last used.
        counts.append(_queries(client, token))

    assert len(titles(read(client, token))) == 50
    assert counts[0] == counts[1] == 3


# The profile panel


def profile(client):
    return client.get(reverse("profile"))


def test_creating_a_feed_shows_its_address_once(client, partner):
    client.force_login(partner)
    assert "Create a calendar address" in profile(client).text

    response = client.post(reverse("meetings:calendar_feed_create"))

    assert response.status_code == 302
    assert response["Location"] == reverse("profile") + "#calendar-feed"
    shown = profile(client).context["panels"][0][1]["new_url"]
    token = shown.rsplit("/", 1)[1].removesuffix(".ics")
    assert read(client, token).status_code == 200
    again = profile(client)
    assert again.context["panels"][0][1]["new_url"] == ""
    assert token not in again.text
    assert "Your calendar address works." in again.text


def test_creating_again_replaces_the_feed(client, partner):
    client.force_login(partner)
    old = issue(partner)

    client.post(reverse("meetings:calendar_feed_create"))
    new = profile(client).context["panels"][0][1]["new_url"].rsplit("/", 1)[1][: -len(".ics")]

    assert read(client, old).status_code == 404
    assert read(client, new).status_code == 200
    assert CalendarFeed.objects.live().count() == 1


def test_revoking_the_feed_stops_it(client, partner):
    client.force_login(partner)
    token = issue(partner)

    response = client.post(reverse("meetings:calendar_feed_revoke"), follow=True)

    assert "Your calendar address no longer works." in response.text
    assert "Create a calendar address" in response.text
    assert read(client, token).status_code == 404


def test_revoking_without_a_feed_says_so(client, partner):
    client.force_login(partner)

    response = client.post(reverse("meetings:calendar_feed_revoke"), follow=True)

    assert "You have no calendar address to revoke." in response.text


def test_a_new_address_replaced_in_another_tab_is_not_shown(client, partner):
    client.force_login(partner)
    client.post(reverse("meetings:calendar_feed_create"))
    services.calendar_feed_create(user=partner)

    assert profile(client).context["panels"][0][1]["new_url"] == ""


def test_the_profile_of_a_user_without_a_person_has_no_feed_panel(client):
    user = UserFactory(role=Role.SECRETARIAT, person=None, email="nobody@example.org")
    client.force_login(user)

    response = profile(client)

    assert response.context["panels"] == []
    assert "Calendar feed" not in response.text


def test_the_profile_page_is_never_stored_by_the_browser(client, partner):
    client.force_login(partner)

    assert "no-store" in profile(client)["Cache-Control"]


# A meeting's own entry


def test_a_meeting_page_offers_its_calendar_entry(client, partner):
    meeting = InvitationFactory(person=partner.person).meeting
    client.force_login(partner)

    page = client.get(meeting.get_absolute_url())
    response = client.get(reverse("meetings:meeting_ics", args=[meeting.pk]))

    assert reverse("meetings:meeting_ics", args=[meeting.pk]) in page.text
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    entry = parsed(response)
    assert str(entry["method"]) == "PUBLISH"
    (event,) = entry.walk("VEVENT")
    assert str(event["uid"]) == calendar.uid(meeting)
    assert int(event["sequence"]) == meeting.calendar_sequence
    assert "ATTENDEE" not in event


def test_a_meeting_out_of_sight_has_no_calendar_entry(client, partner):
    meeting = MeetingFactory()
    client.force_login(partner)

    assert client.get(reverse("meetings:meeting_ics", args=[meeting.pk])).status_code == 404
