from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetings.generate import big_meeting
from meetings.models import AgendaItem, Document, Invitation, Meeting, MeetingStatus
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def generate(scale: float = 0.25, **options: object) -> str:
    out = StringIO()
    call_command("generate_data", scale=scale, stdout=out, **options)
    return out.getvalue()


def meetings_snapshot():
    return sorted(
        Meeting.objects.values_list("series__title", "number", "starts_at", "status")
    ), sorted(Invitation.objects.values_list("meeting__title", "person__email", "response"))


def test_it_makes_meetings_with_agendas_and_invitations_at_the_scale():
    generate()

    meetings = Meeting.objects.all()
    assert meetings.count() == 10
    assert AgendaItem.objects.count() >= 50
    assert 25 <= Invitation.objects.exclude(meeting=big_meeting()).count() / 9 <= 30
    assert big_meeting().invitations.count() == 60
    assert meetings.filter(status=MeetingStatus.HELD).exists()
    assert meetings.filter(status=MeetingStatus.PLANNED).exists()
    assert all(m.search_text for m in meetings)
    assert Document.objects.count() == 30
    assert Document.objects.filter(label="red", named_people__isnull=False).count() == 10
    assert Document.objects.filter(agenda_item__isnull=False).count() == 20


def test_it_replaces_its_meetings_on_a_second_run():
    generate()
    first = meetings_snapshot()

    generate()

    assert meetings_snapshot() == first


def test_it_refuses_meetings_it_did_not_make_unless_forced():
    MeetingFactory()

    with pytest.raises(CommandError, match="1 meetings"):
        generate()
    generate(force=True)
    assert Meeting.objects.count() == 11


def test_it_makes_minutes_decisions_and_action_items_for_held_meetings():
    from meetings.generate import minutes_meeting
    from meetings.models import ActionItem, Decision

    generate(scale=1)

    assert 300 <= ActionItem.objects.count() <= 450
    assert Decision.objects.exists()
    assert minutes_meeting() is not None
    assert not ActionItem.objects.exclude(meeting__status=MeetingStatus.HELD).exists()


def test_it_makes_framework_references_tagged_on_decisions_action_items_and_activities():
    from activities.models import Activity
    from meetings.models import FrameworkReference

    generate()
    generate()  # again: the earlier references go, none clash

    references = FrameworkReference.objects.all()
    assert references.count() == 10
    assert references.filter(decisions__isnull=False).exists()
    assert references.filter(action_items__isnull=False).exists()
    tagged = Activity.objects.filter(framework_references__isnull=False)
    assert tagged.exists()
    assert set(tagged.values_list("review_state", flat=True)) == {"approved"}
