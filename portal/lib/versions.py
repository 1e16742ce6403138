"""Edits carry the version they started from, so that no save silently overwrites another's.

A versioned record counts its saves in `version`. An edit form sends back the
version it was shown with; the service claims the next version with an UPDATE
that must change exactly one row, and raises `VersionConflict` when someone
else saved in the meantime. Pages, minutes, activities and the API's
`If-Match` use this one mechanism.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.forms import AutocompleteField
from portal.lib.history import display_value


class Versioned(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True


class VersionConflict(Exception):
    """The record was saved by someone else after `expected`; nothing was written."""

    def __init__(self, current: Versioned, expected: int) -> None:
        super().__init__(f"{type(current).__name__} {current.pk} is at version {current.version}")
        self.current = current
        self.expected = expected


def claim_version(obj: Versioned, expected: int) -> None:
    """Move `obj` to its next version if it is still at `expected`.

    Call inside the transaction that saves `obj`, before saving it; the claim
    holds the row until the transaction ends.
    """
    manager = type(obj)._default_manager
    claimed = manager.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
    if claimed != 1:
        raise VersionConflict(manager.get(pk=obj.pk), expected)
    obj.version = expected + 1


def lock_fresh(obj: Versioned) -> None:
    """Read `obj` again and hold its row until the transaction ends, so that checks made
    on it now still hold when it is saved (SQLite's transactions already hold every row)."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())


def claim_fresh(obj: Versioned) -> None:
    """For a change that is not an edit form's: read `obj` again under a lock and claim its
    next version, so that the save writes nothing stale. Call it before changing `obj`."""
    lock_fresh(obj)
    claim_version(obj, obj.version)


class VersionField(forms.IntegerField):
    """The version an edit form started from, sent back with it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, required=True, **kwargs)


def _raw(value: Any) -> Any:
    """A value as stored: a record by its id, a country by its code."""
    if isinstance(value, models.Model):
        return value.pk
    return getattr(value, "code", value)


def _blank(value: Any) -> str:
    return "" if value is None else str(value)


def changed_since(obj: Versioned, version: int, fields: Iterable[str]) -> list[dict[str, Any]]:
    """What changed in `fields` of `obj` since `version`, from its history: for each
    field, its name, its value then and now (stored), and both as a person reads them."""
    history = getattr(obj, "history", None)
    then = history.filter(version=version).order_by("-history_date").first() if history else None
    if then is None:
        return []
    rows = []
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        old, new = _raw(getattr(then, attname, None)), _raw(getattr(obj, attname, None))
        if old == new:
            continue
        shown_old, shown_new = old, new
        if field.many_to_one and field.related_model is not None:
            related = field.related_model._default_manager.in_bulk([v for v in (old, new) if v])
            shown_old, shown_new = related.get(old, old), related.get(new, new)
        rows.append(
            {
                "name": name,
                "then": old,
                "now": new,
                "label": capfirst(getattr(field, "verbose_name", name)),
                "old": display_value(field, shown_old),
                "new": display_value(field, shown_new),
            }
        )
    return rows


def _stored_field(obj: Versioned, name: str) -> bool:
    """Whether a form's field is a column of the record's own (not a form-only field such as
    an override's reason, nor a many-to-many relation, which the history does not hold)."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "concrete", False)) and not field.many_to_many


def show_conflict(form: forms.BaseForm, conflict: VersionConflict) -> list[dict[str, Any]]:
    """Merge the other save into the form and return what it changed.

    Where the person left a field as it was and the other save changed it, the form
    takes the other's value; where both changed it, the person's value stays and the
    list shows the other's. The form moves to the current version, so that saving is a
    deliberate choice.
    """
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data[form.add_prefix("version")] = str(conflict.current.version)
    names = [
        name for name in form.fields if name != "version" and _stored_field(conflict.current, name)
    ]
    changes = changed_since(conflict.current, conflict.expected, names)
    submitted = getattr(form, "cleaned_data", {})
    for change in changes:
        name = change["name"]
        left_as_it_was = name in submitted and _blank(_raw(submitted[name])) == _blank(
            change["then"]
        )
        if left_as_it_was:
            data[form.add_prefix(name)] = _blank(change["now"])
            field = form.fields[name]
            if isinstance(field, AutocompleteField) and field.queryset is not None:
                # A picker renders only the records it offers: offer the other's choice.
                field.offer(list(field.queryset.filter(pk=change["now"]))[:1])
    form.data = data
    form.add_error(
        None,
        _(
            "Someone else saved this record while you were editing it, so nothing was saved. "
            "Their changes are listed above and are in the form where you had left a field "
            "as it was; check the form and save to keep it."
        ),
    )
    return changes
