from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities import permissions as activity_permissions
from meetings import permissions as meeting_permissions
from stakeholders import permissions
from stakeholders.models import User

# The main navigation: (label, url name, who may use it, the url names of the
# pages under it, which mark it as the current entry).
NAVIGATION: list[tuple[Any, str, Callable[[User], bool], frozenset[str]]] = [
    (
        _("Home"),
        "home",
        permissions.has_portal_role,
        frozenset({"home", "secretariat_home", "partner_home", "donor_home"}),
    ),
    (
        _("Dashboard"),
        "dashboard",
        activity_permissions.can_see_dashboard,
        frozenset(
            {
                "dashboard",
                "dashboard_targets",
                "dashboard_target_create",
                "dashboard_target_edit",
                "national_figures",
                "national_figure_create",
                "national_figure_edit",
            }
        ),
    ),
    (
        _("Meetings"),
        "meetings:meeting_list",
        meeting_permissions.can_read_meetings,
        frozenset(
            {
                "meeting_list",
                "meeting_calendar",
                "meeting_detail",
                "meeting_create",
                "meeting_edit",
                "meeting_next",
                "meeting_invite",
                "meeting_attendance",
                "meeting_sign_in_sheet",
                "agenda_item_create",
                "agenda_item_edit",
                "decision_create",
                "decision_edit",
                "action_item_create",
                "series_list",
                "series_detail",
                "series_create",
                "series_edit",
            }
        ),
    ),
    (
        _("Action items"),
        "meetings:action_item_list",
        meeting_permissions.can_read_action_items,
        frozenset({"action_item_list", "action_item_detail", "action_item_edit"}),
    ),
    (
        _("Activities"),
        "activities:activity_list",
        activity_permissions.can_read_activities,
        frozenset(
            {
                "activity_list",
                "activity_detail",
                "activity_create",
                "activity_edit",
                "activity_participants",
                "activity_radar",
            }
        ),
    ),
    (
        _("Trends"),
        "activities:trend_board",
        activity_permissions.can_read_trends,
        frozenset({"trend_board", "trend_list", "trend_detail", "trend_create", "trend_edit"}),
    ),
    (
        _("Frameworks"),
        "meetings:framework_coverage",
        meeting_permissions.can_read_frameworks,
        frozenset({"framework_coverage", "framework_create", "framework_edit"}),
    ),
    (
        _("Organisations"),
        "stakeholders:organisation_list",
        permissions.can_read_directory,
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
        permissions.can_read_directory,
        frozenset(
            {"person_list", "person_detail", "person_create", "person_edit", "person_anonymise"}
        ),
    ),
    (
        _("Users"),
        "stakeholders:user_list",
        permissions.can_manage_accounts,
        frozenset({"user_list", "audit_list"}),
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation entries the current user may use."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    items = [
        {"label": label, "url": reverse(name), "active": current in pages}
        for label, name, may_use, pages in NAVIGATION
        if may_use(user)
    ]
    return {"nav_items": items}
