"""Personal calendar feeds: the address a calendar program subscribes to, and the panel of
the profile page that creates, replaces and revokes it."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from meetings import calendar, permissions, selectors, services
from portal.lib.tokens import hash_token
from portal.lib.views import WRITE, allowed
from stakeholders.access import AuthenticatedHttpRequest

# Where a new feed's token waits for the profile page, which shows it once. The session is
# kept on the server, so the token is never in a cookie.
NEW_FEED = "meetings:new_calendar_feed"


def feed_url(token: str) -> str:
    return f"{settings.PORTAL_URL}{reverse('meetings:calendar_feed', args=[token])}"


def _back_to_profile() -> HttpResponseRedirect:
    return redirect(reverse("profile") + "#calendar-feed")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar program reads, without a login: the meetings the person's user
    may see now. Reading it changes nothing but when it was last used."""
    opened = selectors.calendar_feed_reader(token)
    if opened is None:
        raise Http404
    feed, user = opened
    services.calendar_feed_record_use(feed=feed)
    with translation.override(feed.person.preferred_language):
        body = calendar.feed_ics(selectors.feed_meetings(user=user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # The person's own meetings: no shared cache keeps them.
    patch_cache_control(response, private=True)
    return response


@allowed(permissions.can_keep_calendar_feed, methods=WRITE)
def calendar_feed_create(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    """A new calendar address, replacing the one before; the profile page shows it once."""
    _feed, token = services.calendar_feed_create(user=request.user, request=request)
    request.session[NEW_FEED] = token
    return _back_to_profile()


@allowed(permissions.can_keep_calendar_feed, methods=WRITE)
def calendar_feed_revoke(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    if services.calendar_feed_revoke(user=request.user, request=request):
        messages.success(request, _("Your calendar address no longer works."))
    else:
        messages.info(request, _("You have no calendar address to revoke."))
    return _back_to_profile()


def calendar_feed_panel(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    """The profile page's panel: the live feed, and a new feed's address the first time the
    page is shown after creating it (never again)."""
    user = request.user
    if not permissions.can_keep_calendar_feed(user) or user.person is None:
        return None
    token = request.session.pop(NEW_FEED, None)
    feed = selectors.live_calendar_feed(user.person)
    # Replaced or revoked since (another tab): that address no longer works.
    fresh = isinstance(token, str) and feed is not None and feed.token_hash == hash_token(token)
    return {"feed": feed, "new_url": feed_url(token) if fresh else ""}
