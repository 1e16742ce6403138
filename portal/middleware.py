from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BODY, before any of it
    is read: 413 with a page that says so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        size = int(declared) if declared.isascii() and declared.isdigit() else 0
        if size > settings.MAX_REQUEST_BODY:
            return render(
                request,
                "413.html",
                {"limit_mb": settings.MAX_REQUEST_BODY // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)
