"""Recording audit events: one call, the same shape everywhere."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from portal.lib.net import client_ip
from portal.models import AuditEvent


def audit(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event. `details` must hold no secret (no password, token or link)."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=getattr(actor, "email", "") if actor else "",
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_label=str(target)[:255] if target is not None else "",
        ip_address=client_ip(request) if request is not None else None,
        details=details or {},
    )
