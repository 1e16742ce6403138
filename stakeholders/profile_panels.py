"""The panels other apps add to the profile page.

The directory knows no other app. An app registers a panel: the template that renders it
and a function giving its context for the request, or None when it has nothing for this
user. The template reads that context as `panel`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stakeholders.access import AuthenticatedHttpRequest

PanelContext = Callable[[AuthenticatedHttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: PanelContext


_panels: list[Panel] = []


def register(*, template: str, context: PanelContext) -> None:
    panel = Panel(template=template, context=context)
    if panel not in _panels:
        _panels.append(panel)


def panels(request: AuthenticatedHttpRequest) -> list[tuple[str, dict[str, Any]]]:
    """The registered panels with something for the request's user: (template, context)."""
    shown = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
