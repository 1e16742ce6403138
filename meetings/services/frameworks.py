"""The lists of framework references the secretariat keeps, and tagging records with them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetings import permissions
from meetings.models import FrameworkReference
from meetings.services._base import _apply, _require
from portal.lib.versions import claim_version
from stakeholders.models import User

TAGS = "framework_references"


@transaction.atomic
def framework_reference_save(
    *,
    user: User,
    data: dict[str, Any],
    reference: FrameworkReference | None = None,
    version: int | None = None,
) -> FrameworkReference:
    """Add a measure or a recommendation to a year's list, or change one."""
    _require(permissions.can_manage_frameworks(user))
    if reference is None:
        reference = FrameworkReference(created_by=user)
        _apply(reference, data, permissions.FRAMEWORK_FIELDS)
    else:
        if not _apply(reference, data, permissions.FRAMEWORK_FIELDS):
            return reference
        claim_version(reference, version or 0)
    reference.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            reference.save()
    except IntegrityError:
        raise ValidationError(
            {"code": _("This framework has this number already that year.")}
        ) from None
    return reference


class _Tagged(Protocol):
    pk: Any
    framework_references: Any


def references_set(record: _Tagged, references: Iterable[FrameworkReference] | None) -> bool:
    """Make the record's framework references these; a retired one it already had may stay,
    no retired one is added. True when they changed. The caller checked who may."""
    if references is None:
        return False
    wanted = {reference.pk: reference for reference in references}
    current = set(record.framework_references.values_list("pk", flat=True))
    added = set(wanted) - current
    if any(not wanted[pk].is_active for pk in added):
        raise ValidationError({TAGS: _("A retired framework reference cannot be added.")})
    if set(wanted) == current:
        return False
    record.framework_references.set(list(wanted.values()))
    return True


def split_tags(data: dict[str, Any]) -> tuple[dict[str, Any], list[FrameworkReference] | None]:
    """A form's data without its framework references, and those references (None when the
    form has no such field)."""
    if TAGS not in data:
        return data, None
    rest = {name: value for name, value in data.items() if name != TAGS}
    return rest, list(data[TAGS])
