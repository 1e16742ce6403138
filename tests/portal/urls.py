"""A URL configuration with a view kept for the tests of `role_required`."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns
from stakeholders.access import role_required
from stakeholders.models import Role


@role_required(Role.SECRETARIAT, Role.DONOR)
def secretariat_or_donor_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("allowed")


urlpatterns = [
    path("test/secretariat-or-donor/", secretariat_or_donor_view, name="test_secretariat_or_donor"),
    *portal_urlpatterns,
]
