"""Readable change history of directory records, from django-simple-history."""

from typing import Any

from django.db import models

HISTORY_LIMIT = 50


def history_entries(obj: models.Model, *, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The latest changes of `obj`, newest first, each with its field changes."""
    records = list(
        obj.history.select_related("history_user__person").order_by("-history_date", "-pk")[  # type: ignore[attr-defined]
            : limit + 1
        ]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append(
                    {
                        "field": getattr(field, "verbose_name", change.field),
                        "old": change.old,
                        "new": change.new,
                    }
                )
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": record.get_history_type_display(),
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries
