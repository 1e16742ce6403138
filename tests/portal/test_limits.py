"""Limits and housekeeping: the cache, the rate limiter, request bodies, retention."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.lib.audit import audit
from portal.lib.ratelimit import RateLimit
from portal.models import AuditEvent
from portal.tasks import housekeeping
from stakeholders.accounts import forget_ended_login_sessions
from stakeholders.models import LoginSession
from tests.stakeholders.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "portal.lib.cache.ResilientRedisCache",
        # Nothing listens on port 1: every call fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def dead_cache(settings):
    # Changing the setting makes Django build the cache anew (and again after the test).
    settings.CACHES = DEAD_REDIS
    return caches["default"]


def test_the_resilient_cache_answers_a_miss_when_redis_is_down(dead_cache):
    dead_cache.set("key", "value")

    assert dead_cache.get("key", "missing") == "missing"
    assert dead_cache.add("key", 1) is False
    assert dead_cache.get_many(["key"]) == {}
    with pytest.raises(ValueError, match="not found"):
        dead_cache.incr("key")


def test_the_directory_pages_answer_with_the_cache_unreachable(dead_cache, client, donor_user):
    organisation = OrganisationFactory()
    person = PersonFactory(organisation=organisation)
    client.force_login(donor_user)

    for url in (
        reverse("stakeholders:organisation_list"),
        reverse("stakeholders:organisation_detail", args=[organisation.pk]),
        reverse("stakeholders:person_list") + "?q=a",
        reverse("stakeholders:person_detail", args=[person.pk]),
        reverse("stakeholders:organisation_export", args=["csv"]),
        reverse("stakeholders:organisation_choices") + "?q=org",
    ):
        assert client.get(url).status_code == 200, url
    assert (
        Client().post(reverse("login"), {"username": "x@example.org", "password": "x"}).status_code
        == 200
    )


def test_the_rate_limiter_counts_per_key_and_window(time_machine):
    time_machine.move_to("2026-05-01 10:00:00Z")
    limit = RateLimit("exports", limit=2, window=60)

    assert [limit.hit("user-1") for _ in range(3)] == [True, True, False]
    assert limit.exceeded("user-1")
    assert limit.hit("user-2")
    time_machine.move_to("2026-05-01 10:01:00Z")
    assert limit.hit("user-1")


def test_the_rate_limiter_fails_open_without_a_cache(dead_cache):
    limit = RateLimit("exports", limit=1, window=60)

    assert all(limit.hit("user-1") for _ in range(3))
    assert not limit.exceeded("user-1")


def test_a_request_body_over_the_cap_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY = 1024

    response = client.post(
        reverse("password_reset"), {"email": "a@example.org", "padding": "x" * 2048}
    )

    assert response.status_code == 413
    assert "larger than" in response.content.decode()


def test_housekeeping_applies_the_audit_retention_and_clears_expired_sessions(
    settings, time_machine, secretariat_user
):
    settings.AUDIT_RETENTION_DAYS = 30
    time_machine.move_to("2026-01-01 12:00:00Z")
    old = audit(action="login", actor=secretariat_user)
    expired = SessionStore()
    expired.set_expiry(60)
    expired.create()
    time_machine.move_to("2026-02-15 12:00:00Z")
    recent = audit(action="login", actor=secretariat_user)

    housekeeping()

    assert list(AuditEvent.objects.all()) == [recent]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert not SessionStore().exists(expired.session_key)


def test_records_of_ended_logins_are_forgotten(client, secretariat_user):
    client.force_login(secretariat_user)
    ended = LoginSession.objects.create(user=secretariat_user, session_key="gone")
    live = LoginSession.objects.get(session_key=client.session.session_key)

    assert forget_ended_login_sessions() == 1

    assert list(LoginSession.objects.all()) == [live]
    assert not LoginSession.objects.filter(pk=ended.pk).exists()
    assert timezone.now() - live.created_at < timedelta(minutes=1)


def test_exports_are_limited_per_user(client, partner_user, monkeypatch):
    from portal.lib import views

    monkeypatch.setattr(views, "EXPORTS", RateLimit("exports", limit=2, window=600))
    client.force_login(partner_user)
    url = reverse("stakeholders:organisation_export", args=["csv"])

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert "Wait a little" in client.get(url).content.decode()
