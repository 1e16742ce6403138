"""Outgoing email, one way for the whole portal: queue in the transaction, send after commit.

Each email is a template trio under templates/email/: `<name>_subject.txt`,
`<name>.txt` and `<name>.html`, rendered in the recipient's language.

States: `pending` → `sending` (claimed by a conditional UPDATE) → `sent`, or back to
`pending` with a wait that doubles after each failed attempt, or `failed` after the last
one. A claim whose worker died mid-send becomes `unknown`: the mail server may have taken
the email, so it is never sent again by itself; the secretariat may resend it by hand.
"""

import logging
import random
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from email.message import MIMEPart
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.models import OutboundEmail

logger = logging.getLogger(__name__)

# Once an email is out, its text goes: it may hold a one-time link. A failed or unknown
# email keeps it, to be resent by hand; resending spends the original.
SPENT: dict[str, Any] = {"body": "", "html_body": "", "attachments": []}
# How many emails one sweep claims at a time, over one connection to the mail server.
BATCH = 200
MAX_RETRY_WAIT = timedelta(hours=1)
# The text of a failed or unknown email is kept this long, to be resent by hand.
KEEP_UNSENT_DAYS = 30


def max_attempts() -> int:
    return int(settings.EMAIL_MAX_ATTEMPTS)


def stale_claim() -> timedelta:
    return timedelta(minutes=settings.EMAIL_STALE_CLAIM_MINUTES)


def retry_wait(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from EMAIL_RETRY_SECONDS,
    at most an hour, give or take a fifth, so that emails failed together do not all come
    back at once."""
    first = timedelta(seconds=int(settings.EMAIL_RETRY_SECONDS))
    wait: timedelta = min(first * 2 ** max(attempts - 1, 0), MAX_RETRY_WAIT)
    return wait * random.uniform(0.8, 1.2)  # noqa: S311 - spreading retries, not a secret


@dataclass(frozen=True)
class Attachment:
    """A text attachment: a calendar entry, say (`params` go into its Content-Type)."""

    filename: str
    mimetype: str
    content: str
    params: dict[str, str] = field(default_factory=dict)


def render_email(
    *, kind: str, to: str, language: str, template: str, context: dict[str, Any]
) -> OutboundEmail:
    """An email rendered in `language`, not saved: for callers that save many at once."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
        body = render_to_string(f"email/{template}.txt", context)
        html_body = render_to_string(f"email/{template}.html", context)
    return OutboundEmail(
        kind=kind,
        recipient=to,
        language=language,
        subject=subject[:255],
        body=body,
        html_body=html_body,
    )


def queue_email(
    *,
    kind: str,
    to: str,
    language: str,
    template: str,
    context: dict[str, Any],
    attachments: list[Attachment] | None = None,
    headers: dict[str, str] | None = None,
    send: bool = True,
) -> OutboundEmail:
    """Render an email in `language` and queue it; a task sends it after commit. Callers
    that queue many at once pass `send=False` and call `send_soon()` once."""
    email = render_email(kind=kind, to=to, language=language, template=template, context=context)
    email.attachments = [asdict(attachment) for attachment in attachments or []]
    email.headers = headers or {}
    email.save()
    if not send:
        return email
    from portal.tasks import send_outbound_email

    # robust: a broker that is down must not fail the request; the periodic
    # task sends what is still pending.
    transaction.on_commit(lambda: send_outbound_email.delay(email.pk), robust=True)
    return email


def send_soon() -> None:
    """After commit, send what is pending in one task: for callers that queue many emails
    (a reminder sweep) rather than one task an email."""
    from portal.tasks import send_pending_emails

    transaction.on_commit(send_pending_emails.delay, robust=True)


def _due(now: datetime) -> Q:
    return Q(state=OutboundEmail.State.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers=email.headers or None,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        message.attach(_mime_part(Attachment(**attachment)))
    return message


def _deliver(email: OutboundEmail, mailer: Any) -> bool:
    """Hand a claimed email to the mail server and record the outcome (one UPDATE)."""
    try:
        mailer.send_messages([_message(email)])
    except Exception as error:
        failed = email.attempts >= max_attempts()
        OutboundEmail.objects.filter(pk=email.pk).update(
            state=OutboundEmail.State.FAILED if failed else OutboundEmail.State.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=None if failed else timezone.now() + retry_wait(email.attempts),
        )
        logger.warning("Email %s to %s not sent: %s", email.pk, email.recipient, error)
        # The connection may be broken: the next email opens another.
        mailer.close()
        return False
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.SENT,
        sent_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
        **SPENT,
    )
    return True


def send_outbound_email_now(email_id: int) -> bool:
    """Claim a pending email that is due, send it and mark it sent; True when this call
    sent it."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(_due(now), pk=email_id).update(
        state=OutboundEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    mailer = _open(mail.mailers.default)
    try:
        return _deliver(email, mailer)
    finally:
        mailer.close()


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


def mark_stale_claims_unknown() -> int:
    """Claims older than the stale-claim time: their worker died mid-send, so whether the
    mail server took them is unknown. They are shown, never resent by themselves."""
    stale = OutboundEmail.objects.filter(
        state=OutboundEmail.State.SENDING, claimed_at__lt=timezone.now() - stale_claim()
    )
    count = stale.update(state=OutboundEmail.State.UNKNOWN)
    if count:
        logger.error("%s emails were left mid-send by a worker: their delivery is unknown.", count)
    return count


def _claim_batch(now: datetime) -> tuple[list[int], datetime] | None:
    """Claim up to BATCH due emails, or None when none is due; rows another sweep holds are
    skipped, not waited for."""
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(_due(now))
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        OutboundEmail.objects.filter(pk__in=ids, state=OutboundEmail.State.PENDING).update(
            state=OutboundEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return (ids, now) if ids else None


def send_pending_emails() -> int:
    """Send every email that is due, a batch at a time over one connection; return how many
    went. Queries: two to claim a batch, one to read it, one UPDATE per email."""
    mark_stale_claims_unknown()
    sent = 0
    while claimed := _claim_batch(timezone.now()):
        ids, claimed_at = claimed
        mailer = _open(mail.mailers.default)
        try:
            emails = OutboundEmail.objects.filter(
                pk__in=ids, state=OutboundEmail.State.SENDING, claimed_at=claimed_at
            ).order_by("pk")
            for email in emails:
                sent += _deliver(email, mailer)
        finally:
            mailer.close()
    return sent


def _open(mailer: Any) -> Any:
    """Open the mailer's connection for a batch; when the server is down, each email's own
    attempt records the error."""
    try:
        mailer.open()
    except Exception as error:
        logger.warning("The mail server cannot be reached: %s", error)
    return mailer


def forget_unsent_text(*, older_than: timedelta) -> int:
    """Drop the text of failed and unknown emails nobody resent in time: it may hold a
    one-time link, and is kept only to be sent again by hand."""
    return (
        OutboundEmail.objects.filter(
            state__in=[OutboundEmail.State.FAILED, OutboundEmail.State.UNKNOWN],
            created_at__lt=timezone.now() - older_than,
        )
        .exclude(body="", html_body="")
        .update(**SPENT)
    )


def email_resend(email: OutboundEmail) -> OutboundEmail:
    """Queue a copy of a failed or unknown email as a new one; the original keeps its
    state, points to the copy and gives up its text."""
    if email.state not in (OutboundEmail.State.FAILED, OutboundEmail.State.UNKNOWN):
        raise ValueError(f"Only failed or unknown emails are resent, not {email.state}.")
    copy = OutboundEmail.objects.create(
        kind=email.kind,
        recipient=email.recipient,
        language=email.language,
        subject=email.subject,
        body=email.body,
        html_body=email.html_body,
        attachments=email.attachments,
        headers=email.headers,
    )
    OutboundEmail.objects.filter(pk=email.pk).update(resent_as=copy, **SPENT)
    from portal.tasks import send_outbound_email

    transaction.on_commit(lambda: send_outbound_email.delay(copy.pk), robust=True)
    return copy
