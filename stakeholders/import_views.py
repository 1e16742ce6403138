"""Pages for importing the directory from a file, and downloads of it as a file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.tabular import EXPORT_FORMATS, TableError, download_response
from portal.lib.views import READ_WRITE, allowed, exports_refused
from stakeholders import imports, permissions, selectors
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.forms import ImportUploadForm, OrganisationFilterForm, PersonFilterForm
from stakeholders.imports.results import Preview
from stakeholders.models import ImportBatch

FORMATS = EXPORT_FORMATS
LIST_PAGES = {
    ImportBatch.Kind.ORGANISATIONS: "stakeholders:organisation_list",
    ImportBatch.Kind.PEOPLE: "stakeholders:person_list",
}
# Why confirming imported nothing (imports.Rejection), said on the batch page.
REJECTIONS: dict[str, str | Promise] = {
    imports.Rejection.ERRORS: gettext_lazy(
        "Nothing was imported: some rows have errors now. See them below."
    ),
    imports.Rejection.CONFLICT: gettext_lazy(
        "Nothing was imported: someone changed the same records meanwhile. "
        "Check the rows below and confirm again."
    ),
    imports.Rejection.FAILED: gettext_lazy(
        "Nothing was imported: the import stopped on an unexpected error. Confirm again, "
        "or tell the portal's administrators if it happens again."
    ),
}
TITLES = {
    ImportBatch.Kind.ORGANISATIONS: gettext_lazy("Import organisations"),
    ImportBatch.Kind.PEOPLE: gettext_lazy("Import people"),
}


def _kind_or_404(kind: str) -> ImportBatch.Kind:
    if kind not in ImportBatch.Kind.values:
        raise Http404
    return ImportBatch.Kind(kind)


# Each export reads a whole list: a person may ask for a few a minute, not hundreds.
@allowed(permissions.can_manage_directory, methods=READ_WRITE)
def import_upload(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    kind = _kind_or_404(kind)
    form = ImportUploadForm()
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = imports.import_batch_create(
                    user=request.user, kind=kind, upload=form.cleaned_data["file"]
                )
            except TableError as error:
                form.add_error("file", error.message)
            else:
                return redirect("stakeholders:import_preview", batch.pk)
    columns = [
        {
            "name": name,
            "required": name in imports.REQUIRED_COLUMNS[kind],
            "help": imports.COLUMN_HELP[kind][name],
        }
        for name in imports.COLUMNS[kind]
    ]
    return render(
        request,
        "stakeholders/import_upload.html",
        {
            "form": form,
            "kind": kind,
            "title": TITLES[kind],
            "columns": columns,
            "list_url_name": LIST_PAGES[kind],
        },
    )


@allowed(permissions.can_manage_directory, methods=READ_WRITE)
def import_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The batch page: its preview, then the import's progress, then what it did."""
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "discard":
                imports.import_batch_discard(user=request.user, batch=batch)
                messages.success(request, _("The import was discarded; nothing was changed."))
                return redirect("stakeholders:import_upload", batch.kind)
            if action != "confirm":
                return HttpResponseBadRequest()
            imports.import_batch_confirm(user=request.user, batch=batch)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("stakeholders:import_preview", batch.pk)
    preview = None
    if batch.status == ImportBatch.Status.PREVIEW:
        preview = imports.import_batch_preview(batch)
    return render(request, "stakeholders/import_preview.html", _batch_context(batch, preview))


@allowed(permissions.can_manage_directory)
def import_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress part of the batch page, which htmx asks for again until the import ends."""
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    response = render(
        request, "stakeholders/includes/import_progress.html", _batch_context(batch, None)
    )
    if request.headers.get("HX-Request") == "true" and batch.status == ImportBatch.Status.PREVIEW:
        # Nothing was imported: the whole page shows the rows with their errors.
        response["HX-Refresh"] = "true"
    return response


def _batch_context(batch: ImportBatch, preview: Preview | None) -> dict[str, object]:
    kind = ImportBatch.Kind(batch.kind)
    rejected = batch.summary.get("rejected") if batch.status == ImportBatch.Status.PREVIEW else None
    return {
        "batch": batch,
        "preview": preview,
        "title": TITLES[kind],
        "list_url_name": LIST_PAGES[kind],
        "rejected": REJECTIONS.get(rejected or ""),
        "rejected_errors": batch.summary.get("rejected_errors", []) if rejected else [],
    }


@allowed(permissions.can_manage_directory)
def import_template(request: AuthenticatedHttpRequest, kind: str, fmt: str) -> HttpResponse:
    kind = _kind_or_404(kind)
    if fmt not in FORMATS:
        raise Http404
    return download_response(
        fmt,
        f"{kind}-template",
        imports.COLUMNS[kind],
        [imports.EXAMPLES[kind]],
        title=str(ImportBatch.Kind(kind).label),
    )


@allowed(permissions.can_read_directory)
def organisation_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    if refused := exports_refused(request):
        return refused
    filters = OrganisationFilterForm(request.GET, user=request.user).filters
    organisations = selectors.organisation_list(user=request.user, filters=filters)
    return download_response(
        fmt,
        f"organisations-{timezone.localdate().isoformat()}",
        imports.ORGANISATION_COLUMNS,
        (imports.organisation_export_row(o) for o in organisations.iterator(chunk_size=500)),
        title=_("Organisations"),
    )


@allowed(permissions.can_read_directory)
def person_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    if refused := exports_refused(request):
        return refused
    filters = PersonFilterForm(request.GET, user=request.user).filters
    people = selectors.person_list(user=request.user, filters=filters)
    return download_response(
        fmt,
        f"people-{timezone.localdate().isoformat()}",
        imports.PERSON_COLUMNS,
        (
            imports.person_export_row(p, contact=permissions.can_see_contact(request.user, p))
            for p in people.iterator(chunk_size=500)
        ),
        title=_("People"),
    )
