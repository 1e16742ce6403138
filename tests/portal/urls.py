"""A URL configuration with views kept for the tests: `role_required` and the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns
from stakeholders.access import role_required
from stakeholders.models import Role


@role_required(Role.SECRETARIAT, Role.DONOR)
def secretariat_or_donor_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("allowed")


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure kept for the test of the 500 page")


urlpatterns = [
    path("test/boom/", boom, name="test_boom"),
    path("test/secretariat-or-donor/", secretariat_or_donor_view, name="test_secretariat_or_donor"),
    *portal_urlpatterns,
]
