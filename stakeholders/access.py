"""The request of a logged-in user, and the name login throttling counts failures under."""

from typing import Any

from django.http import HttpRequest

from stakeholders.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that `portal.lib.views.allowed` let through: its user is logged in."""

    user: User


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The name login throttling counts failures under: the email, in lower case."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(username).strip().lower()
