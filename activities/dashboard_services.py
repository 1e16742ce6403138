"""Writes of what the secretariat enters for the dashboard: targets and national figures."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from activities import permissions
from activities.audit import Action
from activities.dashboard_models import NationalFigure, Target
from portal.lib.audit import audit
from portal.lib.versions import claim_version
from stakeholders.models import User

# The period comes as a `portal.lib.periods.Period`.
PERIOD_FIELDS = frozenset({"period"})
TARGET_FIELDS = frozenset({"indicator", "target_group", "value", "note"}) | PERIOD_FIELDS
NATIONAL_FIGURE_FIELDS = (
    frozenset({"indicator", "source_agency", "value", "source", "label"}) | PERIOD_FIELDS
)


def _write[R: (Target, NationalFigure)](
    record: R, *, user: User, data: dict[str, Any], version: int | None, action: str
) -> R:
    """Claim the version of a record being changed, set its fields (the period as a
    `Period`), check and save it; one saved by someone else meanwhile for the same figure
    and period (after the check) is refused as the check would have."""
    if record.pk is not None:
        claim_version(record, version or 0)
    for name, value in data.items():
        if name == "period":
            record.set_period(value)
        else:
            setattr(record, name, value)
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise ValidationError(
            _("One already exists for this figure and period: change that one instead.")
        ) from error
    audit(action=action, actor=user, target=record)
    return record


@transaction.atomic
def target_save(
    *, user: User, data: dict[str, Any], target: Target | None = None, version: int | None = None
) -> Target:
    """Set a target, or change one (with the version its form started from)."""
    if not permissions.can_manage_targets(user) or not set(data) <= TARGET_FIELDS:
        raise PermissionDenied
    return _write(
        target or Target(created_by=user),
        user=user,
        data=data,
        version=version,
        action=Action.TARGET_SAVED,
    )


@transaction.atomic
def target_delete(*, user: User, target: Target) -> None:
    if not permissions.can_manage_targets(user):
        raise PermissionDenied
    audit(action=Action.TARGET_DELETED, actor=user, target=target)
    target.delete()


@transaction.atomic
def national_figure_save(
    *,
    user: User,
    data: dict[str, Any],
    figure: NationalFigure | None = None,
    version: int | None = None,
) -> NationalFigure:
    """Enter a national figure, or correct one (with the version its form started from)."""
    if not permissions.can_manage_national_figures(user) or not set(data) <= NATIONAL_FIGURE_FIELDS:
        raise PermissionDenied
    return _write(
        figure or NationalFigure(created_by=user),
        user=user,
        data=data,
        version=version,
        action=Action.NATIONAL_FIGURE_SAVED,
    )


@transaction.atomic
def national_figure_delete(*, user: User, figure: NationalFigure) -> None:
    if not permissions.can_manage_national_figures(user):
        raise PermissionDenied
    audit(action=Action.NATIONAL_FIGURE_DELETED, actor=user, target=figure)
    figure.delete()
