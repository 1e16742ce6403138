"""Trend-note pages: the board and the list, a note, recording and editing it, its status and
the activities that answer it."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from activities import permissions, trend_selectors, trend_services
from activities.models import Activity, Region, TargetGroup
from activities.trend_forms import ResponseForm, TrendFilterForm, TrendNoteForm, TrendStatusForm
from activities.trend_models import ExploitationForm, RecruitmentMethod, TrendNote, TrendResponse
from meetings.models import Meeting
from portal.lib import periods
from portal.lib.history import history_entries
from portal.lib.personal_data import record_override
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    allowed,
    form_page,
    id_param,
    paginate,
    query_without,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest

PAGE_SIZE = 25
PATTERNS_NOT_CASES = gettext_lazy(
    "A trend note describes a pattern seen in the field, never a case: no names, contacts, "
    "documents or details that would let anyone recognise a victim, a witness or a suspect."
)


def _note_or_404(request: AuthenticatedHttpRequest, pk: int) -> TrendNote:
    note = (
        TrendNote.objects.visible_to(request.user)
        .select_related("source_organisation", "created_by")
        .filter(pk=pk)
        .first()
    )
    if note is None:
        raise Http404
    return note


def _filters(request: AuthenticatedHttpRequest) -> tuple[TrendFilterForm, dict[str, Any]]:
    form = TrendFilterForm(request.GET, user=request.user)
    # A period (a link from the dashboard) keeps the notes new in it.
    return form, {**form.filters, "period": periods.of_list(request)}


def _period_context(request: AuthenticatedHttpRequest, filters: dict[str, Any]) -> dict[str, Any]:
    return {
        "period": filters["period"],
        "period_removed": query_without(request, "page", *periods.PARAMS),
        "period_note": _("Trend notes whose observation began in the period."),
    }


@allowed(permissions.can_read_trends, cached=True)
def trend_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Notes as cards in status columns; the filters stay in the URL."""
    form, filters = _filters(request)
    return render(
        request,
        "activities/trend_board.html",
        {
            "filters": form,
            "columns": trend_selectors.board(request.user, filters),
            "query": request.GET.urlencode(),
            "can_create": permissions.can_create_trend(request.user),
            **_period_context(request, filters),
        },
    )


@allowed(permissions.can_read_trends, cached=True)
def trend_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same notes and filters as the board, as a table for keyboards and screen readers."""
    form, filters = _filters(request)
    notes = trend_selectors.filtered(request.user, filters).select_related("source_organisation")
    page = paginate(notes.order_by("-created_at", "-pk"), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "activities/trend_list.html",
        {
            "filters": form,
            "page": page,
            "query": query_without(request, "page"),
            "board_query": request.GET.urlencode(),
            "can_create": permissions.can_create_trend(request.user),
            **_period_context(request, filters),
        },
    )


@allowed(permissions.can_read_trends, cached=True)
def trend_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = _note_or_404(request, pk)
    user = request.user
    statuses = permissions.trend_statuses_for(user, note)
    responses = trend_selectors.responses(note, user)
    return render(
        request,
        "activities/trend_detail.html",
        {
            "note": note,
            "meetings": list(
                Meeting.objects.visible_to(user)
                .filter(trend_notes=note)
                .select_related("series")
                .order_by("starts_at")
            ),
            "responses": responses,
            "removable": {r.pk for r in responses if permissions.can_remove_response(user, r)},
            "history": history_entries(note, limit=20),
            **_labels(note),
            "can_edit": permissions.can_edit_trend(user, note),
            "status_form": TrendStatusForm(statuses=statuses) if statuses else None,
            "response_form": ResponseForm() if permissions.can_link_responses(user) else None,
            "user_id": user.pk,
        },
    )


def _labels(note: TrendNote) -> dict[str, list[str]]:
    """The note's lists of codes as people read them."""

    def named(codes: list[str], vocabulary: Any) -> list[str]:
        return [str(vocabulary(code).label) for code in codes if code in vocabulary.values]

    def country_names(codes: list[str]) -> list[str]:
        return [str(countries.name(code)) or code for code in codes]

    return {
        "recruitment_methods": named(note.recruitment_methods, RecruitmentMethod),
        "exploitation_forms": named(note.exploitation_forms, ExploitationForm),
        "target_groups": named(note.target_groups, TargetGroup),
        "regions": named(note.regions, Region),
        "origin": country_names(note.origin_countries),
        "transit": country_names(note.transit_countries),
        "destination": country_names(note.destination_countries),
    }


@allowed(permissions.can_create_trend, methods=READ_WRITE)
def trend_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if (meeting_id := id_param(request.GET.get("meeting"))) is not None:
        meeting = Meeting.objects.visible_to(request.user).filter(pk=meeting_id).first()
        if meeting is not None:
            initial["meetings"] = [meeting]
            initial["source_type"] = "meeting_discussion"
    form = TrendNoteForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        note = save_form(
            form, lambda data: trend_services.trend_create(user=request.user, data=data)
        )
        if note is not None:
            record_override(form, actor=request.user, target=note, request=request)
            messages.success(request, _("Trend note %(code)s recorded.") % {"code": note.code})
            return redirect(note)
    return form_page(
        request,
        form,
        _("Record a trend"),
        reverse("activities:trend_board"),
        intro=PATTERNS_NOT_CASES,
    )


@allowed(permissions.can_read_trends, methods=READ_WRITE)
def trend_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = _note_or_404(request, pk)
    if not permissions.can_edit_trend(request.user, note):
        raise PermissionDenied
    form = TrendNoteForm(
        request.POST or None,
        instance=TrendNote.objects.get(pk=note.pk),
        user=request.user,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: trend_services.trend_update(
                user=request.user, note=note, data=data, version=version
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=saved, request=request)
            messages.success(request, _("Trend note saved."))
            return redirect(note)
    return form_page(
        request,
        form,
        _("Edit %(code)s") % {"code": note.code},
        note.get_absolute_url(),
        conflict=conflict,
        intro=PATTERNS_NOT_CASES,
    )


@allowed(permissions.can_read_trends, methods=WRITE)
def trend_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = _note_or_404(request, pk)
    statuses = permissions.trend_statuses_for(request.user, note)
    if not statuses:
        raise PermissionDenied
    form = TrendStatusForm(request.POST, statuses=statuses)
    if form.is_valid():
        try:
            trend_services.trend_set_status(
                user=request.user,
                note=note,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status the note may move to."))
    return redirect(note)


@allowed(permissions.can_link_responses, methods=WRITE)
def trend_response_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """From the note's page: an activity, by its code, answers the note."""
    note = _note_or_404(request, pk)
    form = ResponseForm(request.POST)
    if form.is_valid():
        activity = (
            Activity.objects.visible_to(request.user).filter(code=form.cleaned_data["code"]).first()
        )
        if activity is None:
            messages.error(
                request,
                _("No activity you can see has the code %(code)s.")
                % {"code": form.cleaned_data["code"]},
            )
        else:
            _link(request, note, activity, form.cleaned_data["note"])
    else:
        messages.error(request, " ".join(str(m) for e in form.errors.values() for m in e))
    return redirect(note)


@allowed(permissions.can_link_responses, methods=WRITE)
def activity_trend_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """From the activity's page: it answers a note, found by the note's code."""
    activity = Activity.objects.visible_to(request.user).filter(pk=pk).first()
    if activity is None:
        raise Http404
    form = ResponseForm(request.POST)
    if form.is_valid():
        note = (
            TrendNote.objects.visible_to(request.user)
            .filter(code=form.cleaned_data["code"])
            .first()
        )
        if note is None:
            messages.error(
                request,
                _("No trend note you can see has the code %(code)s.")
                % {"code": form.cleaned_data["code"]},
            )
        else:
            _link(request, note, activity, form.cleaned_data["note"])
    else:
        messages.error(request, " ".join(str(m) for e in form.errors.values() for m in e))
    return redirect(reverse("activities:activity_detail", args=[activity.pk]) + "#trends")


def _link(
    request: AuthenticatedHttpRequest, note: TrendNote, activity: Activity, text: str
) -> None:
    try:
        trend_services.response_add(user=request.user, note=note, activity=activity, text=text)
    except PermissionDenied:
        messages.error(
            request,
            _(
                "You may link your organisation's activities, or activities to your "
                "organisation's notes."
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(activity)s now answers %(note)s.")
            % {"activity": activity.code, "note": note.code},
        )


@allowed(permissions.can_link_responses, methods=WRITE)
def trend_response_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    response = (
        TrendResponse.objects.filter(
            pk=pk,
            trend__in=TrendNote.objects.visible_to(request.user),
            activity__in=Activity.objects.visible_to(request.user),
        )
        .select_related("trend", "activity")
        .first()
    )
    if response is None:
        raise Http404
    reopened = trend_services.response_remove(user=request.user, response=response)
    messages.success(request, _("The link was removed."))
    if reopened:
        messages.info(
            request,
            _("%(code)s is back to monitoring: no activity answers it now.")
            % {"code": response.trend.code},
        )
    back = request.POST.get("next", "")
    if back == "activity":
        return redirect(
            reverse("activities:activity_detail", args=[response.activity_id]) + "#trends"
        )
    return redirect(response.trend)
