"""A URL configuration with views kept for the tests: `allowed` and the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.lib.views import allowed
from portal.urls import urlpatterns as portal_urlpatterns
from stakeholders.models import User
from stakeholders.permissions import is_donor, is_secretariat


def _secretariat_or_donor(user: User) -> bool:
    return is_secretariat(user) or is_donor(user)


@allowed(_secretariat_or_donor)
def secretariat_or_donor_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("allowed")


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure kept for the test of the 500 page")


urlpatterns = [
    path("test/boom/", boom, name="test_boom"),
    path("test/secretariat-or-donor/", secretariat_or_donor_view, name="test_secretariat_or_donor"),
    *portal_urlpatterns,
]
