import pytest
from django.urls import reverse

from activities import services
from activities.audit import Action
from activities.models import ReviewState, TrustedOrganisation
from portal.models import AuditEvent
from stakeholders.models import Role
from stakeholders.services import organisation_merge
from tests.activities.factories import ActivityFactory
from tests.stakeholders.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def partner():
    return UserFactory(role=Role.PARTNER)


def test_a_trusted_organisations_submission_is_approved_on_trust_and_may_be_returned(
    partner, secretariat
):
    services.trust_set(user=secretariat, organisation=partner.person.organisation, trusted=True)
    activity = ActivityFactory(lead_organisation=partner.person.organisation)

    services.activity_submit(user=partner, activity=activity)
    activity.refresh_from_db()
    assert (activity.review_state, activity.approved_on_trust) == (ReviewState.APPROVED, True)
    assert AuditEvent.objects.filter(action=Action.APPROVED_ON_TRUST).count() == 1

    services.activity_return(user=secretariat, activity=activity, comment="Check the counts.")
    activity.refresh_from_db()
    assert (activity.review_state, activity.approved_on_trust) == (ReviewState.RETURNED, False)


def test_an_approval_after_review_cannot_be_returned(partner, secretariat):
    from django.core.exceptions import ValidationError

    activity = ActivityFactory(lead_organisation=partner.person.organisation)
    services.activity_submit(user=partner, activity=activity)
    services.activity_approve(user=secretariat, activity=activity)

    with pytest.raises(ValidationError):
        services.activity_return(user=secretariat, activity=activity, comment="Late")


def test_a_trusted_organisations_revision_is_published_at_once(partner, secretariat):
    services.trust_set(user=secretariat, organisation=partner.person.organisation, trusted=True)
    activity = ActivityFactory(
        lead_organisation=partner.person.organisation,
        review_state=ReviewState.APPROVED,
        title="Old title",
    )

    services.revision_propose(user=partner, activity=activity, data={"title": "New title"})

    activity.refresh_from_db()
    assert (activity.title, activity.approved_on_trust) == ("New title", True)
    assert activity.revisions.get().state == "approved"
    assert "new title" in activity.search_text


def test_the_page_adds_and_removes_trust_and_only_the_secretariat_may(client, secretariat, partner):
    organisation = OrganisationFactory()
    client.force_login(partner)
    assert client.get(reverse("activities:trusted_organisations")).status_code == 403

    client.force_login(secretariat)
    client.post(reverse("activities:trusted_organisations"), {"organisation": organisation.pk})
    assert TrustedOrganisation.objects.filter(organisation=organisation).exists()
    page = client.get(reverse("activities:trusted_organisations")).content.decode()
    assert organisation.local_name in page
    client.post(reverse("activities:trusted_organisations"), {"remove": organisation.pk})

    assert not TrustedOrganisation.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.TRUST_GRANTED, Action.TRUST_WITHDRAWN} <= actions


def test_trust_moves_with_a_merge(secretariat):
    duplicate, keep = OrganisationFactory(), OrganisationFactory()
    services.trust_set(user=secretariat, organisation=duplicate, trusted=True)

    organisation_merge(user=secretariat, duplicate=duplicate, keep=keep)

    assert list(TrustedOrganisation.objects.values_list("organisation", flat=True)) == [keep.pk]
