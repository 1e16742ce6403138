from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import tasks
from portal.audit import Action
from portal.lib import email as outbox
from portal.models import AuditEvent, OutboundEmail
from stakeholders.models import Role
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def email(state, **fields):
    return OutboundEmail.objects.create(
        kind="meeting_reminder",
        recipient=fields.pop("recipient", "someone@example.org"),
        language="en",
        subject=fields.pop("subject", "Reminder"),
        body=fields.pop("body", "The meeting starts tomorrow."),
        state=state,
        **fields,
    )


@pytest.fixture
def secretariat(client):
    user = UserFactory(role=Role.SECRETARIAT)
    client.force_login(user)
    return user


def test_the_page_lists_failed_and_unknown_emails_only(client, secretariat):
    email(OutboundEmail.State.FAILED, subject="Refused by the server")
    email(OutboundEmail.State.UNKNOWN, subject="Lost mid-send")
    email(OutboundEmail.State.SENT, subject="Went out")
    email(OutboundEmail.State.PENDING, subject="Waiting")

    page = client.get(reverse("outbox")).content.decode()
    unknown_only = client.get(reverse("outbox") + "?state=unknown").content.decode()
    odd = client.get(reverse("outbox") + "?state=sent&page=x")

    assert "Refused by the server" in page and "Lost mid-send" in page
    assert "Went out" not in page and "Waiting" not in page
    assert "Lost mid-send" in unknown_only and "Refused by the server" not in unknown_only
    assert odd.status_code == 200


def test_sending_again_queues_a_copy_and_is_audited(
    client, secretariat, django_capture_on_commit_callbacks, mailoutbox
):
    lost = email(OutboundEmail.State.UNKNOWN)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("email_resend", args=[lost.pk]))

    lost.refresh_from_db()
    assert response.status_code == 302
    assert lost.resent_as is not None and lost.resent_as.state == OutboundEmail.State.SENT
    assert len(mailoutbox) == 1
    event = AuditEvent.objects.get(action=Action.EMAIL_RESENT)
    assert event.details["was"] == "unknown"
    assert "Lost" not in client.get(reverse("outbox")).content.decode()


def test_an_email_resent_or_sent_is_not_sent_again(client, secretariat):
    sent = email(OutboundEmail.State.SENT)
    lost = email(OutboundEmail.State.UNKNOWN)
    client.post(reverse("email_resend", args=[lost.pk]))

    again = client.post(reverse("email_resend", args=[lost.pk]), follow=True)
    other = client.post(reverse("email_resend", args=[sent.pk]), follow=True)

    assert "not sent again yet" in again.content.decode()
    assert "not sent again yet" in other.content.decode()
    assert OutboundEmail.objects.count() == 3


def test_the_text_of_unsent_emails_goes_after_a_month(client, secretariat, time_machine):
    time_machine.move_to(timezone.now())
    old = email(OutboundEmail.State.FAILED)
    OutboundEmail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=outbox.KEEP_UNSENT_DAYS + 1)
    )
    recent = email(OutboundEmail.State.UNKNOWN)

    tasks.housekeeping()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.body, recent.body) == ("", "The meeting starts tomorrow.")
    page = client.get(reverse("outbox")).content.decode()
    assert "Text no longer kept" in page
    refused = client.post(reverse("email_resend", args=[old.pk]), follow=True)
    assert "no longer kept" in refused.content.decode()


def test_the_secretariat_home_counts_them(client, secretariat):
    email(OutboundEmail.State.FAILED)
    email(OutboundEmail.State.UNKNOWN)

    page = client.get(reverse("secretariat_home")).content.decode()

    assert reverse("outbox") in page
    assert "Emails that need a look" in page
