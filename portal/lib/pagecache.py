"""Pages kept whole in the cache, for the reader who asks for the same page again before
anything it shows has changed.

A page is kept under everything it is made from: its address (host, path and query), the
reader (an account sees what `visible_to` gives it, and its role and organisation), the
language, an htmx request's target, the pages' data version (`portal.dataversion.PAGES`,
which moves on after any committed write a page could show) and the minute, so that what
depends on the clock (overdue, under way, "in 3 days") is never more than a minute old.

What a page holds for one request only is never replayed: the CSRF token in its forms is
kept as a placeholder and filled with the reader's own token, and a page is neither served
from nor kept in the cache while the reader has messages waiting or the request's own
transaction holds writes others cannot see yet. Only a plain 200 HTML answer is kept: one
that sets no cookie and no header but its type, left the session and the messages as they
were, and that its reader has not already kept `KEEPS_A_MINUTE` of this minute (a query
string of one's own for each request fills no cache). Pages are kept compressed in a cache of
their own (the `pages` alias); a cache that fails is a miss.
"""

import re
import zlib
from collections.abc import Callable
from typing import TypeGuard

from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone

from portal import dataversion
from portal.lib.cache import keep, recall
from portal.lib.ratelimit import RateLimit

# No rendered value can hold it: text is escaped and Markdown allows no such element.
CSRF_PLACEHOLDER = "<csrf-token/>"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')
ALIAS = "pages"
# Pages a reader may keep each minute.
KEEPS_A_MINUTE = 300
_KEEPS = RateLimit("page-cache", KEEPS_A_MINUTE, 60)


def serve(request: HttpRequest, render: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """The page `render()` makes, from the cache when an equal one was kept."""
    if not _cacheable(request):
        return render()
    parts = _key(request)
    kept = recall(parts, ALIAS)
    if isinstance(kept, tuple) and len(kept) == 2:
        packed, content_type = kept
        body = zlib.decompress(packed).decode()
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request))
        return HttpResponse(body, content_type=content_type)
    session = getattr(request, "session", None)
    modified_before = session is not None and session.modified
    response = render()
    if (
        _keepable(response)
        and not _changed_for_later(request, modified_before)
        and _KEEPS.hit(str(request.user.pk))
    ):
        body = response.content.decode(response.charset)
        for token in set(_CSRF_INPUT.findall(body)):
            body = body.replace(token, CSRF_PLACEHOLDER)
        packed = zlib.compress(body.encode(), 1)
        keep(parts, (packed, response["Content-Type"]), settings.PAGE_CACHE_SECONDS, ALIAS)
    return response


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and request.user.is_authenticated
        and not dataversion.pending(connection)
        # Counted, not read: messages still wait for the page that shows them.
        and not len(get_messages(request))
    )


def _key(request: HttpRequest) -> tuple[object, ...]:
    user = request.user
    minute = int(timezone.now().timestamp()) // 60
    return (
        "page",
        request.build_absolute_uri(),
        user.pk,
        getattr(user, "role", ""),
        getattr(user, "person_id", None),
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        dataversion.current(dataversion.PAGES),
        minute,
    )


def _keepable(response: HttpResponseBase) -> TypeGuard[HttpResponse]:
    return (
        type(response) is HttpResponse
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        # No header but its type (no Cache-Control, Vary, download or htmx instruction).
        and {name.lower() for name in response.headers} == {"content-type"}
    )


def _changed_for_later(request: HttpRequest, session_before: bool) -> bool:
    """Whether the page left something for a later request: a session changed while it was
    made, or messages queued and not shown."""
    session = getattr(request, "session", None)
    if session is not None and session.modified and not session_before:
        return True
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and storage._queued_messages and not storage.used)
