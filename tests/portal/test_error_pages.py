import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_shown_in_the_portals_look(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert "Coordination Portal" in content


def test_a_server_error_is_shown_in_the_portals_look(settings):
    settings.ROOT_URLCONF = "tests.portal.urls"
    client = Client(raise_request_exception=False)

    response = client.get("/test/boom/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
