"""Who may open what: the role checks every view uses."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from stakeholders.models import Role

View = Callable[..., HttpResponse]


def has_role(user: Any, *roles: Role | str) -> bool:
    """True when the user is logged in, active and holds one of the roles."""
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def role_required(*roles: Role | str) -> Callable[[View], View]:
    """Let through users of the given roles; send visitors to the login page, refuse others."""
    if not roles:
        raise ValueError("role_required needs at least one role.")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The name login throttling counts failures under: the email, in lower case."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(username).strip().lower()
