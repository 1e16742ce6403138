"""What the apps' views share: the permission gate, form saving and query-string helpers."""

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, Concatenate, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import render

from portal.lib import pagecache
from portal.lib.ratelimit import RateLimit
from portal.lib.versions import VersionConflict, show_conflict

READ = ("GET",)
READ_WRITE = ("GET", "POST")
WRITE = ("POST",)


def allowed[U, R: HttpRequest, **P](
    test: Callable[[U], bool], *, methods: Sequence[str] = READ, cached: bool = False
) -> Callable[
    [Callable[Concatenate[R, P], HttpResponseBase]],
    Callable[Concatenate[HttpRequest, P], HttpResponseBase],
]:
    """Gate a view: other methods get 405, visitors go to the login page, and users for
    whom `test(user)` (a predicate of an app's permissions module) is false get 403.

    The view then receives the request with its logged-in user. With `cached`, a GET is
    answered from the page cache when the same reader asked for the same page since the last
    write (`portal.lib.pagecache`): for pages that only show, and hold nothing from the session.
    """
    accepted = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorator(
        view: Callable[Concatenate[R, P], HttpResponseBase],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            if request.method not in accepted:
                return HttpResponseNotAllowed(sorted(accepted))
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(cast(U, request.user)):
                raise PermissionDenied
            if cached:
                return pagecache.serve(request, lambda: view(cast(R, request), *args, **kwargs))
            return view(cast(R, request), *args, **kwargs)

        return cast(Callable[Concatenate[HttpRequest, P], HttpResponseBase], wrapped)

    return decorator


def id_param(value: object) -> int | None:
    """A record id from a query string, or None for anything that is not one."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def query_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without `names`, for pagination and sort links."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's validation error on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_form[T](form: forms.BaseForm, save: Callable[[dict[str, Any]], T]) -> T | None:
    """Validate the form and run a service with its data; None, with the errors on the form,
    when either refuses."""
    if not form.is_valid():
        return None
    # Fields about the saving itself (an override and its reason) are not the record's.
    form_only = getattr(form, "form_only_fields", ())
    try:
        return save({n: form.cleaned_data[n] for n in form.fields if n not in form_only})
    except ValidationError as error:
        add_validation_error(form, error)
    return None


def save_edit_form[T](
    form: forms.BaseForm, save: Callable[[dict[str, Any], int], T]
) -> tuple[T | None, list[dict[str, Any]]]:
    """Save a versioned edit form: `save(data, version)` gets the data without the version
    the form started from, and that version. Returns what the service returned (None when the
    form or the service refused), and, when someone else saved first, what they changed."""
    try:
        saved = save_form(
            form,
            lambda data: save(
                {name: value for name, value in data.items() if name != "version"},
                data["version"],
            ),
        )
    except VersionConflict as conflict:
        return None, show_conflict(form, conflict)
    return saved, []


def paginate[M: Model](queryset: QuerySet[M], number: str | None, per_page: int) -> Page[M]:
    """A page of `queryset`, read in two steps: the page's ids are sorted and counted on a
    narrow query, then only those rows are read whole (with their joins and annotations).
    Sorting thousands of narrow rows is much cheaper than sorting them whole."""
    ids: QuerySet[M, Any] = queryset.values_list("pk", flat=True)
    page = Paginator(ids, per_page).get_page(number)
    # Unordered: the page's order is its ids'; sorting the rows again costs for nothing.
    rows = queryset.order_by().in_bulk(list(page.object_list))
    # A row changed between the two queries (deactivated, deleted) is left out.
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


def act(request: HttpRequest, action: Callable[[], object], *, done: str) -> None:
    """Run a service behind a button that posts and returns to its page: the service's
    refusal, or `done`, is the message shown there."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


# Exports read whole lists: 30 a user in 10 minutes.
EXPORTS = RateLimit("exports", limit=30, window=10 * 60)


def exports_refused(request: HttpRequest) -> HttpResponse | None:
    """A 429 page when the user has exported too much lately; None when they may go on."""
    if EXPORTS.hit(f"user:{getattr(request.user, 'pk', None)}"):
        return None
    return render(request, "429.html", status=429)


def form_page(
    request: HttpRequest, form: forms.BaseForm, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    """The page of a form alone: its title, the form, Save and Cancel (back to `cancel_url`);
    `extra` adds to the context (the `conflict` of a versioned edit)."""
    return render(
        request,
        "includes/form_page.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
    )
