"""The portal's URLs and two more that the access matrix must notice: one without a name,
and one answering every method while the matrix has rows for GET only."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def any_method(request: HttpRequest) -> HttpResponse:
    return HttpResponse("any method")


urlpatterns = [
    path("test/unnamed/", any_method),
    path("test/any-method/", any_method, name="test_any_method"),
    *portal_urlpatterns,
]
