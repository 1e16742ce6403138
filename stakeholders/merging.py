"""Merging organisations: each app moves its own references to the organisation kept.

The directory never looks into other apps' models. An app registers a handler
for the relations to `Organisation` it owns; the handler moves them (many-to-many
included), resolves its own unique clashes and writes history. A system check
fails when a relation to `Organisation` has no handler, so a new foreign key
cannot be forgotten.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import AppConfig
from django.core import checks
from django.db import models
from simple_history.models import HistoricalChanges

from stakeholders.models import Organisation


@dataclass(frozen=True)
class Merge:
    duplicate: Organisation
    keep: Organisation
    reason: str


Handler = Callable[[Merge], None]

_handlers: list[tuple[Handler, frozenset[tuple[str, str]]]] = []


def register(handler: Handler, *, covers: Iterable[tuple[type[models.Model], str]]) -> None:
    """Run `handler` on every merge; it moves the references named in `covers`, each a
    (model, field name) pair whose field points to Organisation."""
    covered = frozenset((model._meta.label_lower, name) for model, name in covers)
    if not any(existing is handler for existing, _ in _handlers):
        _handlers.append((handler, covered))


def run_handlers(merge: Merge) -> None:
    for handler, _covered in _handlers:
        handler(merge)


def _references() -> set[tuple[str, str]]:
    found = set()
    # Hidden relations (related_name="+") need moving too. History rows keep what was, and
    # the tables Django makes for a many-to-many are covered by the field itself.
    for relation in Organisation._meta.get_fields(include_hidden=True):
        model = relation.related_model
        skipped = model is not None and (
            issubclass(model, HistoricalChanges) or bool(model._meta.auto_created)
        )
        if relation.is_relation and relation.auto_created and not relation.concrete and not skipped:
            remote = relation.remote_field  # the field on the other model
            model = relation.related_model
            assert model is not None and remote is not None  # noqa: S101  # a reverse relation
            found.add((model._meta.label_lower, remote.name))
    return found


@checks.register(checks.Tags.models)
def every_reference_has_a_merge_handler(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    covered = {pair for _handler, pairs in _handlers for pair in pairs}
    missing = sorted(_references() - covered)
    return [
        checks.Error(
            f"{model}.{field} points to Organisation, but no merge handler moves it.",
            hint="Register one with stakeholders.merging.register(..., covers=[...]) in the "
            "app's ready().",
            id="stakeholders.E001",
        )
        for model, field in missing
    ]
