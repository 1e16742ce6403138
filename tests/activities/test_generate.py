from io import StringIO

import pytest
from django.core.management import call_command

from activities.models import Activity, ActivityLocation, ActivityParticipants

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
