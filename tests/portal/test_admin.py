import pytest
from django.urls import reverse

from stakeholders.models import Role, User
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:stakeholders_organisation_changelist",
        "admin:stakeholders_person_changelist",
        "admin:stakeholders_user_changelist",
        "admin:stakeholders_accountlink_changelist",
        "admin:portal_auditevent_changelist",
        "admin:portal_outboundemail_changelist",
    ],
)
def test_the_admin_pages_open_for_a_superuser(client, name):
    client.force_login(User.objects.create_superuser("admin@example.org", "a-long-password-1"))

    assert client.get(reverse(name)).status_code == 200


def test_the_admin_is_closed_to_portal_users(client, secretariat_user):
    client.force_login(secretariat_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_admin_changes_no_account_role_or_access_around_the_services(client):
    """Role changes and deactivation go through the pages, which audit them and end the
    user's sessions; the admin shows accounts read-only."""
    client.force_login(User.objects.create_superuser("admin@example.org", "a-long-password-1"))
    partner = UserFactory(role=Role.PARTNER)
    url = reverse("admin:stakeholders_user_change", args=[partner.pk])

    page = client.get(url)
    response = client.post(url, {"email": partner.email, "role": Role.SECRETARIAT})

    assert page.status_code == 200
    assert 'name="role"' not in page.content.decode()
    assert response.status_code == 403
    partner.refresh_from_db()
    assert (partner.role, partner.is_active) == (Role.PARTNER, True)
    assert client.post(reverse("admin:stakeholders_user_add"), {}).status_code == 403
    assert (
        client.post(reverse("admin:stakeholders_user_delete", args=[partner.pk])).status_code == 403
    )
