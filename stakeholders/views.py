"""The directory's pages: thin views over the selectors, forms and services."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.lib.history import history_entries
from portal.lib.views import (
    READ_WRITE,
    WRITE,
    act,
    allowed,
    form_page,
    id_param,
    paginate,
    query_without,
    save_edit_form,
    save_form,
)
from stakeholders import engagement, permissions, selectors, services
from stakeholders.access import AuthenticatedHttpRequest, organisation_or_404, person_or_404
from stakeholders.forms import (
    MergeForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
    person_label,
)
from stakeholders.models import MechanismRole, Organisation, Person, Role

PAGE_SIZE = 25


def _list_context(
    request: AuthenticatedHttpRequest, filters: dict[str, object]
) -> dict[str, object]:
    return {
        "query": query_without(request, "page"),
        "sort_base": query_without(request, "page", "sort"),
        "sort": filters.get("sort") or "name",
        "can_manage": permissions.can_manage_directory(request.user),
    }


@allowed(permissions.can_read_directory, cached=True)
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET, user=request.user)
    filters = form.filters
    organisations = selectors.organisation_list(user=request.user, filters=filters)
    page = paginate(organisations, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "stakeholders/organisation_list.html",
        {"page": page, "filters": form, **_list_context(request, filters)},
    )


@allowed(permissions.can_read_directory)
def organisation_choices(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Organisations matching `q`, for the pickers."""
    query = request.GET.get("q", "")[:100]
    found = selectors.organisation_choices(user=request.user, query=query) if query else []
    return JsonResponse({"results": [{"value": o.pk, "text": o.local_name} for o in found]})


@allowed(permissions.can_read_directory)
def person_choices(request: AuthenticatedHttpRequest) -> JsonResponse:
    """People matching `q`, for the pickers; only those of `organisation` when given."""
    query = request.GET.get("q", "")[:100]
    organisation = id_param(request.GET.get("organisation"))
    found = (
        selectors.person_choices(user=request.user, query=query, organisation=organisation)
        if query
        else []
    )
    return JsonResponse({"results": [{"value": p.pk, "text": person_label(p)} for p in found]})


@allowed(permissions.can_read_directory, cached=True)
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk)
    user = request.user
    people = list(selectors.organisation_people(user=user, organisation=organisation))
    for person in people:
        person.show_contact = permissions.can_see_contact(user, person)  # type: ignore[attr-defined]  # for the template
    active_people = [person for person in people if person.is_active]
    can_manage = permissions.can_manage_directory(user)
    context = {
        "organisation": organisation,
        "people": people,
        "engagement": {
            "people": len(active_people),
            "focal_points": sum(
                p.mechanism_role == MechanismRole.FOCAL_POINT for p in active_people
            ),
            "accounts": sum(p.has_account and p.user.is_active for p in active_people),
        },
        "more_engagement": engagement.figures(user, organisation),
        "children": selectors.organisation_children(user=user, organisation=organisation),
        "can_edit": permissions.can_edit_organisation(user, organisation),
        "can_manage": can_manage,
        "history": history_entries(organisation) if permissions.can_see_history(user) else [],
        "can_see_history": permissions.can_see_history(user),
    }
    return render(request, "stakeholders/organisation_detail.html", context)


@allowed(permissions.can_manage_directory, methods=READ_WRITE)
def organisation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationForm(
        request.POST or None, user=request.user, editable=permissions.ORGANISATION_FIELDS
    )
    if request.method == "POST":
        created = save_form(
            form, lambda data: services.organisation_create(user=request.user, data=data)
        )
        if created is not None:
            messages.success(request, _("Organisation added."))
            return redirect(created)
    return form_page(
        request, form, _("New organisation"), reverse("stakeholders:organisation_list")
    )


@allowed(permissions.can_edit_records, methods=READ_WRITE)
def organisation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk)
    editable = permissions.organisation_editable_fields(request.user, organisation)
    if not editable:
        raise Http404
    # The form validates a copy, so that the service sees what changes.
    form = OrganisationForm(
        request.POST or None,
        instance=Organisation.objects.get(pk=organisation.pk),
        user=request.user,
        editable=editable,
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.organisation_update(
                user=request.user, organisation=organisation, data=data, version=version
            ),
        )
        if saved is not None:
            messages.success(request, _("Organisation saved."))
            return redirect(organisation)
    return form_page(
        request,
        form,
        _("Edit %(name)s") % {"name": organisation.name},
        organisation.get_absolute_url(),
        conflict=conflict,
    )


@allowed(permissions.can_manage_directory, methods=WRITE)
def organisation_set_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    organisation = organisation_or_404(request, pk)
    active = request.POST.get("active") == "1"
    act(
        request,
        lambda: services.organisation_set_active(
            user=request.user, organisation=organisation, active=active
        ),
        done=_("Organisation reactivated.") if active else _("Organisation deactivated."),
    )
    return redirect(organisation)


@allowed(permissions.can_manage_directory, methods=READ_WRITE)
def organisation_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    duplicate = organisation_or_404(request, pk)
    form = MergeForm(request.POST or None, user=request.user, duplicate=duplicate)
    if request.method == "POST" and form.is_valid():
        try:
            keep = services.organisation_merge(
                user=request.user, duplicate=duplicate, keep=form.cleaned_data["keep"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(duplicate)s was merged into %(keep)s.")
                % {"duplicate": duplicate.name, "keep": keep.name},
            )
            return redirect(keep)
    return render(
        request, "stakeholders/organisation_merge.html", {"form": form, "duplicate": duplicate}
    )


@allowed(permissions.can_read_directory, cached=True)
def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET, user=request.user)
    filters = form.filters
    people = selectors.person_list(user=request.user, filters=filters)
    page = paginate(people, request.GET.get("page"), PAGE_SIZE)
    for person in page.object_list:
        person.show_contact = permissions.can_see_contact(request.user, person)  # type: ignore[attr-defined]  # for the template
    return render(
        request,
        "stakeholders/person_list.html",
        {"page": page, "filters": form, **_list_context(request, filters)},
    )


@allowed(permissions.can_read_directory, cached=True)
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = person_or_404(request, pk)
    user = request.user
    grant_roles = permissions.grantable_roles(user, person)
    context = {
        "person": person,
        "access": selectors.person_access(user=user, person=person),
        "grant_roles": [(value, str(Role(value).label)) for value in grant_roles],
        "roles": Role.choices,
        "show_contact": permissions.can_see_contact(user, person),
        "can_edit": permissions.can_edit_person(user, person),
        "can_manage": permissions.can_manage_directory(user) and person.anonymised_at is None,
        "can_see_history": permissions.can_see_history(user),
        "history": history_entries(person) if permissions.can_see_history(user) else [],
    }
    return render(request, "stakeholders/person_detail.html", context)


@allowed(permissions.can_manage_directory, methods=READ_WRITE)
def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {}
    if (organisation := id_param(request.GET.get("organisation"))) is not None:
        initial["organisation"] = organisation
    form = PersonForm(
        request.POST or None, initial=initial, user=request.user, editable=permissions.PERSON_FIELDS
    )
    if request.method == "POST":
        created = save_form(form, lambda data: services.person_create(user=request.user, data=data))
        if created is not None:
            messages.success(request, _("Person added."))
            return redirect(created)
    cancel_url = (
        reverse("stakeholders:organisation_detail", args=[initial["organisation"]])
        if "organisation" in initial
        else reverse("stakeholders:person_list")
    )
    return form_page(request, form, _("New person"), cancel_url)


@allowed(permissions.can_edit_records, methods=READ_WRITE)
def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = person_or_404(request, pk)
    editable = permissions.person_editable_fields(request.user, person)
    if not editable:
        raise Http404
    form = PersonForm(
        request.POST or None,
        instance=Person.objects.get(pk=person.pk),
        user=request.user,
        editable=editable,
    )
    conflict: list[dict[str, Any]] = []
    if request.method == "POST":
        saved, conflict = save_edit_form(
            form,
            lambda data, version: services.person_update(
                user=request.user, person=person, data=data, version=version
            ),
        )
        if saved is not None:
            messages.success(request, _("Details saved."))
            return redirect(person)
    return form_page(
        request,
        form,
        _("Edit %(name)s") % {"name": person.full_name},
        person.get_absolute_url(),
        conflict=conflict,
    )


@allowed(permissions.can_manage_directory, methods=WRITE)
def person_set_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    person = person_or_404(request, pk)
    active = request.POST.get("active") == "1"
    act(
        request,
        lambda: services.person_set_active(user=request.user, person=person, active=active),
        done=_("Person reactivated.") if active else _("Person deactivated."),
    )
    return redirect(person)


@allowed(permissions.can_manage_directory, methods=READ_WRITE)
def person_anonymise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = person_or_404(request, pk)
    if request.method == "POST":
        services.person_anonymise(user=request.user, person=person, request=request)
        messages.success(request, _("The person's personal details were removed."))
        return redirect(person)
    return render(request, "stakeholders/person_anonymise.html", {"person": person})
