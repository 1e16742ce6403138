"""What the secretariat enters for the dashboard: targets for its figures and the national
figures state agencies report. Every reader of the dashboard sees the lists."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import dashboard_services, permissions
from activities.dashboard_forms import NationalFigureForm, TargetForm
from activities.dashboard_models import NationalFigure, Target, period_fields
from portal.lib import periods
from portal.lib.personal_data import record_override
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    allowed,
    form_page,
    paginate,
    query_without,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest

PAGE_SIZE = 50
COUNTS_ONLY = gettext_lazy(
    "Enter totals only, as the agency reported them: never names, case numbers or details "
    "of a case. Say where the figure was published or sent."
)


def _in_period[M: (Target, NationalFigure)](
    request: AuthenticatedHttpRequest, records: QuerySet[M]
) -> tuple[QuerySet[M], periods.Period | None]:
    """The records entered for the period the query string names (a link from the
    dashboard), or all of them."""
    period = periods.of_list(request)
    if period is None:
        return records, None
    return records.filter(**period_fields(period)), period


@allowed(permissions.can_see_dashboard, cached=True)
def target_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    targets, period = _in_period(request, Target.objects.all())
    page = paginate(
        targets.order_by("-starts_on", "indicator", "target_group"),
        request.GET.get("page"),
        PAGE_SIZE,
    )
    return render(
        request,
        "activities/target_list.html",
        {
            "page": page,
            "query": query_without(request, "page"),
            "period": period,
            "period_removed": query_without(request, "page", *periods.PARAMS),
            "can_manage": permissions.can_manage_targets(request.user),
        },
    )


@allowed(permissions.can_manage_targets, methods=READ_WRITE)
def target_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TargetForm(request.POST or None)
    if request.method == "POST":
        target = save_form(
            form, lambda data: dashboard_services.target_save(user=request.user, data=data)
        )
        if target is not None:
            messages.success(request, _("Target saved."))
            return redirect("dashboard_targets")
    return form_page(request, form, _("New target"), reverse("dashboard_targets"))


@allowed(permissions.can_manage_targets, methods=READ_WRITE)
def target_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = Target.objects.filter(pk=pk).first()
    if target is None:
        raise Http404
    form = TargetForm(request.POST or None, instance=target)
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: dashboard_services.target_save(
                user=request.user, data=data, target=target, version=version
            ),
        )
        if saved is not None:
            messages.success(request, _("Target saved."))
            return redirect("dashboard_targets")
    return form_page(request, form, str(target), reverse("dashboard_targets"), conflict=conflict)


@allowed(permissions.can_manage_targets, methods=WRITE)
def target_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = Target.objects.filter(pk=pk).first()
    if target is None:
        raise Http404
    dashboard_services.target_delete(user=request.user, target=target)
    messages.success(request, _("Target removed."))
    return redirect("dashboard_targets")


@allowed(permissions.can_see_dashboard, cached=True)
def national_figure_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    found, period = _in_period(
        request, NationalFigure.objects.visible_to(request.user).select_related("source_agency")
    )
    page = paginate(
        found.order_by("-starts_on", "indicator", "pk"), request.GET.get("page"), PAGE_SIZE
    )
    return render(
        request,
        "activities/national_figure_list.html",
        {
            "page": page,
            "query": query_without(request, "page"),
            "period": period,
            "period_removed": query_without(request, "page", *periods.PARAMS),
            "can_manage": permissions.can_manage_national_figures(request.user),
        },
    )


def _national_figure_form(request: AuthenticatedHttpRequest, **kwargs: Any) -> NationalFigureForm:
    return NationalFigureForm(
        request.POST or None,
        user=request.user,
        may_override=permissions.may_save_flagged_text(request.user),
        **kwargs,
    )


@allowed(permissions.can_manage_national_figures, methods=READ_WRITE)
def national_figure_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _national_figure_form(request)
    if request.method == "POST":
        figure = save_form(
            form,
            lambda data: dashboard_services.national_figure_save(user=request.user, data=data),
        )
        if figure is not None:
            record_override(form, actor=request.user, target=figure, request=request)
            messages.success(request, _("National figure saved."))
            return redirect("national_figures")
    return form_page(
        request, form, _("New national figure"), reverse("national_figures"), intro=COUNTS_ONLY
    )


@allowed(permissions.can_manage_national_figures, methods=READ_WRITE)
def national_figure_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    figure = NationalFigure.objects.filter(pk=pk).first()
    if figure is None:
        raise Http404
    form = _national_figure_form(request, instance=figure)
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: dashboard_services.national_figure_save(
                user=request.user, data=data, figure=figure, version=version
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=saved, request=request)
            messages.success(request, _("National figure saved."))
            return redirect("national_figures")
    return form_page(
        request,
        form,
        str(figure),
        reverse("national_figures"),
        conflict=conflict,
        intro=COUNTS_ONLY,
    )


@allowed(permissions.can_manage_national_figures, methods=WRITE)
def national_figure_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    figure = NationalFigure.objects.filter(pk=pk).first()
    if figure is None:
        raise Http404
    dashboard_services.national_figure_delete(user=request.user, figure=figure)
    messages.success(request, _("National figure removed."))
    return redirect("national_figures")
