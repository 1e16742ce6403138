"""One end-to-end run through a real Celery worker on the configured broker.

Redis in CI (REDIS_URL), the filesystem broker otherwise; every other test
runs tasks eagerly.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from portal.celery import app
from portal.lib.email import queue_email
from portal.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


def test_a_queued_email_is_sent_by_the_worker_after_commit(worker, mailoutbox):
    email = queue_email(
        kind="account_invitation",
        to="worker.test@example.org",
        language="en",
        template="account_invitation",
        context={
            "person": {"full_name": "Worker Test"},
            "role": "Partner",
            "inviter": "The secretariat",
            "link": "http://127.0.0.1:8000/accounts/password/set/x/",
            "expires_at": timezone.now(),
        },
    )

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.state == OutboundEmail.State.SENT:
            break
        time.sleep(0.2)

    assert email.state == OutboundEmail.State.SENT
    assert [m.to for m in mailoutbox] == [["worker.test@example.org"]]
