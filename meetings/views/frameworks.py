"""The framework references: what answers each, and the lists the secretariat keeps."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings import coverage, permissions, services
from meetings.forms.frameworks import FrameworkFilterForm, FrameworkReferenceForm
from meetings.models import FrameworkReference
from portal.lib.personal_data import record_override
from portal.lib.views import (
    READ_WRITE,
    allowed,
    form_page,
    paginate,
    query_without,
    save_edit_form,
    save_form,
)
from stakeholders.access import AuthenticatedHttpRequest

PAGE_SIZE = 25


@allowed(permissions.can_read_frameworks, cached=True)
def framework_coverage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each measure or recommendation, and the decisions, action items and activities the
    user may see that answer it."""
    user = request.user
    references = FrameworkReference.objects.visible_to(user)
    years = sorted(set(references.values_list("year", flat=True)), reverse=True)
    filters = FrameworkFilterForm(request.GET, years=years)
    chosen = filters.filters
    if chosen.get("kind"):
        references = references.filter(kind=chosen["kind"])
    if chosen.get("year"):
        references = references.filter(year=chosen["year"])
    answered = coverage.answered(user)
    total = references.count()
    answered_count = references.filter(answered).count()
    if chosen.get("answered") == "no":
        references = references.exclude(answered)
    elif chosen.get("answered") == "yes":
        references = references.filter(answered)
    page = paginate(
        references.order_by("kind", "-year", "sort_key"), request.GET.get("page"), PAGE_SIZE
    )
    ids = [reference.pk for reference in page.object_list]
    sources = coverage.sources()
    found = {source.key: source.answers(user, ids) for source in sources}
    rows = [
        {
            "reference": reference,
            "answers": [
                {
                    "source": source,
                    "shown": found[source.key].shown.get(reference.pk, []),
                    "count": found[source.key].counts.get(reference.pk, 0),
                    "more": found[source.key].counts.get(reference.pk, 0)
                    - len(found[source.key].shown.get(reference.pk, [])),
                }
                for source in sources
            ],
            "count": sum(found[source.key].counts.get(reference.pk, 0) for source in sources),
        }
        for reference in page.object_list
    ]
    return render(
        request,
        "meetings/framework_coverage.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "total": total,
            "answered_count": answered_count,
            "unanswered_count": total - answered_count,
            "query": query_without(request, "page"),
            "can_manage": permissions.can_manage_frameworks(user),
        },
    )


@allowed(permissions.can_manage_frameworks, methods=READ_WRITE)
def framework_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FrameworkReferenceForm(
        request.POST or None, may_override=permissions.may_save_flagged_text(request.user)
    )
    if request.method == "POST":
        reference = save_form(
            form, lambda data: services.framework_reference_save(user=request.user, data=data)
        )
        if reference is not None:
            record_override(form, actor=request.user, target=reference, request=request)
            messages.success(request, _("%(name)s added.") % {"name": reference.short_name})
            return redirect(_list_url(reference))
    return form_page(
        request, form, _("New framework reference"), reverse("meetings:framework_coverage")
    )


@allowed(permissions.can_manage_frameworks, methods=READ_WRITE)
def framework_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reference = FrameworkReference.objects.visible_to(request.user).filter(pk=pk).first()
    if reference is None:
        raise Http404
    form = FrameworkReferenceForm(
        request.POST or None,
        instance=reference,
        may_override=permissions.may_save_flagged_text(request.user),
    )
    conflict: list[dict[str, object]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.framework_reference_save(
                user=request.user,
                data=data,
                reference=FrameworkReference.objects.get(pk=pk),
                version=version,
            ),
        )
        if saved is not None:
            record_override(form, actor=request.user, target=saved, request=request)
            messages.success(request, _("%(name)s saved.") % {"name": saved.short_name})
            return redirect(_list_url(saved))
    return form_page(
        request,
        form,
        _("Edit %(name)s") % {"name": reference.short_name},
        _list_url(reference),
        conflict=conflict,
    )


def _list_url(reference: FrameworkReference) -> str:
    return (
        reverse("meetings:framework_coverage")
        + f"?kind={reference.kind}&year={reference.year}#reference-{reference.pk}"
    )
