import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portal.models import AuditEvent
from tests.stakeholders.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def post_login(client, email, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_it_logs_in_by_email_in_any_letter_case(client):
    user = UserFactory(email="Focal.Point@Example.org")

    response = post_login(client, "fOCAL.pOINT@example.ORG", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_shows_an_error_for_a_wrong_password(client):
    UserFactory(email="someone@example.org")

    response = post_login(client, "someone@example.org", "not-the-password")

    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_inactive_account(client):
    UserFactory(email="gone@example.org", is_active=False)

    response = post_login(client, "gone@example.org", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_locks_the_account_from_that_address_after_repeated_failures(client, settings):
    UserFactory(email="target@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, "target@example.org", "wrong").status_code == 200

    locked = post_login(client, "Target@example.org", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()

    # Even the right password is refused from that address during the cool-off.
    assert post_login(client, "target@example.org", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_locked_account_still_logs_in_from_another_address(client, settings):
    user = UserFactory(email="target@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "target@example.org", "wrong", address="10.0.0.1")

    response = post_login(client, "target@example.org", PASSWORD, address="10.0.0.2")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_lock_ends_after_the_cool_off_time(client, settings, time_machine):
    user = UserFactory(email="target@example.org")
    time_machine.move_to("2026-03-01 09:00:00+05:00")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "target@example.org", "wrong")
    assert post_login(client, "target@example.org", PASSWORD).status_code == 429

    time_machine.shift(settings.AXES_COOLOFF_TIME.total_seconds() + 1)

    response = post_login(client, "target@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_logout_needs_a_post_and_ends_the_session(client, partner_user):
    client.force_login(partner_user)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_checks_the_validators(client, partner_user):
    client.force_login(partner_user)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "quarterly-meeting-2024",
            "new_password2": "quarterly-meeting-2024",
        },
    )
    assert response.status_code == 302
    partner_user.refresh_from_db()
    assert partner_user.check_password("quarterly-meeting-2024")


def ask_for_reset(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": email})


def test_password_reset_sends_a_one_time_link_in_the_persons_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="reset.me@example.org", person__preferred_language="ru")

    response = ask_for_reset(client, "RESET.me@example.org", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["reset.me@example.org"]
    with translation.override("ru"):
        assert mailoutbox[0].subject == gettext("Choose a new password for the Coordination Portal")
    path = re.search(r"/accounts/password/set/\S+/", mailoutbox[0].body).group(0)
    with translation.override("ru"):
        assert gettext("Choose a new password") in client.get(path).content.decode()
    response = client.post(
        path,
        {"new_password1": "quarterly-meeting-2024", "new_password2": "quarterly-meeting-2024"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("quarterly-meeting-2024")
    assert client.get(path).status_code == 410


def test_a_new_reset_link_replaces_the_old_one_and_asking_twice_at_once_sends_one(
    client, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    UserFactory(email="reset.me@example.org")
    time_machine.move_to("2026-03-01 09:00:00+05:00")
    ask_for_reset(client, "reset.me@example.org", django_capture_on_commit_callbacks)
    ask_for_reset(client, "reset.me@example.org", django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    first = re.search(r"/accounts/password/set/\S+/", mailoutbox[0].body).group(0)

    time_machine.move_to("2026-03-01 09:05:00+05:00")
    ask_for_reset(client, "reset.me@example.org", django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 2
    assert "This link has been replaced" in client.get(first).content.decode()


def test_an_inactive_account_gets_no_reset_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="gone@example.org", is_active=False)

    response = ask_for_reset(client, "gone@example.org", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert mailoutbox == []


def test_password_reset_tells_nothing_about_unknown_addresses(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mailoutbox == []


def test_behind_the_proxy_failures_count_per_client_not_per_proxy(client, settings):
    settings.BEHIND_TLS_PROXY = True
    user = UserFactory(email="target@example.org")

    def attempt(password, client_address):
        return client.post(
            reverse("login"),
            {"username": "target@example.org", "password": password},
            REMOTE_ADDR="172.18.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"203.0.113.9, {client_address}",
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("wrong", "198.51.100.7")
    assert attempt(PASSWORD, "198.51.100.7").status_code == 429

    response = attempt(PASSWORD, "198.51.100.8")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_logged_in_user_sent_back_to_the_login_page_lands_home(client, partner_user):
    client.force_login(partner_user)

    response = client.get(reverse("login"), {"next": reverse("login")})

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_stale_form_gets_the_portals_page(partner_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x@example.org", "password": "y"})

    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_a_failed_login_is_announced_as_an_alert(client):
    response = post_login(client, "nobody@example.org", "whatever-password")

    assert 'role="alert"' in response.content.decode()


def test_password_reset_does_the_same_work_for_known_and_unknown_addresses(
    client, django_assert_num_queries
):
    UserFactory(email="known@example.org")

    # The request only stores the address asked for; a task looks it up and sends.
    with django_assert_num_queries(1):
        known = client.post(reverse("password_reset"), {"email": "known@example.org"})
    with django_assert_num_queries(1):
        unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)


def test_the_reset_task_records_the_clients_address(client, django_capture_on_commit_callbacks):
    UserFactory(email="known@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("password_reset"), {"email": "known@example.org"}, REMOTE_ADDR="203.0.113.9"
        )

    event = AuditEvent.objects.get(action="password_reset_requested")
    assert event.ip_address == "203.0.113.9"


def test_failures_from_one_address_across_accounts_are_limited_separately(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    settings.AXES_FAILURE_LIMIT = 100
    user = UserFactory(email="colleague@example.org")
    for number in range(3):
        response = client.post(
            reverse("login"), {"username": f"typo{number}@example.org", "password": "wrong"}
        )
        assert response.status_code == 200

    blocked = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    elsewhere = Client(REMOTE_ADDR="198.51.100.7").post(
        reverse("login"), {"username": user.email, "password": PASSWORD}
    )

    assert blocked.status_code == 429
    assert "Too many failed logins came from your address" in blocked.content.decode()
    assert elsewhere.status_code == 302


def test_a_reset_whose_task_was_lost_is_sent_by_beat(client, time_machine):
    from portal.models import OutboundEmail
    from stakeholders.accounts import password_resets_pending
    from stakeholders.models import PasswordResetRequest

    # The requests' own tasks never run here (nothing is committed): as with a broker down.
    UserFactory(email="known@example.org")
    time_machine.move_to("2026-03-01 09:00:00+05:00")
    client.post(reverse("password_reset"), {"email": "known@example.org"})
    client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert PasswordResetRequest.objects.count() == 2

    time_machine.move_to("2026-03-01 09:02:00+05:00")
    assert password_resets_pending() == 1

    assert list(OutboundEmail.objects.values_list("recipient", "kind")) == [
        ("known@example.org", "password_reset")
    ]
    assert PasswordResetRequest.objects.count() == 0
    assert password_resets_pending() == 0


def test_password_reset_requests_from_one_address_are_limited_quietly(client, monkeypatch):
    from portal.lib.ratelimit import RateLimit
    from stakeholders import account_views
    from stakeholders.models import PasswordResetRequest

    monkeypatch.setattr(
        account_views, "RESET_REQUESTS", RateLimit("password-resets", limit=2, window=900)
    )

    answers = [
        client.post(reverse("password_reset"), {"email": f"a{n}@example.org"}) for n in range(3)
    ]

    assert [(a.status_code, a.url) for a in answers] == [(302, reverse("password_reset_done"))] * 3
    assert PasswordResetRequest.objects.count() == 2
