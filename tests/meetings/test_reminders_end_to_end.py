"""A reminder through the real machinery: beat runs the sweep at the interval its setting
gives, a worker runs it and sends the email with the file mail backend. PostgreSQL and
Redis only (the CI pass with both); every other test calls the sweep directly."""

import os
import time
from datetime import timedelta

import pytest
from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.utils import timezone

from meetings.models import ReminderDelivery, ReminderRule, Response
from portal.celery import app
from portal.models import OutboundEmail
from tests.meetings.factories import InvitationFactory, MeetingFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="PostgreSQL and Redis only: the CI pass that has both",
    ),
]


@pytest.fixture
def worker_and_beat(settings, tmp_path):
    settings.REMINDER_SWEEP_SECONDS = 1
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    kept = app.conf.beat_schedule
    app.conf.task_always_eager = False
    app.conf.beat_schedule = {
        "send-due-reminders": {
            "task": "meetings.tasks.send_due_reminders",
            "schedule": float(settings.REMINDER_SWEEP_SECONDS),
        }
    }
    beat = EmbeddedService(
        app, max_interval=1, thread=True, schedule_filename=str(tmp_path / "beat-schedule")
    )
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        beat.start()
        try:
            yield tmp_path / "mail"
        finally:
            beat.stop()
    app.conf.beat_schedule = kept
    app.conf.task_always_eager = True


def test_a_due_reminder_arrives_by_itself(worker_and_beat):
    meeting = MeetingFactory(
        starts_at=timezone.now() + timedelta(days=1) - timedelta(minutes=1),
    )
    ReminderRule.objects.create(meeting=meeting, offset_minutes=24 * 60)
    invitation = InvitationFactory(
        meeting=meeting,
        response=Response.ACCEPTED,
        invited_at=timezone.now() - timedelta(days=10),
    )

    deadline = time.monotonic() + 30
    delivered = []
    while time.monotonic() < deadline and not delivered:
        time.sleep(0.25)
        if worker_and_beat.exists():
            delivered = [
                path.read_text()
                for path in worker_and_beat.iterdir()
                if invitation.person.email in path.read_text()
            ]

    assert len(delivered) == 1
    assert "Reminder:" in delivered[0]
    email = ReminderDelivery.objects.get().email
    assert email is not None and email.state == OutboundEmail.State.SENT
