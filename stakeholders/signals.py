from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from portal.lib.audit import audit
from stakeholders.accounts import record_login_session
from stakeholders.audit import Action
from stakeholders.models import Language, User
from stakeholders.services import person_set_language

# Sent with `user` and `person` (or None) when an account's access ends: deactivated, or
# closed when its person is anonymised. Other apps revoke what the person holds (calendar
# feeds), so that the directory need not know them.
access_ended = Signal()


@receiver(user_logged_in)
def keep_the_language_chosen_before_login(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """A language picked on the login page becomes the person's preference."""
    if request is None or user.person is None:
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in Language.values:
        person_set_language(person=user.person, language=chosen)


@receiver(user_logged_in)
def record_login(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    audit(action=Action.LOGIN, actor=user, target=user, request=request)
    if request is not None and hasattr(request, "session"):
        record_login_session(user=user, session_key=request.session.session_key)


@receiver(user_login_failed)
def record_failed_login(
    sender: str, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the address typed in: Django has already masked the password.
    audit(
        action=Action.LOGIN_FAILED,
        request=request,
        details={"email": str(credentials.get("username", ""))[:254]},
    )
