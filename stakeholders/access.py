"""The request of a logged-in user, the records a page is about (404 when out of scope),
and the name login throttling counts failures under."""

from typing import Any

from django.http import Http404, HttpRequest

from stakeholders import selectors
from stakeholders.models import Organisation, Person, User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that `portal.lib.views.allowed` let through: its user is logged in."""

    user: User


def organisation_or_404(request: AuthenticatedHttpRequest, pk: int) -> Organisation:
    organisation = selectors.organisation_detail(user=request.user, pk=pk)
    if organisation is None:
        raise Http404
    return organisation


def person_or_404(request: AuthenticatedHttpRequest, pk: int) -> Person:
    person = selectors.person_detail(user=request.user, pk=pk)
    if person is None:
        raise Http404
    return person


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The name login throttling counts failures under: the email, in lower case."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(username).strip().lower()
