from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Show a logged-in user the portal in the language their person record prefers.

    Runs after LocaleMiddleware (which handles visitors through the language
    cookie and the browser's Accept-Language) and after authentication.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            language = getattr(request.user, "preferred_language", None)
        except DatabaseError:
            # A preference is not worth an error page; /healthz reports the database.
            language = None
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
