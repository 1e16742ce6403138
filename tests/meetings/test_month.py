"""The month calendar of meetings: a grid of weeks from Monday, each meeting on its day by
its own clock, any month reachable and a malformed one answered with the current month."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from meetings.models import MeetingStatus
from stakeholders.models import Role
from tests.meetings.factories import START, InvitationFactory, MeetingFactory, SeriesFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("meetings:meeting_calendar")
# A Thursday in Tashkent (UTC+5), where the test's "today" falls.
TODAY = datetime(2031, 10, 9, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    return client


def month_of(client, month: str | None = None):
    return client.get(URL, {"month": month} if month is not None else {})


def days(response) -> dict[date, list[str]]:
    return {
        day.day: [meeting.title for meeting in day.meetings]
        for week in response.context["weeks"]
        for day in week
    }


def warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_it_shows_the_month_asked_for_in_weeks_from_monday(secretariat_client):
    MeetingFactory(title="Fourth meeting")  # 21 October 2031, 10:00 in Tashkent

    response = month_of(secretariat_client, "2031-10")

    weeks = response.context["weeks"]
    assert [week[0].day.weekday() for week in weeks] == [0] * len(weeks)
    assert weeks[0][0].day == date(2031, 9, 29)
    assert weeks[-1][-1].day == date(2031, 11, 2)
    assert [d.in_month for d in weeks[0][:3]] == [False, False, True]
    assert days(response)[date(2031, 10, 21)] == ["Fourth meeting"]
    assert '<caption class="caption-top h4 text-body">October 2031</caption>' in response.text
    assert re.search(r"<th scope=\"col\"><span[^>]*>Monday</span>", response.text)
    assert "10:00 Fourth meeting" in response.text
    assert warnings(response) == []


def test_a_meeting_sits_on_its_day_by_its_own_clock(secretariat_client):
    # 20:00 UTC on the 21st is 01:00 on the 22nd in Tashkent, 13:00 on the 21st in Denver.
    evening = datetime(2031, 10, 21, 20, 0, tzinfo=UTC)
    MeetingFactory(title="Tashkent", starts_at=evening, time_zone="Asia/Tashkent")
    MeetingFactory(title="Denver", starts_at=evening, time_zone="America/Denver")

    found = days(month_of(secretariat_client, "2031-10"))

    assert found[date(2031, 10, 22)] == ["Tashkent"]
    assert found[date(2031, 10, 21)] == ["Denver"]


def test_the_days_of_the_months_around_hold_their_meetings_too(secretariat_client):
    MeetingFactory(title="Early November", starts_at=datetime(2031, 11, 1, 5, 0, tzinfo=UTC))
    MeetingFactory(title="Late November", starts_at=datetime(2031, 11, 3, 5, 0, tzinfo=UTC))

    found = days(month_of(secretariat_client, "2031-10"))

    assert found[date(2031, 11, 1)] == ["Early November"]
    assert "Late November" not in str(found)


def test_without_a_month_it_shows_this_month_and_marks_today(secretariat_client):
    response = month_of(secretariat_client)

    assert response.context["month"] == date(2031, 10, 1)
    today = [d.day for week in response.context["weeks"] for d in week if d.is_today]
    assert today == [date(2031, 10, 9)]
    assert len(re.findall(r"<td[^>]*aria-current=\"date\"", response.text)) == 1
    assert warnings(response) == []


@pytest.mark.parametrize(
    "month",
    [
        "2023-13",
        "2023-00",
        "abc",
        "99999-01",
        "",
        "2023-1",
        "1999-12",
        "2101-01",
        "\u0662\u0660\u0662\u0663-\u0661\u0660",  # 2023-10 in Arabic-Indic digits
    ],
)
def test_a_malformed_month_shows_this_month_with_a_message(secretariat_client, month):
    response = month_of(secretariat_client, month)

    assert response.status_code == 200
    assert response.context["month"] == date(2031, 10, 1)
    (message,) = warnings(response)
    assert message.startswith("Here is the current month.")
    assert "2023-10" in message


def test_previous_and_next_months_are_links(secretariat_client):
    response = month_of(secretariat_client, "2031-01")

    assert response.context["previous"] == date(2030, 12, 1)
    assert response.context["following"] == date(2031, 2, 1)
    assert 'href="?month=2030-12"' in response.text
    assert 'href="?month=2031-02"' in response.text
    assert f'href="{URL}"' in response.text  # this month


@pytest.mark.parametrize(("month", "gone"), [("2000-01", "previous"), ("2100-12", "following")])
def test_no_link_leads_past_the_years_meetings_may_fall_in(secretariat_client, month, gone):
    response = month_of(secretariat_client, month)

    assert response.status_code == 200
    assert response.context[gone] is None


def test_a_meeting_the_user_may_not_see_is_absent(client):
    partner = UserFactory(role=Role.PARTNER)
    InvitationFactory(person=partner.person, meeting__title="Invited")
    MeetingFactory(title="Not invited")
    client.force_login(partner)

    response = month_of(client, "2031-10")

    assert days(response)[date(2031, 10, 21)] == ["Invited"]
    assert "Not invited" not in response.text


def test_a_cancelled_meeting_is_struck_through_with_its_status(secretariat_client):
    meeting = MeetingFactory(title="Called off", status=MeetingStatus.CANCELLED)

    response = month_of(secretariat_client, "2031-10")

    assert f'<a href="{meeting.get_absolute_url()}"><s>10:00 Called off</s></a>' in response.text
    assert "Cancelled" in response.text


def test_the_month_is_named_in_the_readers_language(client):
    user = UserFactory(role=Role.SECRETARIAT, person__preferred_language="ru")
    client.force_login(user)

    response = month_of(client, "2031-10")

    with translation.override("ru"):
        assert "Октябрь 2031" in response.text


def test_the_meeting_list_links_to_the_calendar(secretariat_client):
    response = secretariat_client.get(reverse("meetings:meeting_list"))

    assert f'href="{URL}"' in response.text


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.PARTNER])
def test_the_month_reads_as_many_queries_for_5_as_for_50_meetings(
    client, django_assert_max_num_queries, role
):
    user = UserFactory(role=role)
    client.force_login(user)
    series = SeriesFactory()
    counts = []
    for added in (5, 45):
        for number in range(added):
            InvitationFactory(
                person=user.person,
                meeting__series=series,
                meeting__starts_at=START + timedelta(days=number % 10, hours=number % 3),
            )
        # Session, user with person and organisation, the meetings of the grid's days, the
        # activities planned on them.
        with django_assert_max_num_queries(5) as queries:
            response = month_of(client, "2031-10")
        counts.append(len(queries))
        assert sum(len(titles) for titles in days(response).values()) == len(series.meetings.all())

    assert counts[0] == counts[1]
