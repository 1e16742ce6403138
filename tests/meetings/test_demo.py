from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from meetings.models import Attendance, Meeting, MeetingStatus, Response
from stakeholders.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_series_with_the_fourth_meeting_of_the_seed_article():
    call_command("load_demo", "--force", verbosity=0)

    meetings = list(Meeting.objects.order_by("number"))
    assert [m.number for m in meetings] == [1, 2, 3, 4, 5]
    first, fourth = meetings[0], meetings[3]
    assert first.starts_at.astimezone(first.zone).strftime("%Y-%m") == "2022-02"
    assert fourth.starts_at == datetime(2023, 10, 24, 5, 0, tzinfo=UTC)  # 10:00 in Tashkent
    assert fourth.series.convener.short_name == "UNODC"
    assert fourth.status == MeetingStatus.HELD
    assert fourth.organisation_invitations.count() == 12
    attended = fourth.invitations.filter(attendance=Attendance.ATTENDED)
    assert attended.values("organisation").distinct().count() == 12
    titles = " ".join(fourth.agenda_items.values_list("description", flat=True))
    assert "Training of Trainers" in titles and "social media" in titles


def test_the_fifth_meeting_comes_30_days_after_the_first_load_with_answers_pending():
    moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(moment):
        call_command("load_demo", "--force", verbosity=0)
    with time_machine.travel(moment + timedelta(days=10)):
        call_command("load_demo", "--force", verbosity=0)

    fifth = Meeting.objects.get(number=5)
    assert fifth.status == MeetingStatus.PLANNED
    assert fifth.local_start.date() == (moment + timedelta(days=30)).date()
    responses = set(fifth.invitations.values_list("response", flat=True))
    assert {Response.PENDING, Response.ACCEPTED} <= responses


def test_every_demo_account_sees_a_past_and_an_upcoming_meeting():
    moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(moment):
        call_command("load_demo", "--force", verbosity=0)

    for user in User.objects.all():
        visible = Meeting.objects.visible_to(user)
        assert visible.filter(ends_at__lt=moment).exists(), user.email
        assert visible.filter(starts_at__gt=moment).exists(), user.email


def test_the_fourth_meeting_has_its_decisions_and_action_items():
    from meetings.models import ActionItem, ActionItemStatus

    moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(moment):
        call_command("load_demo", "--force", verbosity=0)
        call_command("load_demo", "--force", verbosity=0)

        fourth = Meeting.objects.get(number=4)
        assert [d.code for d in fourth.decisions.all()] == ["4/1", "4/2"]
        items = fourth.action_items.all()
        assert items.count() == 4
        assert items.filter(status=ActionItemStatus.DONE).count() == 3
        assert list(ActionItem.objects.overdue()) == [
            items.get(owner_organisation__short_name="MIA")
        ]
        descriptions = " ".join(items.values_list("description", flat=True))
        assert "Training of Trainers" in descriptions and "Estonia" in descriptions


def test_the_fourth_meetings_minutes_are_adopted_green_with_the_seed_statements():
    from meetings.models import Minutes, MinutesState
    from portal.lib.sensitivity import Label
    from tests.stakeholders.factories import UserFactory

    call_command("load_demo", "--force", verbosity=0)
    call_command("load_demo", "--force", verbosity=0)

    minutes = Minutes.objects.get()
    assert (minutes.meeting.number, minutes.state, minutes.label) == (
        4,
        MinutesState.ADOPTED,
        Label.GREEN,
    )
    speakers = [s.speaker.full_name for s in minutes.statements.order_by("order")]
    assert speakers == ["Azamatbek Salikhov", "Nate Rettenmayer", "Akobir Boboev"]
    # Green adopted minutes open their meeting to every portal user.
    stranger = UserFactory()
    assert Meeting.objects.visible_to(stranger).filter(number=4).exists()
    assert Minutes.objects.visible_to(stranger).exists()


def test_the_demo_tags_the_seeds_follow_up_and_activities_and_leaves_gaps(client):
    from meetings.models import FrameworkReference

    call_command("load_demo", "--force", verbosity=0)
    call_command("load_demo", "--force", verbosity=0)

    airports = FrameworkReference.objects.get(kind="nap_measure", year=2023, code="2.3")
    assert airports.decisions.count() == 1
    assert airports.action_items.count() == 2
    assert set(airports.activities.values_list("title", flat=True)) >= {
        "Training for airport employees in Bukhara",
        "Training of Trainers seminar on trafficking in persons",
    }
    unanswered = FrameworkReference.objects.filter(
        decisions=None, action_items=None, activities=None
    )
    assert set(unanswered.values_list("code", flat=True)) == {"R2", "R4"}
    client.force_login(User.objects.get(email="donor@example.org"))
    page = client.get("/meetings/frameworks/?answered=no").content.decode()
    assert "Proactively screen vulnerable populations" in page
