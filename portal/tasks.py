"""Celery tasks of the portal: thin, they load by id and call a service."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

from portal.lib import audit, email


@shared_task(ignore_result=True)
def send_outbound_email(email_id: int) -> None:
    email.send_outbound_email_now(email_id)


@shared_task(ignore_result=True)
def send_pending_emails() -> None:
    email.send_pending_emails()


@shared_task(ignore_result=True)
def housekeeping() -> None:
    """Delete expired sessions and the audit events past their retention; forget the text
    of emails that failed or are unknown and were not resent within a month."""
    call_command("clearsessions")
    audit.delete_expired_events(older_than=timedelta(days=settings.AUDIT_RETENTION_DAYS))
    email.forget_unsent_text(older_than=timedelta(days=email.KEEP_UNSENT_DAYS))
