"""Decisions, action items and their register, with status updates in place."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import permissions, selectors, services
from meetings.forms import ActionItemFilterForm, ActionItemForm, ActionItemStatusForm, DecisionForm
from meetings.models import ActionItem, Decision
from meetings.views._common import PAGE_SIZE, meeting_or_404
from portal.lib import periods
from portal.lib.personal_data import record_override
from portal.lib.tabular import EXPORT_FORMATS, download_response
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    add_validation_error,
    allowed,
    exports_refused,
    form_page,
    paginate,
    query_without,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest


def _follow_up_url(meeting_pk: int) -> str:
    return reverse("meetings:meeting_detail", args=[meeting_pk]) + "#follow-up"


def _decision_or_404(request: AuthenticatedHttpRequest, pk: int) -> Decision:
    decision = Decision.objects.visible_to(request.user).select_related("meeting").filter(pk=pk)
    found = decision.first()
    if found is None:
        raise Http404
    return found


def _action_item_or_404(request: AuthenticatedHttpRequest, pk: int) -> ActionItem:
    item = (
        selectors.with_context_visibility(ActionItem.objects.visible_to(request.user), request.user)
        .select_related(
            "meeting__series", "owner_organisation", "owner_person", "decision__meeting"
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


# Decisions


@allowed(permissions.can_manage_follow_up, methods=READ_WRITE)
def decision_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    form = DecisionForm(
        request.POST or None,
        meeting=meeting,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        decision = save_form(
            form,
            lambda data: services.decision_create(user=request.user, meeting=meeting, data=data),
        )
        if decision is not None:
            record_override(form, actor=request.user, target=decision, request=request)
            messages.success(request, _("Decision %(code)s recorded.") % {"code": decision.code})
            return redirect(_follow_up_url(meeting.pk))
    return form_page(request, form, _("New decision"), meeting.get_absolute_url())


@allowed(permissions.can_manage_follow_up, methods=READ_WRITE)
def decision_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = _decision_or_404(request, pk)
    form = DecisionForm(
        request.POST or None,
        instance=Decision.objects.get(pk=decision.pk),
        meeting=decision.meeting,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.decision_update(
                user=request.user, decision=decision, data=data, version=version
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=decision, request=request)
            messages.success(request, _("Decision saved."))
            return redirect(_follow_up_url(decision.meeting_id))
    return form_page(
        request,
        form,
        _("Edit decision %(code)s") % {"code": decision.code},
        decision.meeting.get_absolute_url(),
        conflict=conflict,
    )


# Action items


@allowed(permissions.can_manage_follow_up, methods=READ_WRITE)
def action_item_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    form = ActionItemForm(
        request.POST or None,
        user=request.user,
        meeting=meeting,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    if request.method == "POST":
        item = save_form(
            form,
            lambda data: services.action_item_create(user=request.user, meeting=meeting, data=data),
        )
        if item is not None:
            record_override(form, actor=request.user, target=item, request=request)
            messages.success(request, _("Action item added."))
            return redirect(_follow_up_url(meeting.pk))
    return form_page(request, form, _("New action item"), meeting.get_absolute_url())


@allowed(permissions.can_manage_follow_up, methods=READ_WRITE)
def action_item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _action_item_or_404(request, pk)
    form = ActionItemForm(
        request.POST or None,
        instance=ActionItem.objects.get(pk=item.pk),
        user=request.user,
        meeting=item.meeting,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.action_item_update(
                user=request.user, item=item, data=data, version=version
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=item, request=request)
            messages.success(request, _("Action item saved."))
            return redirect(item)
    return form_page(
        request, form, _("Edit action item"), item.get_absolute_url(), conflict=conflict
    )


@allowed(permissions.can_read_action_items, cached=True)
def action_item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _action_item_or_404(request, pk)
    return render(
        request,
        "meetings/action_item_detail.html",
        {
            "item": item,
            "updates": item.updates.select_related("user__person").all()[:50],
            "status_form": ActionItemStatusForm(initial={"status": item.status}),
            "can_update": permissions.can_update_action_item(request.user, item),
            "can_manage": permissions.can_manage_follow_up(request.user),
        },
    )


@allowed(permissions.can_read_action_items, methods=WRITE)
def action_item_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A status update, from the item's page or in place on the register (htmx)."""
    item = _action_item_or_404(request, pk)
    if not permissions.can_update_action_item(request.user, item):
        raise Http404
    form = ActionItemStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_item_set_status(
                user=request.user,
                item=item,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
    if request.htmx:  # type: ignore[attr-defined]
        item = selectors.action_item_rows([_action_item_or_404(request, pk)])[0]
        item.can_update = True  # type: ignore[attr-defined]  # for the template
        return render(
            request,
            "meetings/includes/action_item_rows.html",
            {
                "items": [item],
                "row_form": form if form.errors else ActionItemStatusForm(),
                "today": timezone.localdate(),
            },
        )
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, _("Status saved."))
    return redirect(item)


def _register_context(
    request: AuthenticatedHttpRequest,
) -> tuple[ActionItemFilterForm, Any, periods.Period | None]:
    form = ActionItemFilterForm(request.GET, user=request.user)
    # A period (a link from the dashboard) keeps the items raised at its meetings.
    period = periods.of_list(request)
    filters = {**form.filters, "period": period}
    return form, selectors.action_item_list(user=request.user, filters=filters), period


@allowed(permissions.can_read_action_items, cached=True)
def action_item_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The register of action items, across every series."""
    form, items, period = _register_context(request)
    page = paginate(items, request.GET.get("page"), PAGE_SIZE)
    page.object_list = selectors.action_item_rows(list(page.object_list))
    for item in page.object_list:
        item.can_update = permissions.can_update_action_item(request.user, item)  # type: ignore[attr-defined]  # for the template
    return render(
        request,
        "meetings/action_item_list.html",
        {
            "page": page,
            "filters": form,
            "query": query_without(request, "page"),
            "sort_base": query_without(request, "page", "sort"),
            "sort": form.filters.get("sort") or "due",
            "can_manage": False,
            "row_form": ActionItemStatusForm(),
            "today": timezone.localdate(),
            "period": period,
            "period_removed": query_without(request, "page", *periods.PARAMS),
            "period_note": _("Action items raised at the meetings of the period."),
        },
    )


EXPORT_COLUMNS = [
    "meeting",
    "series",
    "decision",
    "action",
    "owner_organisation",
    "owner_person",
    "due",
    "status",
    "completed",
]


@allowed(permissions.can_read_action_items)
def action_item_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    """The filtered register as CSV or XLSX."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    if refused := exports_refused(request):
        return refused
    _form, items, _period = _register_context(request)
    rows = (
        [
            item.meeting.local_title if item.meeting_visible else "",
            item.meeting.series.local_title if item.meeting_visible else "",
            item.decision.code if item.decision and item.decision_visible else "",
            item.local_description,
            item.owner_organisation.local_name,
            item.owner_person.full_name if item.owner_person else "",
            item.due_on.isoformat(),
            item.status,
            timezone.localtime(item.completed_at).date().isoformat() if item.completed_at else "",
        ]
        for item in items.select_related(
            "meeting__series", "decision__meeting", "owner_organisation", "owner_person"
        ).iterator(chunk_size=500)
    )
    return download_response(
        fmt,
        f"action-items-{timezone.localdate().isoformat()}",
        EXPORT_COLUMNS,
        rows,
        title=_("Action items"),
    )
