"""The secretariat's view of outgoing email: what failed or is unknown, and resending it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.audit import Action
from portal.lib import email as outbox
from portal.lib.audit import audit
from portal.models import OutboundEmail
from stakeholders import permissions
from stakeholders.models import User

PROBLEMS = (OutboundEmail.State.FAILED, OutboundEmail.State.UNKNOWN)


def problem_emails(*, state: str = "") -> QuerySet[OutboundEmail]:
    """Failed and unknown emails not sent again yet, the latest first; `state` narrows."""
    states = [state] if state in PROBLEMS else list(PROBLEMS)
    return OutboundEmail.objects.filter(state__in=states, resent_as__isnull=True).order_by(
        "-created_at", "-pk"
    )


def problem_count() -> int:
    return problem_emails().count()


@transaction.atomic
def email_resend(
    *, user: User, email: OutboundEmail, request: HttpRequest | None = None
) -> OutboundEmail:
    """Send a failed or unknown email again, as a new email; recorded in the audit trail."""
    if not permissions.can_manage_outbox(user):
        raise PermissionDenied
    locked = OutboundEmail.objects.select_for_update().get(pk=email.pk)
    if locked.state not in PROBLEMS or locked.resent_as_id is not None:
        raise ValidationError(_("Only a failed or unknown email not sent again yet is resent."))
    if not locked.body:
        raise ValidationError(_("This email's text is no longer kept: it cannot be resent."))
    copy = outbox.email_resend(locked)
    audit(
        action=Action.EMAIL_RESENT,
        actor=user,
        target=copy,
        request=request,
        details={"recipient": locked.recipient, "subject": locked.subject, "was": locked.state},
    )
    return copy
