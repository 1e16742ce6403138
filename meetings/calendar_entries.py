"""What other apps show on the month view beside the meetings (the activities planned).

An app registers a function that gives, for a user and the first and last day shown, the
entries that user may see, in a fixed number of queries. The meetings know no other app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from stakeholders.models import User


@dataclass(frozen=True)
class Entry:
    day: date
    title: str
    url: str
    note: str


Source = Callable[[User, date, date], list[Entry]]

_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def entries(user: User, first: date, last: date) -> dict[date, list[Entry]]:
    found: dict[date, list[Entry]] = {}
    for source in _sources:
        for entry in source(user, first, last):
            found.setdefault(entry.day, []).append(entry)
    return found
