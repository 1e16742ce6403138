from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from activities import figures, trend_selectors
from activities import permissions as activity_permissions
from activities import selectors as activity_selectors
from meetings import permissions as meeting_permissions
from meetings import selectors as meeting_selectors
from portal import dataversion
from portal import outbox as outbox_service
from portal.lib import health, periods
from portal.lib.net import client_ip
from portal.lib.ratelimit import RateLimit
from portal.lib.views import WRITE, act, allowed, paginate, query_without
from portal.models import OutboundEmail
from stakeholders import permissions, selectors
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.forms import EmailAuthenticationForm
from stakeholders.models import Language, User
from stakeholders.services import person_set_language


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the home page of their role."""
    home_page = permissions.home_url_name(request.user) if isinstance(request.user, User) else None
    if home_page is not None:
        return redirect(home_page)
    return render(request, "portal/home_no_role.html")


def _home(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """What every home page shows: the directory in figures and the user's next meetings;
    for those who run the meetings, the meetings still waiting for answers."""
    user = request.user
    return {
        "directory": selectors.directory_summary(user=user),
        "next_meetings": meeting_selectors.next_meetings(user=user),
        "pending_answers": meeting_selectors.pending_answers(user=user)
        if meeting_permissions.can_manage_meetings(user)
        else None,
        "overdue_items": meeting_selectors.overdue_count(user=user),
        "minutes_to_circulate": meeting_selectors.minutes_to_circulate(user=user)
        if meeting_permissions.can_write_minutes(user)
        else None,
        "email_problems": outbox_service.problem_count()
        if permissions.can_manage_outbox(user)
        else None,
        "activities_to_review": activity_selectors.to_review(user=user)
        if activity_permissions.can_review_activities(user)
        else None,
        "trends_without_response": trend_selectors.without_response_count(user=user)
        if activity_permissions.can_see_trends_without_response(user)
        else None,
        "activities_needing_action": activity_selectors.needing_action(user=user)
        if activity_permissions.can_create_activity(user)
        and not activity_permissions.can_review_activities(user)
        else None,
    }


@allowed(permissions.is_secretariat, cached=True)
def secretariat_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "portal/home_secretariat.html", _home(request))


@allowed(permissions.can_manage_outbox, cached=True)
def outbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Failed and unknown emails, for the secretariat to check and send again."""
    state = request.GET.get("state", "")
    state = state if state in outbox_service.PROBLEMS else ""
    page = paginate(outbox_service.problem_emails(state=state), request.GET.get("page"), 25)
    return render(
        request,
        "portal/outbox.html",
        {
            "page": page,
            "state": state,
            "states": [(s.value, s.label) for s in outbox_service.PROBLEMS],
            "query": query_without(request, "page"),
        },
    )


@allowed(permissions.can_manage_outbox, methods=WRITE)
def email_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutboundEmail, pk=pk)
    act(
        request,
        lambda: outbox_service.email_resend(user=request.user, email=email, request=request),
        done=_("The email is queued again."),
    )
    # Back to the page the button was on (a meeting's reminders), if it is one of ours.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("outbox")


@allowed(permissions.is_partner, cached=True)
def partner_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "portal/home_partner.html", _home(request))


@allowed(permissions.is_donor, cached=True)
def donor_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    scope = figures.scope_for(request.user, periods.quarter_of(today), today)
    return render(
        request,
        "portal/home_donor.html",
        {
            **_home(request),
            "quarter": scope.period,
            "key_figures": [
                (figures.FIGURES[key], value)
                for key, value in figures.values(
                    scope, figures.HOME_FIGURES, dataversion.current()
                ).items()
            ],
        },
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """Switch the interface language; a logged-in user's person keeps the choice."""
    language = request.POST.get("language", "")
    person = request.user.person if isinstance(request.user, User) else None
    if person is not None and language in Language.values:
        person_set_language(person=person, language=language)
    return django_set_language(request)


def _login_failures() -> RateLimit:
    """Failed logins from one address, whatever the account."""
    return RateLimit(
        "login-failures",
        limit=settings.LOGIN_FAILURES_PER_ADDRESS,
        window=settings.LOGIN_FAILURE_WINDOW_MINUTES * 60,
    )


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _login_failures().exceeded(client_ip(request) or "unknown"):
            return render(
                request, "registration/locked_out.html", {"whole_address": True}, status=429
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        _login_failures().hit(client_ip(self.request) or "unknown")
        return super().form_invalid(form)

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        # A `next` pointing back at the login page would loop for a logged-in user.
        request = request or self.request
        url = super().get_redirect_url(request)
        return "" if url == request.path else url


@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 naming what is down otherwise."""
    checks = {"database": health.database_answers(), "broker": health.broker_answers()}
    down = [name for name, ok in checks.items() if not ok]
    body: dict[str, object] = {
        "status": "ok" if not down else "unavailable",
        "checks": {name: "ok" if ok else "down" for name, ok in checks.items()},
    }
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)
