"""Meeting series: list, page, forms, standing invitees."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings import permissions, selectors, services
from meetings.forms import (
    InviteOrganisationForm,
    ReminderRuleForm,
    SeriesForm,
)
from meetings.models import (
    MeetingSeries,
)
from meetings.views._common import (
    PAGE_SIZE,
    series_or_404,
)
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    allowed,
    form_page,
    id_param,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.models import Organisation


@allowed(permissions.can_manage_meetings, cached=True)
def series_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/series_list.html",
        {"series_list": selectors.series_list(user=request.user)},
    )


@allowed(permissions.can_manage_meetings, cached=True)
def series_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    series = series_or_404(request, pk)
    meetings = selectors.meeting_rows(
        list(series.meetings.order_by("-starts_at", "pk")[:PAGE_SIZE])
    )
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            "meetings": meetings,
            "standing": list(series.standing_invitees.all()),
            "standing_form": InviteOrganisationForm(user=request.user),
            "reminder_rules": list(series.reminder_rules.all()),
            "reminder_form": ReminderRuleForm(),
        },
    )


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def series_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST":
        series = save_form(form, lambda data: services.series_create(user=request.user, data=data))
        if series is not None:
            messages.success(request, _("Series added."))
            return redirect(series)
    return form_page(request, form, _("New meeting series"), reverse("meetings:series_list"))


@allowed(permissions.can_manage_meetings, methods=READ_WRITE)
def series_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    series = series_or_404(request, pk)
    form = SeriesForm(
        request.POST or None, instance=MeetingSeries.objects.get(pk=series.pk), user=request.user
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.series_update(
                user=request.user, series=series, data=data, version=version
            ),
        )
        if saved is not None:
            messages.success(request, _("Series saved."))
            return redirect(series)
    return form_page(
        request,
        form,
        _("Edit %(series)s") % {"series": series.local_title},
        series.get_absolute_url(),
        conflict=conflict,
    )


@allowed(permissions.can_manage_meetings, methods=WRITE)
def series_standing_invitees(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add an organisation to the series' standing invitees, or remove one."""
    series = series_or_404(request, pk)
    if remove := request.POST.get("remove"):
        organisation = Organisation.objects.filter(pk=id_param(remove) or 0).first()
        if organisation is not None:
            services.series_set_standing(
                user=request.user, series=series, organisation=organisation, standing=False
            )
            messages.success(
                request,
                _("%(organisation)s is no longer a standing invitee.")
                % {"organisation": organisation.local_name},
            )
        return redirect(series)
    form = InviteOrganisationForm(request.POST, user=request.user)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        services.series_set_standing(
            user=request.user, series=series, organisation=organisation, standing=True
        )
        messages.success(
            request,
            _("%(organisation)s is invited to every new meeting of the series.")
            % {"organisation": organisation.local_name},
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(series)
