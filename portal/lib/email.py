"""Outgoing email, one way for the whole portal: queue in the transaction, send after commit.

Each email is a template trio under templates/email/: `<name>_subject.txt`,
`<name>.txt` and `<name>.html`, rendered in the recipient's language.
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from email.message import MIMEPart
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Once an email is out (or given up), its text goes: it may hold a one-time link.
SPENT: dict[str, Any] = {"body": "", "html_body": "", "attachments": []}
# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class Attachment:
    """A text attachment: a calendar entry, say (`params` go into its Content-Type)."""

    filename: str
    mimetype: str
    content: str
    params: dict[str, str] = field(default_factory=dict)


def queue_email(
    *,
    kind: str,
    to: str,
    language: str,
    template: str,
    context: dict[str, Any],
    attachments: list[Attachment] | None = None,
) -> OutboundEmail:
    """Render an email in `language` and queue it; a task sends it after commit."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
        body = render_to_string(f"email/{template}.txt", context)
        html_body = render_to_string(f"email/{template}.html", context)
    email = OutboundEmail.objects.create(
        kind=kind,
        recipient=to,
        language=language,
        subject=subject,
        body=body,
        html_body=html_body,
        attachments=[asdict(attachment) for attachment in attachments or []],
    )
    from portal.tasks import send_outbound_email

    # robust: a broker that is down must not fail the request; the periodic
    # task sends what is still pending.
    transaction.on_commit(lambda: send_outbound_email.delay(email.pk), robust=True)
    return email


def send_outbound_email_now(email_id: int) -> bool:
    """Claim a pending email, send it and mark it sent; True when this call sent it."""
    claimed = OutboundEmail.objects.filter(pk=email_id, state=OutboundEmail.State.PENDING).update(
        state=OutboundEmail.State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if claimed != 1:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        message.attach(_mime_part(Attachment(**attachment)))
    try:
        message.send()
    except Exception as error:
        failed = email.attempts >= MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email.pk).update(
            state=OutboundEmail.State.FAILED if failed else OutboundEmail.State.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            **(SPENT if failed else {}),
        )
        logger.warning("Email %s to %s not sent: %s", email.pk, email.recipient, error)
        return False
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.SENT, sent_at=timezone.now(), last_error="", **SPENT
    )
    return True


def _mime_part(attachment: Attachment) -> MIMEPart:
    maintype, subtype = attachment.mimetype.split("/", 1)
    if maintype != "text":
        raise ValueError(f"Only text attachments are queued, not {attachment.mimetype}.")
    part = MIMEPart()
    part.set_content(
        attachment.content,
        subtype=subtype,
        disposition="attachment",
        filename=attachment.filename,
        params=attachment.params,
    )
    return part


def send_pending_emails() -> int:
    """Send every pending email (and those a dead worker left claimed); return how many went."""
    OutboundEmail.objects.filter(
        state=OutboundEmail.State.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM
    ).update(state=OutboundEmail.State.PENDING)
    pending = OutboundEmail.objects.filter(state=OutboundEmail.State.PENDING).values_list(
        "pk", flat=True
    )
    return sum(send_outbound_email_now(pk) for pk in list(pending[:500]))
