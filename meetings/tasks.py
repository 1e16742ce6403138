"""Celery tasks of the meetings: thin, they call a service."""

from celery import shared_task

from meetings.services import reminders


@shared_task(ignore_result=True)
def send_due_reminders() -> None:
    reminders.send_due_reminders()
