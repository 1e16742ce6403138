from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from activities import services
from activities.models import (
    Activity,
    ActivityRevision,
    LocationKind,
    ReviewState,
    RevisionState,
)
from activities.services import Count, Place
from stakeholders.models import Role
from tests.activities.factories import ActivityFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return UserFactory(role=Role.PARTNER)


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


def approved(partner, **fields):
    return ActivityFactory(
        lead_organisation=partner.person.organisation,
        review_state=ReviewState.APPROVED,
        label="green",
        **fields,
    )


def test_a_partners_edit_of_an_approved_activity_waits_and_the_published_values_stay(
    client, partner, secretariat
):
    activity = approved(partner, title="Published title")
    donor = UserFactory(role=Role.DONOR)

    services.revision_propose(
        user=partner,
        activity=activity,
        data={"title": "Proposed title", "planned_end": date(2031, 11, 9)},
        places=[Place(kind=LocationKind.REGION, region="UZ-SA")],
    )

    activity.refresh_from_db()
    assert activity.title == "Published title"
    client.force_login(donor)
    listed = client.get(reverse("activities:activity_list")).content.decode()
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Published title" in listed and "Proposed title" not in listed
    assert "Proposed title" not in page  # a donor does not see open revisions
    client.force_login(partner)
    own = client.get(activity.get_absolute_url()).content.decode()
    assert "Proposed title" in own and "Samarkand" in own

    services.revision_approve(user=secretariat, revision=activity.revisions.get())

    activity.refresh_from_db()
    assert (activity.title, activity.planned_end) == ("Proposed title", date(2031, 11, 9))
    assert list(activity.locations.values_list("region", flat=True)) == ["UZ-SA"]
    assert activity.revisions.get().state == RevisionState.APPROVED


def test_returning_a_revision_changes_nothing_published(partner, secretariat):
    activity = approved(partner, title="Published title")
    revision = services.revision_propose(user=partner, activity=activity, data={"title": "New"})

    with pytest.raises(ValidationError):
        services.revision_return(user=secretariat, revision=revision, comment="")
    services.revision_return(user=secretariat, revision=revision, comment="Spell it out.")

    activity.refresh_from_db()
    revision.refresh_from_db()
    assert activity.title == "Published title"
    assert (revision.state, revision.comment) == (RevisionState.RETURNED, "Spell it out.")
    # Proposing again resubmits the same open revision.
    again = services.revision_propose(user=partner, activity=activity, data={"title": "Newer"})
    assert again.pk == revision.pk and again.state == RevisionState.SUBMITTED


def test_at_most_one_open_revision(partner):
    activity = approved(partner)
    services.revision_propose(user=partner, activity=activity, data={"title": "A"})

    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityRevision.objects.create(activity=activity, fields={"title": "B"})
    assert ActivityRevision.objects.count() == 1


def test_a_revision_is_checked_as_the_activity_would_be(partner):
    activity = approved(partner)

    with pytest.raises(ValidationError):
        services.revision_propose(
            user=partner, activity=activity, data={"planned_end": date(2020, 1, 1)}
        )
    with pytest.raises(ValidationError):
        services.revision_propose(
            user=partner,
            activity=activity,
            rows=[Count("airport_transport_staff", activity.locations.get(), -1, 0, 0)],
        )
    assert not ActivityRevision.objects.exists()


def test_only_the_lead_organisation_proposes_and_may_withdraw(partner, secretariat):
    activity = approved(partner)
    stranger = UserFactory(role=Role.PARTNER)

    with pytest.raises(PermissionDenied):
        services.revision_propose(user=stranger, activity=activity, data={"title": "x"})
    revision = services.revision_propose(user=partner, activity=activity, data={"title": "y"})
    with pytest.raises(PermissionDenied):
        services.revision_withdraw(user=stranger, revision=revision)
    services.revision_withdraw(user=partner, revision=revision)

    revision.refresh_from_db()
    assert revision.state == RevisionState.WITHDRAWN


def test_proposed_participants_are_published_on_approval(partner, secretariat):
    activity = approved(partner)
    bukhara = activity.locations.get()
    services.revision_propose(
        user=partner, activity=activity, rows=[Count("airport_transport_staff", bukhara, 5, 6, 0)]
    )
    assert not activity.participants.exists()

    services.revision_approve(user=secretariat, revision=activity.revisions.get())

    assert list(activity.participants.values_list("female", "male")) == [(5, 6)]


def test_the_edit_page_of_an_approved_activity_proposes_changes(client, partner):
    activity = approved(partner, title="Published title")
    client.force_login(partner)

    response = client.post(
        reverse("activities:activity_edit", args=[activity.pk]),
        {
            "title": "Proposed on the page",
            "type": activity.type,
            "primary_pillar": activity.primary_pillar,
            "target_groups": activity.target_groups,
            "lead_organisation": activity.lead_organisation_id,
            "status": activity.status,
            "planned_start": activity.planned_start.isoformat(),
            "planned_end": activity.planned_end.isoformat(),
            "modality": activity.modality,
            "regions": ["UZ-BU"],
            "label": activity.label,
            "version": activity.version,
        },
        follow=True,
    )

    assert "submitted for review" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).title == "Published title"
    assert ActivityRevision.objects.get().fields == {"title": "Proposed on the page"}


def test_the_same_target_groups_in_another_order_are_no_change(partner):
    activity = approved(partner, target_groups=["police", "judges"])

    revision = services.revision_propose(
        user=partner,
        activity=activity,
        data={"target_groups": ["judges", "police"], "title": "Renamed"},
    )

    assert revision.fields == {"title": "Renamed"}
