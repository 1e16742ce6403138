from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Role

# The main navigation: (label, url name, roles that may use it, the url names
# of the pages under it, which mark it as the current entry).
NAVIGATION: list[tuple[Any, str, tuple[str, ...], frozenset[str]]] = [
    (
        _("Home"),
        "home",
        (Role.SECRETARIAT, Role.PARTNER, Role.DONOR),
        frozenset({"home", "secretariat_home", "partner_home", "donor_home"}),
    ),
    (
        _("Organisations"),
        "stakeholders:organisation_list",
        (Role.SECRETARIAT, Role.PARTNER, Role.DONOR),
        frozenset(
            {
                "organisation_list",
                "organisation_detail",
                "organisation_create",
                "organisation_edit",
                "organisation_merge",
            }
        ),
    ),
    (
        _("People"),
        "stakeholders:person_list",
        (Role.SECRETARIAT, Role.PARTNER, Role.DONOR),
        frozenset(
            {"person_list", "person_detail", "person_create", "person_edit", "person_anonymise"}
        ),
    ),
    (
        _("Users"),
        "stakeholders:user_list",
        (Role.SECRETARIAT,),
        frozenset({"user_list", "audit_list"}),
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation entries the current user's role may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    items = [
        {"label": label, "url": reverse(name), "active": current in pages}
        for label, name, roles, pages in NAVIGATION
        if user.role in roles
    ]
    return {"nav_items": items}
