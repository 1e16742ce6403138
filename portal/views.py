from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from portal.lib import health
from stakeholders import selectors
from stakeholders.access import role_required
from stakeholders.forms import EmailAuthenticationForm
from stakeholders.models import Language, Role
from stakeholders.services import person_set_language

ROLE_HOMES: dict[str, str] = {
    Role.SECRETARIAT: "secretariat_home",
    Role.PARTNER: "partner_home",
    Role.DONOR: "donor_home",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the home page of their role."""
    role = getattr(request.user, "role", "")
    if role in ROLE_HOMES:
        return redirect(ROLE_HOMES[role])
    return render(request, "portal/home_no_role.html")


@role_required(Role.SECRETARIAT)
def secretariat_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home_secretariat.html",
        {"directory": selectors.directory_summary(user=request.user)},
    )


@role_required(Role.PARTNER)
def partner_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home_partner.html",
        {"directory": selectors.directory_summary(user=request.user)},
    )


@role_required(Role.DONOR)
def donor_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home_donor.html",
        {"directory": selectors.directory_summary(user=request.user)},
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """Switch the interface language; a logged-in user's person keeps the choice."""
    language = request.POST.get("language", "")
    person = getattr(request.user, "person", None)
    if person is not None and language in Language.values:
        person_set_language(person=person, language=language)
    return django_set_language(request)


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

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
    body = {
        "status": "ok" if not down else "unavailable",
        "checks": {name: "ok" if ok else "down" for name, ok in checks.items()},
    }
    if down:
        body["down"] = down  # type: ignore[assignment]
    return JsonResponse(body, status=503 if down else 200)
