import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from portal.lib import health

pytestmark = pytest.mark.django_db


def test_it_answers_200_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


def test_it_answers_503_naming_the_broker_when_the_broker_is_unreachable(client, settings):
    # Nothing listens on port 1.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert response.json()["checks"] == {"database": "ok", "broker": "down"}


def test_it_answers_503_naming_the_database_when_it_fails(client, monkeypatch):
    monkeypatch.setattr(health, "database_answers", lambda: False)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


def test_it_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_it_answers_503_naming_the_database_when_the_connection_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["down"] == ["database"]
