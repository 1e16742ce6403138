from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity, ActivityLocation, LocationKind, ReviewState
from activities.overlap import overlaps_of, radar
from stakeholders.models import Role
from tests.activities.factories import ActivityFactory
from tests.stakeholders.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

START = date(2031, 11, 6)


@pytest.fixture
def partner():
    return UserFactory(role=Role.PARTNER)


def mine(partner, **fields):
    return ActivityFactory(lead_organisation=partner.person.organisation, **fields)


def theirs(*, days_later=0, label="green", review=ReviewState.APPROVED, **fields):
    start = START + timedelta(days=days_later)
    return ActivityFactory(
        planned_start=start,
        planned_end=start + timedelta(days=1),
        review_state=review,
        label=label,
        **fields,
    )


def test_a_similar_activity_30_days_later_is_named_and_31_days_is_not(partner):
    activity = mine(partner, planned_start=START, planned_end=START + timedelta(days=2))
    near = theirs(days_later=2 + 30)
    theirs(days_later=2 + 31)

    found = overlaps_of(activity, user=partner)

    assert [o.second for o in found] == [near]
    assert found[0].days_apart == 30
    assert found[0].places == ["Bukhara"]


@pytest.mark.parametrize(
    "difference",
    [
        {"type": "workshop"},
        {"target_groups": ["judges"]},
        {"region": "UZ-SA"},
    ],
)
def test_another_type_group_or_place_is_no_overlap(partner, difference):
    activity = mine(partner)

    theirs(**difference)

    assert overlaps_of(activity, user=partner) == []


def test_the_same_organisations_own_activities_are_no_overlap(partner):
    activity = mine(partner)
    mine(partner, planned_start=START + timedelta(days=3), planned_end=START + timedelta(days=4))

    assert overlaps_of(activity, user=partner) == []


def test_an_activity_the_user_cannot_see_is_never_named(partner):
    activity = mine(partner)
    theirs(label="amber")  # another organisation's, amber: not the partner's to read
    theirs(review=ReviewState.DRAFT)  # another organisation's draft

    assert overlaps_of(activity, user=partner) == []


def test_nationwide_activities_share_their_place(partner):
    activity = mine(partner, region=None)
    ActivityLocation.objects.filter(activity=activity).update(kind=LocationKind.NATIONAL, region="")
    other = theirs()
    ActivityLocation.objects.filter(activity=other).update(kind=LocationKind.NATIONAL, region="")

    assert [o.second for o in overlaps_of(activity, user=partner)] == [other]


def test_saving_warns_and_still_saves(client, partner):
    theirs()
    client.force_login(partner)

    response = client.post(
        reverse("activities:activity_create"),
        {
            "title": "Airport staff training",
            "type": "training",
            "primary_pillar": "prevention",
            "target_groups": ["airport_transport_staff"],
            "lead_organisation": partner.person.organisation_id,
            "status": "planned",
            "planned_start": "2031-11-20",
            "planned_end": "2031-11-21",
            "modality": "in_person",
            "regions": ["UZ-BU"],
            "label": "amber",
        },
        follow=True,
    )

    assert Activity.objects.filter(title="Airport staff training").exists()
    assert "similar activity for the same people and place" in response.content.decode()


def test_the_radar_lists_pairs_of_the_next_six_months(client):
    secretariat = UserFactory(role=Role.SECRETARIAT)
    first, second = theirs(), theirs(days_later=10)
    theirs(days_later=400)  # too far ahead
    client.force_login(secretariat)

    pairs = radar(user=secretariat, today=START - timedelta(days=10))
    page = client.get(reverse("activities:activity_radar"))

    assert [(p.first, p.second) for p in pairs] == [(first, second)]
    assert page.status_code == 200


def test_the_radar_makes_as_many_queries_for_4_as_for_40_activities(client):
    secretariat = UserFactory(role=Role.SECRETARIAT)
    client.force_login(secretariat)
    counts = []
    for size in (4, 40):
        Activity.objects.all().delete()
        for n in range(size):
            theirs(days_later=n, lead_organisation=OrganisationFactory())
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("activities:activity_radar"))
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_activity_page_names_the_overlaps_the_reader_may_see(client, partner):
    activity = mine(partner)
    other = theirs()
    client.force_login(partner)

    page = client.get(activity.get_absolute_url()).content.decode()

    assert "Possible duplicates" in page
    assert other.get_absolute_url() in page
