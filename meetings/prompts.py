"""What other apps bring up on a meeting's page (the trends nobody answered, before the next
meeting). An app registers a function that gives, for a user and a meeting, its prompts in a
fixed number of queries; the meetings know no other app."""

from collections.abc import Callable
from dataclasses import dataclass

from meetings.models import Meeting
from stakeholders.models import User


@dataclass(frozen=True)
class Prompt:
    text: str
    url: str
    link: str


Source = Callable[[User, Meeting], list[Prompt]]

_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def prompts(user: User, meeting: Meeting) -> list[Prompt]:
    return [prompt for source in _sources for prompt in source(user, meeting)]
