import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from portal import tasks
from portal.lib import email as outbox
from portal.lib.console_email import EmailBackend
from portal.models import OutboundEmail


def test_the_development_console_prints_links_whole():
    link = "http://127.0.0.1:8000/accounts/reset/MQ/" + "x" * 90 + "/"
    stream = io.StringIO()

    EmailBackend(stream=stream).send_messages(
        [EmailMessage("Reset", f"Choose a new password here:\n{link}\n", to=["a@example.org"])]
    )

    assert link in stream.getvalue()
    assert "Subject: Reset" in stream.getvalue()


def queue(**overrides):
    fields = {
        "kind": "account_invitation",
        "to": "someone@example.org",
        "language": "en",
        "template": "account_invitation",
        "context": {
            "person": {"full_name": "Someone"},
            "role": "Partner",
            "inviter": "The secretariat",
            "link": "http://127.0.0.1:8000/accounts/password/set/x/",
            "expires_at": timezone.now(),
        },
    }
    return outbox.queue_email(**{**fields, **overrides})


@pytest.mark.django_db
def test_a_queued_email_goes_out_after_commit_and_is_marked_sent(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
        assert mailoutbox == []

    assert len(mailoutbox) == 1
    assert mailoutbox[0].alternatives[0].mimetype == "text/html"
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert email.sent_at is not None


@pytest.mark.django_db
def test_a_broker_outage_delays_the_email_and_never_fails_the_caller(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(tasks.send_outbound_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()

    email.refresh_from_db()
    assert email.state == OutboundEmail.State.PENDING
    assert mailoutbox == []

    tasks.send_pending_emails()

    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_an_email_is_claimed_and_sent_once(mailoutbox):
    email = queue()

    assert outbox.send_outbound_email_now(email.pk) is True
    assert outbox.send_outbound_email_now(email.pk) is False
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_failing_send_is_retried_then_marked_failed(monkeypatch, settings):
    email = queue()

    def smtp_down(self, *args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", smtp_down)
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        outbox.send_pending_emails()
        email.refresh_from_db()
        assert email.attempts == attempt
    assert email.state == OutboundEmail.State.FAILED
    assert "connection refused" in email.last_error


@pytest.mark.django_db
def test_an_email_left_claimed_by_a_dead_worker_is_sent_later(mailoutbox, time_machine):
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.SENDING, claimed_at=timezone.now()
    )
    assert outbox.send_pending_emails() == 0

    time_machine.move_to(timezone.now() + outbox.STALE_CLAIM + timedelta(minutes=1))

    assert outbox.send_pending_emails() == 1
    assert len(mailoutbox) == 1


def test_beat_sends_pending_emails_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-pending-emails"]

    assert entry["task"] == "portal.tasks.send_pending_emails"
    assert entry["schedule"] == 60.0
