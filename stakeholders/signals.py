from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from portal.lib.audit import audit
from portal.models import AuditEvent
from stakeholders.accounts import record_login_session
from stakeholders.models import Language
from stakeholders.services import person_set_language


@receiver(user_logged_in)
def keep_the_language_chosen_before_login(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """A language picked on the login page becomes the person's preference."""
    if request is None or getattr(user, "person", None) is None:
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in Language.values:
        person_set_language(person=user.person, language=chosen)


@receiver(user_logged_in)
def record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit(action=AuditEvent.Action.LOGIN, actor=user, target=user, request=request)
    if request is not None and hasattr(request, "session"):
        record_login_session(user=user, session_key=request.session.session_key)


@receiver(user_login_failed)
def record_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the address typed in: Django has already masked the password.
    audit(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        details={"email": str(credentials.get("username", ""))[:254]},
    )
