"""Readable change history of records, from django-simple-history."""

from collections import defaultdict
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

HISTORY_LIMIT = 50


def display_value(field: Any, value: Any) -> Any:
    """A stored value as people read it: a choice by its label, a flag as yes or no."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = getattr(field, "flatchoices", None)
    if choices and value not in (None, ""):
        return dict(choices).get(value, value)
    return value


def history_entries(obj: models.Model, *, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The latest changes of `obj`, newest first, each with its field changes."""
    history: Any = getattr(obj, "history")  # noqa: B009  # the manager simple_history adds
    records = list(
        history.select_related("history_user__person").order_by("-history_date", "-pk")[: limit + 1]
    )
    entries = []
    references: dict[type[models.Model], set[Any]] = defaultdict(set)
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                related = field.related_model if field.many_to_one else None
                if related is not None:
                    references[related].update(v for v in (change.old, change.new) if v)
                changes.append(
                    {
                        "field": getattr(field, "verbose_name", change.field),
                        "old": display_value(field, change.old),
                        "new": display_value(field, change.new),
                        "related": related,
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
    # Show a changed reference by its name rather than its number: one query per model.
    names = {
        model: {o.pk: str(o) for o in model._default_manager.filter(pk__in=pks)}
        for model, pks in references.items()
    }
    for entry in entries:
        for change in entry["changes"]:
            if (related := change.pop("related")) is not None:
                change["old"] = names[related].get(change["old"], change["old"])
                change["new"] = names[related].get(change["new"], change["new"])
    return entries
