"""Celery tasks of the directory: thin, they call a service."""

from celery import shared_task

from stakeholders import accounts, imports
from stakeholders.models import ImportBatch, User


@shared_task(ignore_result=True)
def handle_password_reset(request_id: int) -> None:
    accounts.password_reset_handle(request_id=request_id)


@shared_task(ignore_result=True)
def send_pending_password_resets() -> None:
    accounts.password_resets_pending()


@shared_task(ignore_result=True)
def forget_ended_login_sessions() -> None:
    accounts.forget_ended_login_sessions()


@shared_task(ignore_result=True)
def recover_import_batches() -> None:
    imports.import_batches_recover()


@shared_task(ignore_result=True)
def apply_import_batch(batch_id: int, user_id: int) -> None:
    imports.import_batch_apply(
        user=User.objects.get(pk=user_id), batch=ImportBatch.objects.get(pk=batch_id)
    )
