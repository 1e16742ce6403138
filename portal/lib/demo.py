"""Helpers for `load_demo`: create each piece of the demo story once, never overwrite it."""

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.models import DemoRecord


def ensure[M: models.Model](
    key: str, model: type[M], *, match: dict[str, Any], create: Callable[[], M]
) -> tuple[M, bool]:
    """Return the demo row known by `key`, creating it when it is missing.

    A row made by an earlier run is returned as it is now, whatever a user
    changed in it. Without one, an existing row that `match` finds is adopted
    untouched; only then is a new row created.
    """
    content_type = ContentType.objects.get_for_model(model)
    record = DemoRecord.objects.filter(key=key, content_type=content_type).first()
    if record is not None:
        existing = model._default_manager.filter(pk=record.object_id).first()
        if existing is not None:
            return existing, False
    obj = model._default_manager.filter(**match).first()
    created = obj is None
    if obj is None:
        obj = create()
    DemoRecord.objects.update_or_create(
        key=key, defaults={"content_type": content_type, "object_id": obj.pk}
    )
    return obj, created
