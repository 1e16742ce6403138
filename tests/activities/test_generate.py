from io import StringIO

import pytest
from django.core.management import call_command

from activities.models import Activity, ActivityLocation, ActivityParticipants
from activities.trend_models import TrendNote, TrendResponse

pytestmark = pytest.mark.django_db


def test_it_makes_activities_with_places_and_participants_and_replaces_them():
    call_command("generate_data", scale=0.05, stdout=StringIO())
    first = sorted(Activity.objects.values_list("code", "title", "review_state"))

    call_command("generate_data", scale=0.05, stdout=StringIO())

    assert len(first) == 50
    assert sorted(Activity.objects.values_list("code", "title", "review_state")) == first
    assert ActivityLocation.objects.count() >= 50
    assert ActivityParticipants.objects.exists()
    assert all(a.search_text for a in Activity.objects.all())


def test_it_makes_trend_notes_linked_to_meetings_and_activities():
    for _run in range(2):  # again: the earlier notes go, none clash
        call_command("generate_data", scale=0.25, stdout=StringIO())

    notes = TrendNote.objects.all()
    assert notes.count() == 50
    assert notes.filter(meetings__isnull=False).distinct().count() == 50
    assert TrendResponse.objects.exists()
    assert all(note.search_text for note in notes)
    archived = notes.filter(status="archived")
    assert archived.exists() and not archived.filter(archive_reason="").exists()
