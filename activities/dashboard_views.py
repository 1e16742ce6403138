"""The dashboard: key figures for a period beside the same period a year earlier, and the
tables that break them down, each linking to the list behind it."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from activities import figures, permissions
from activities.dashboard_forms import DashboardForm
from portal.lib import periods
from portal.lib.views import allowed
from stakeholders.access import AuthenticatedHttpRequest


@allowed(permissions.can_see_dashboard)
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
    key_figures = [_shown(figures.FIGURES[key], scope, earlier) for key in figures.KEY_FIGURES]
    tables = [
        {
            "figure": figures.FIGURES[key],
            "table": figures.FIGURES[key].compute(scope),
            "link": figures.FIGURES[key].link(scope),
        }
        for key in figures.TABLES
    ]
    return render(
        request,
        "activities/dashboard.html",
        {
            "filters": form,
            "period": period,
            "earlier": earlier.period,
            "key_figures": {shown["figure"].key: shown for shown in key_figures},
            "tables": {shown["figure"].key: shown for shown in tables},
            "own_organisation_only": permissions.dashboard_organisation(user) is not None,
        },
    )


def _id(record: Any) -> int | None:
    return record.pk if record is not None else None


def _shown(figure: figures.Figure, scope: figures.Scope, earlier: figures.Scope) -> dict[str, Any]:
    """A key figure for the period and a year earlier (the figures counted today, whatever
    the period, are shown once)."""
    value = figure.compute(scope)
    before = figure.compute(earlier) if figure.key not in figures.TODAY_ONLY else None
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
        "earlier_link": figure.link(earlier),
    }


def _number(value: Any) -> int | None:
    """What a key figure compares: a count, a rate's percentage, the people reached."""
    if isinstance(value, figures.Rate):
        return value.percent
    if isinstance(value, figures.People):
        return value.total
    return value if isinstance(value, int) else None
