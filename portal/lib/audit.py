"""The audit trail: recording events, and what each app registers about its own.

Each app registers the actions it records (with their labels), the labels of
the details it stores and how to show their values, and who may read the trail,
so that `portal` knows no app and a new action needs no migration here.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise

from portal.lib.net import client_ip
from portal.models import AuditEvent

_actions: dict[str, str | Promise] = {}
_detail_labels: dict[str, str | Promise] = {}
_detail_values: dict[str, Callable[[Any], str | Promise]] = {}
_readers: list[Callable[[Any], bool]] = []


def register_actions(actions: type[models.TextChoices]) -> None:
    """Make an app's actions known, with their labels."""
    for value, label in actions.choices:
        if _actions.get(value, label) != label:
            raise ValueError(f"The audit action {value!r} is registered twice.")
        _actions[value] = label


def register_details(
    labels: dict[str, str | Promise],
    values: dict[str, Callable[[Any], str | Promise]] | None = None,
) -> None:
    """Labels of detail keys, and how to show some keys' values (a code by its label)."""
    _detail_labels.update(labels)
    _detail_values.update(values or {})


def register_reader(predicate: Callable[[Any], bool]) -> None:
    """Who may read the audit trail; nobody unless an app says so."""
    _readers.append(predicate)


def action_choices() -> list[tuple[str, str | Promise]]:
    return sorted(_actions.items(), key=lambda item: str(item[1]))


def action_label(action: str) -> str | Promise:
    return _actions.get(action, action)


def may_read(user: Any) -> bool:
    return any(reader(user) for reader in _readers)


def details_display(details: dict[str, Any]) -> list[tuple[str, str]]:
    """Details as (label, value) pairs, codes shown by their registered labels."""
    shown = []
    for key, value in details.items():
        show = _detail_values.get(key)
        shown.append((str(_detail_labels.get(key, key)), str(show(value) if show else value)))
    return shown


def audit(
    *,
    action: str,
    actor: models.Model | None = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append an audit event. `details` must hold no secret (no password, token or link).

    The client's address comes from `request`, or from `ip_address` in a task.
    """
    if action not in _actions:
        raise ValueError(f"Unregistered audit action {action!r}.")
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        actor=cast(Any, actor),  # the portal's user model, which portal.lib does not import
        actor_label=str(getattr(actor, "email", "")) if actor else "",
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_label=str(target)[:255] if target is not None else "",
        ip_address=client_ip(request) if request is not None else ip_address,
        details=details or {},
    )


def delete_expired_events(*, older_than: timedelta) -> int:
    """Apply the retention: delete the events older than `older_than`; return how many."""
    return AuditEvent.objects.filter(created_at__lt=timezone.now() - older_than).delete()[0]
