"""Celery tasks of the portal: thin, they load by id and call a service."""

from celery import shared_task

from portal.lib import email


@shared_task(ignore_result=True)
def send_outbound_email(email_id: int) -> None:
    email.send_outbound_email_now(email_id)


@shared_task(ignore_result=True)
def send_pending_emails() -> None:
    email.send_pending_emails()
