"""The dashboard: key figures for a period beside the same period a year earlier, and the
tables that break them down, each linking to the list behind it."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from activities import dashboard_charts, figures, permissions
from activities.dashboard_forms import DashboardForm
from activities.dashboard_models import Indicator
from portal import dataversion
from portal.lib import periods
from portal.lib.cache import keep, recall
from portal.lib.forms import SEARCH_SUFFIX
from portal.lib.views import allowed
from stakeholders.access import AuthenticatedHttpRequest


@allowed(permissions.can_see_dashboard, cached=True)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    period, problem = periods.parse(request.GET, today)
    if problem:
        messages.warning(request, problem)
    form = DashboardForm(request.GET, user=user, period=period, this_year=today.year)
    chosen = form.filters
    scope = figures.scope_for(
        user,
        period,
        today,
        organisation=_id(chosen.get("organisation")),
        funder=_id(chosen.get("funder")),
        award=_id(chosen.get("award")),
        pillar=chosen.get("pillar") or "",
        region=chosen.get("region") or "",
    )
    earlier = scope.a_year_earlier()
    version = dataversion.current()
    # The page's content is cached under the figures' key, which holds everything the form
    # shows when its values are valid and no picker was searched: a warm page renders only
    # the frame around it, and computes nothing. (Anything else is rendered each time, and
    # never fills the cache.)
    cacheable = form.is_valid() and not any(name.endswith(SEARCH_SUFFIX) for name in request.GET)
    parts = ("dashboard", figures.cache_key(scope, version))
    if cacheable and (body := recall(parts)) is not None:
        return _page(request, period, body)
    now = figures.values(scope, (*figures.KEY_FIGURES, *figures.TABLES), version)
    before = figures.values(earlier, figures.COMPARED, version)
    aimed = {row.code: row.value for row in now["targets"].rows}
    key_figures = [
        {
            **_shown(figures.FIGURES[key], now[key], before.get(key), scope, earlier),
            "target": aimed.get(key),
        }
        for key in figures.KEY_FIGURES
    ]
    tables = [
        {
            "figure": figures.FIGURES[key],
            "table": now[key],
            "link": figures.FIGURES[key].link(scope),
            # Each row with its target: people reached by target group have them.
            "rows": [
                (row, aimed.get(f"{Indicator.PEOPLE_REACHED}:{row.code}")) for row in now[key].rows
            ]
            if key == "people_by_group"
            else [(row, None) for row in now[key].rows],
        }
        for key in figures.TABLES
        if key not in ("targets", "national")
    ]
    for item in tables:
        item["has_targets"] = any(target is not None for _row, target in item["rows"])

    context = {
        "period": period,
        "earlier": earlier.period,
        "key_figures": {item["figure"].key: item for item in key_figures},
        "tables": {item["figure"].key: item for item in tables},
        "national": {
            "figure": figures.FIGURES["national"],
            "table": now["national"],
            "link": figures.FIGURES["national"].link(scope),
        },
        "targets_link": figures.FIGURES["targets"].link(scope),
        "targets_how": figures.FIGURES["targets"].how,
        "filters": form,
        "own_organisation_only": permissions.dashboard_organisation(user) is not None,
    }

    for item in tables:
        item["chart"] = dashboard_charts.chart(
            item["figure"].key, item["table"], str(item["figure"].title)
        )
    body = render_to_string("activities/includes/dashboard_body.html", context, request=request)
    if cacheable:
        keep(parts, body, figures.CACHE_SECONDS)
    return _page(request, period, body, context)


def _page(
    request: AuthenticatedHttpRequest,
    period: periods.Period,
    body: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    # Rendered from the project's template, every value escaped by it.
    content = mark_safe(body)  # noqa: S308
    return render(
        request, "activities/dashboard.html", {**(context or {}), "period": period, "body": content}
    )


def _id(record: Any) -> int | None:
    return record.pk if record is not None else None


def _shown(
    figure: figures.Figure,
    value: Any,
    before: Any,
    scope: figures.Scope,
    earlier: figures.Scope,
) -> dict[str, Any]:
    """A key figure for the period and a year earlier (the figures counted today, whatever
    the period, are shown once)."""
    now_number, before_number = _number(value), _number(before)
    return {
        "figure": figure,
        "value": value,
        "earlier": before,
        "number": now_number,
        "earlier_number": before_number,
        "change": None
        if now_number is None or before_number is None
        else now_number - before_number,
        "link": figure.link(scope),
        # A year before the first year a link can name is shown without one.
        "earlier_link": figure.link(earlier) if earlier.period.nameable else None,
    }


def _number(value: Any) -> int | None:
    """What a key figure compares: a count, a rate's percentage, the people reached."""
    if isinstance(value, figures.Rate):
        return value.percent
    if isinstance(value, figures.People):
        return value.total
    return value if isinstance(value, int) else None
