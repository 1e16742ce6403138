"""Pages for importing the directory from a file, and downloads of it as a file."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from portal.lib.tabular import EXPORT_FORMATS, TableError, download_response
from portal.lib.views import READ_WRITE, allowed, exports_refused
from stakeholders import imports, permissions, selectors
from stakeholders.access import AuthenticatedHttpRequest
from stakeholders.forms import ImportUploadForm, OrganisationFilterForm, PersonFilterForm
from stakeholders.imports import kinds as import_kinds
from stakeholders.imports.kinds import ImportKind
from stakeholders.imports.results import Preview
from stakeholders.models import ImportBatch, User

FORMATS = EXPORT_FORMATS
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


def _kind_for(user: User, kind: str) -> ImportKind:
    """The kind, or 404 for none; 403 when the user may not import it."""
    spec = import_kinds.get(kind)
    if not spec.may_import(user):
        raise PermissionDenied
    return spec


def _batch_for(user: User, pk: int) -> tuple[ImportBatch, ImportKind]:
    batch = get_object_or_404(ImportBatch.objects.visible_to(user), pk=pk)
    return batch, _kind_for(user, batch.kind)


@allowed(imports.may_import_any, methods=READ_WRITE)
def import_upload(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    spec = _kind_for(request.user, kind)
    form = ImportUploadForm()
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = imports.import_batch_create(
                    user=request.user, kind=spec.kind, upload=form.cleaned_data["file"]
                )
            except TableError as error:
                form.add_error("file", error.message)
            else:
                return redirect("stakeholders:import_preview", batch.pk)
    header = (
        spec.template_header(get_language()) if spec.template_header is not None else spec.columns
    )
    columns = [
        {"name": title, "required": name in spec.required, "help": spec.help[name]}
        for name, title in zip(spec.columns, header, strict=True)
    ]
    languages = (
        [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]
        if spec.template_header is not None
        else []
    )
    return render(
        request,
        "stakeholders/import_upload.html",
        {
            "form": form,
            "spec": spec,
            "kind": spec.kind,
            "title": spec.title,
            "columns": columns,
            "template_languages": languages,
        },
    )


@allowed(imports.may_import_any, methods=READ_WRITE)
def import_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The batch page: its preview, then the import's progress, then what it did."""
    batch, spec = _batch_for(request.user, pk)
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
    return render(request, "stakeholders/import_preview.html", _batch_context(batch, spec, preview))


@allowed(imports.may_import_any)
def import_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress part of the batch page, which htmx asks for again until the import ends."""
    batch, spec = _batch_for(request.user, pk)
    response = render(
        request, "stakeholders/includes/import_progress.html", _batch_context(batch, spec, None)
    )
    if request.headers.get("HX-Request") == "true" and batch.status == ImportBatch.Status.PREVIEW:
        # Nothing was imported: the whole page shows the rows with their errors.
        response["HX-Refresh"] = "true"
    return response


def _batch_context(
    batch: ImportBatch, spec: ImportKind, preview: Preview | None
) -> dict[str, object]:
    rejected = batch.summary.get("rejected") if batch.status == ImportBatch.Status.PREVIEW else None
    return {
        "batch": batch,
        "spec": spec,
        "preview": preview,
        "title": spec.title,
        "rejected": REJECTIONS.get(rejected or ""),
        "rejected_errors": batch.summary.get("rejected_errors", []) if rejected else [],
    }


@allowed(imports.may_import_any)
def import_template(request: AuthenticatedHttpRequest, kind: str, fmt: str) -> HttpResponse:
    """The columns and an example row; with `?language=ru`, headers in that language."""
    spec = _kind_for(request.user, kind)
    if fmt not in FORMATS:
        raise Http404
    header: tuple[str, ...] | list[str] = spec.columns
    name = f"{spec.kind}-template"
    language = get_language()
    if spec.template_header is not None:
        if request.GET.get("language", "") in dict(settings.LANGUAGES):
            language = request.GET["language"]
        header = list(spec.template_header(language))
        name = f"{spec.kind}-template-{language}"
    with translation.override(language):
        example = [str(value) for value in spec.example]
        title = str(spec.list_title)
    return download_response(fmt, name, header, [example], title=title)


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
