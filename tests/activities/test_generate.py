from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from activities.dashboard_models import NationalFigure, Target
from activities.models import Activity, ActivityLocation, ActivityParticipants
from activities.trend_models import TrendNote, TrendResponse
from tests.stakeholders.factories import OrganisationFactory

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


def test_it_makes_national_figures_and_targets_for_each_year_and_replaces_them():
    for _run in range(2):
        call_command("generate_data", scale=1, stdout=StringIO())

    # Three agencies, six figures a year, four years.
    assert NationalFigure.objects.count() == 3 * 6 * 4
    assert NationalFigure.objects.values("source_agency").distinct().count() == 3
    assert Target.objects.filter(period_kind="year").count() == 5 * 4
    assert Target.objects.exclude(target_group="").exists()


def test_national_figures_entered_by_hand_make_the_command_refuse():
    call_command("generate_data", scale=0.05, stdout=StringIO())
    figure = NationalFigure.objects.first()
    assert figure is not None
    figure.pk = None
    figure.source_agency = OrganisationFactory()
    figure.save()
    with pytest.raises(CommandError, match="national figures"):
        call_command("generate_data", scale=0.05, stdout=StringIO())
