"""What checking a batch finds: each row's outcome, changes, errors and warnings."""

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy


class Outcome(models.TextChoices):
    NEW = "new", gettext_lazy("New")
    UPDATE = "update", gettext_lazy("Update")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    ERROR = "error", gettext_lazy("Error")


@dataclass(frozen=True)
class RowRef:
    """The record another row of the same file creates."""

    number: int


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class RowResult:
    """What importing one row would do."""

    number: int
    key: str
    target: Any = None  # the existing Organisation or Person the row matches
    data: dict[str, Any] = field(default_factory=dict)  # the values to write
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        if self.errors:
            return Outcome.ERROR
        if self.target is None:
            return Outcome.NEW
        return Outcome.UPDATE if self.data else Outcome.UNCHANGED


@dataclass
class Preview:
    rows: list[RowResult]
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Outcome.values, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        counts["warning"] = sum(1 for row in self.rows if row.warnings)
        return counts

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)


class ImportRejected(Exception):
    """Confirming found errors: nothing was imported."""

    def __init__(self, preview: Preview) -> None:
        super().__init__("The import has errors.")
        self.preview = preview
