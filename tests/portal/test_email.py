import io
from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


class FlakyBackend(BaseEmailBackend):
    """A mail server that refuses the first `failures` messages, then takes every one;
    counts the connections opened."""

    failures = 0
    opened = 0
    taken: list[EmailMessage] = []

    def open(self):
        FlakyBackend.opened += 1
        return True

    def close(self):
        return None

    def send_messages(self, messages):
        for message in messages:
            if FlakyBackend.failures > 0:
                FlakyBackend.failures -= 1
                raise OSError("connection refused")
            FlakyBackend.taken.append(message)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyBackend"}}
    FlakyBackend.failures, FlakyBackend.opened, FlakyBackend.taken = 0, 0, []
    return FlakyBackend


@pytest.mark.django_db
def test_a_failed_attempt_waits_its_back_off_then_the_email_goes_once(flaky, time_machine):
    time_machine.move_to(timezone.now())
    email = queue()
    flaky.failures = 1

    assert outbox.send_pending_emails() == 0
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutboundEmail.State.PENDING, 1)
    wait = email.next_attempt_at - timezone.now()
    assert timedelta(seconds=47) <= wait <= timedelta(seconds=73)  # a minute, give or take a fifth

    time_machine.move_to(timezone.now() + timedelta(seconds=30))
    assert outbox.send_pending_emails() == 0  # still waiting
    time_machine.move_to(email.next_attempt_at + timedelta(seconds=1))
    assert outbox.send_pending_emails() == 1

    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutboundEmail.State.SENT, 2)
    assert len(flaky.taken) == 1


def test_the_waits_double_up_to_an_hour(settings):
    settings.EMAIL_RETRY_SECONDS = 60
    waits = [outbox.retry_wait(attempt) for attempt in range(1, 9)]

    for attempt, wait in enumerate(waits, start=1):
        expected = min(timedelta(seconds=60 * 2 ** (attempt - 1)), timedelta(hours=1))
        assert expected * 0.8 <= wait <= expected * 1.2


@pytest.mark.django_db
def test_an_email_that_always_fails_is_given_up_after_the_last_attempt(flaky, time_machine):
    time_machine.move_to(timezone.now())
    email = queue()
    flaky.failures = 10**6

    for attempt in range(1, outbox.max_attempts() + 1):
        outbox.send_pending_emails()
        email.refresh_from_db()
        assert email.attempts == attempt
        time_machine.move_to(timezone.now() + timedelta(hours=2))
    outbox.send_pending_emails()

    email.refresh_from_db()
    assert email.state == OutboundEmail.State.FAILED
    assert email.attempts == outbox.max_attempts()
    assert "connection refused" in email.last_error
    assert email.body  # kept, to be resent by hand


@pytest.mark.django_db
def test_an_email_left_claimed_by_a_dead_worker_becomes_unknown_and_is_never_resent(
    mailoutbox, time_machine
):
    time_machine.move_to(timezone.now())
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.SENDING, claimed_at=timezone.now()
    )
    assert outbox.send_pending_emails() == 0
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENDING

    time_machine.move_to(timezone.now() + outbox.stale_claim() + timedelta(minutes=1))
    assert outbox.send_pending_emails() == 0
    time_machine.move_to(timezone.now() + timedelta(days=1))
    assert outbox.send_pending_emails() == 0
    assert outbox.send_outbound_email_now(email.pk) is False

    email.refresh_from_db()
    assert email.state == OutboundEmail.State.UNKNOWN
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_stale_claim_time_is_a_setting(settings, time_machine):
    settings.EMAIL_STALE_CLAIM_MINUTES = 2
    time_machine.move_to(timezone.now())
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.SENDING, claimed_at=timezone.now()
    )

    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    outbox.send_pending_emails()

    email.refresh_from_db()
    assert email.state == OutboundEmail.State.UNKNOWN


@pytest.mark.django_db
def test_a_resent_email_is_a_new_one_and_the_original_gives_up_its_text(
    django_capture_on_commit_callbacks, mailoutbox
):
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(state=OutboundEmail.State.UNKNOWN)
    email.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        copy = outbox.email_resend(email)

    email.refresh_from_db()
    copy.refresh_from_db()
    assert copy.pk != email.pk and email.resent_as == copy
    assert copy.state == OutboundEmail.State.SENT
    assert (email.state, email.body) == (OutboundEmail.State.UNKNOWN, "")
    assert len(mailoutbox) == 1
    with pytest.raises(ValueError):
        outbox.email_resend(copy)


@pytest.mark.django_db
def test_a_sweep_sends_over_one_connection_a_batch_with_one_query_an_email(flaky):
    counts = []
    for size in (10, 100):
        for _ in range(size):
            queue()
        with CaptureQueriesContext(connection) as queries:
            assert outbox.send_pending_emails() == size
        counts.append(len(queries))

    # Per sweep: stale claims to unknown; per batch (200): select the due ids for update
    # and claim them, read them; and a last select that finds none due. Per email: the
    # UPDATE that marks it sent. Savepoints of the claim's transaction count on some
    # databases, so the constant is compared, not pinned.
    assert counts[1] - counts[0] == 90
    assert flaky.opened == 2


def test_beat_sends_pending_emails_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-pending-emails"]

    assert entry["task"] == "portal.tasks.send_pending_emails"
    assert entry["schedule"] == 60.0
