import pytest
from django.urls import reverse

from stakeholders.models import User

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
