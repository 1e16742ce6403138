"""The directory's pages: thin views over the selectors, forms and services."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.lib.history import history_entries
from stakeholders import accounts, selectors, services
from stakeholders.access import role_required
from stakeholders.forms import (
    MergeForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
)
from stakeholders.models import Organisation, Person, Role

PAGE_SIZE = 25
READERS = (Role.SECRETARIAT, Role.PARTNER, Role.DONOR)


def _organisation_or_404(request: HttpRequest, pk: int) -> Organisation:
    organisation = selectors.organisation_detail(user=request.user, pk=pk)
    if organisation is None:
        raise Http404
    return organisation


def _person_or_404(request: HttpRequest, pk: int) -> Person:
    person = selectors.person_detail(user=request.user, pk=pk)
    if person is None:
        raise Http404
    return person


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _save_form(form: Any, save: Any) -> bool:
    """Run a service with the form's data; put its validation errors on the form."""
    if not form.is_valid():
        return False
    try:
        save({name: form.cleaned_data[name] for name in form.fields})
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


@role_required(*READERS)
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisation_list(user=request.user, params=request.GET)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/organisation_list.html",
        {
            "page": page,
            "filters": OrganisationFilterForm(request.GET),
            "query": _query_without(request, "page"),
            "sort_base": _query_without(request, "page", "sort"),
            "sort": request.GET.get("sort", "name"),
        },
    )


@role_required(*READERS)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    people = list(selectors.organisation_people(user=request.user, organisation=organisation))
    for person in people:
        person.show_contact = person.contact_visible_to(request.user)  # type: ignore[attr-defined]
    active_people = [person for person in people if person.is_active]
    context = {
        "organisation": organisation,
        "people": people,
        "engagement": {
            "people": len(active_people),
            "focal_points": sum(p.mechanism_role == "focal_point" for p in active_people),
            "accounts": sum(p.has_account and p.user.is_active for p in active_people),
        },
        "children": selectors.organisation_children(user=request.user, organisation=organisation),
        "can_edit": bool(
            services.organisation_editable_fields(user=request.user, organisation=organisation)
        ),
        "history": history_entries(organisation) if request.user.is_secretariat else [],  # type: ignore[union-attr]
    }
    return render(request, "stakeholders/organisation_detail.html", context)


@role_required(Role.SECRETARIAT)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, editable=services.ORGANISATION_FIELDS)
    created: list[Organisation] = []
    if request.method == "POST" and _save_form(
        form,
        lambda data: created.append(services.organisation_create(user=request.user, data=data)),
    ):
        messages.success(request, _("Organisation added."))
        return redirect(created[0])
    return render(
        request,
        "stakeholders/form.html",
        {
            "form": form,
            "title": _("New organisation"),
            "cancel_url": reverse("stakeholders:organisation_list"),
        },
    )


@role_required(Role.SECRETARIAT, Role.PARTNER)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    editable = services.organisation_editable_fields(user=request.user, organisation=organisation)
    if not editable:
        raise Http404
    # The form validates a copy, so that the service sees what changes.
    form = OrganisationForm(
        request.POST or None,
        instance=Organisation.objects.get(pk=organisation.pk),
        editable=editable,
    )
    if request.method == "POST" and _save_form(
        form,
        lambda data: services.organisation_update(
            user=request.user, organisation=organisation, data=data
        ),
    ):
        messages.success(request, _("Organisation saved."))
        return redirect(organisation)
    return render(
        request,
        "stakeholders/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": organisation.name},
            "cancel_url": organisation.get_absolute_url(),
        },
    )


@require_POST
@role_required(Role.SECRETARIAT)
def organisation_set_active(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    organisation = _organisation_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.organisation_set_active(
            user=request.user, organisation=organisation, active=active
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Organisation reactivated.") if active else _("Organisation deactivated.")
        )
    return redirect(organisation)


@role_required(Role.SECRETARIAT)
def organisation_merge(request: HttpRequest, pk: int) -> HttpResponse:
    duplicate = _organisation_or_404(request, pk)
    form = MergeForm(request.POST or None, duplicate=duplicate)
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


@role_required(*READERS)
def person_list(request: HttpRequest) -> HttpResponse:
    people = selectors.person_list(user=request.user, params=request.GET)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.show_contact = person.contact_visible_to(request.user)  # type: ignore[attr-defined]
    return render(
        request,
        "stakeholders/person_list.html",
        {
            "page": page,
            "filters": PersonFilterForm(request.GET),
            "query": _query_without(request, "page"),
            "sort_base": _query_without(request, "page", "sort"),
            "sort": request.GET.get("sort", "name"),
        },
    )


@role_required(*READERS)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    account = getattr(person, "user", None)
    has_access = account is not None and account.is_active and account.has_usable_password()
    context = {
        "person": person,
        "access": selectors.person_access(user=request.user, person=person),
        "grant_roles": _grant_roles(request, person, account, has_access),
        "roles": Role.choices,
        "show_contact": person.contact_visible_to(request.user),
        "can_edit": bool(services.person_editable_fields(user=request.user, person=person)),
        "history": history_entries(person) if request.user.is_secretariat else [],  # type: ignore[union-attr]
    }
    return render(request, "stakeholders/person_detail.html", context)


def _grant_roles(
    request: HttpRequest, person: Person, account: Any, has_access: bool
) -> list[tuple[str, str]]:
    """The roles the page offers to give; a pending account is re-invited with its role."""
    if has_access:
        return []
    roles = accounts.invitable_roles(actor=request.user, person=person)
    if account is not None:
        may_resend = request.user.is_secretariat or account.is_active  # type: ignore[union-attr]
        roles = [account.role] if account.role in roles and may_resend else []
    return [(value, str(Role(value).label)) for value in roles]


@role_required(Role.SECRETARIAT)
def person_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if (organisation := selectors.id_param(request.GET.get("organisation"))) is not None:
        initial["organisation"] = organisation
    form = PersonForm(request.POST or None, initial=initial, editable=services.PERSON_FIELDS)
    created: list[Person] = []
    if request.method == "POST" and _save_form(
        form, lambda data: created.append(services.person_create(user=request.user, data=data))
    ):
        messages.success(request, _("Person added."))
        return redirect(created[0])
    return render(
        request,
        "stakeholders/form.html",
        {
            "form": form,
            "title": _("New person"),
            "cancel_url": reverse(
                "stakeholders:organisation_detail", args=[initial["organisation"]]
            )
            if "organisation" in initial
            else reverse("stakeholders:person_list"),
        },
    )


@role_required(Role.SECRETARIAT, Role.PARTNER)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    editable = services.person_editable_fields(user=request.user, person=person)
    if not editable:
        raise Http404
    form = PersonForm(
        request.POST or None, instance=Person.objects.get(pk=person.pk), editable=editable
    )
    if request.method == "POST" and _save_form(
        form, lambda data: services.person_update(user=request.user, person=person, data=data)
    ):
        messages.success(request, _("Details saved."))
        return redirect(person)
    return render(
        request,
        "stakeholders/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": person.full_name},
            "cancel_url": person.get_absolute_url(),
        },
    )


@require_POST
@role_required(Role.SECRETARIAT)
def person_set_active(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    person = _person_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.person_set_active(user=request.user, person=person, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Person reactivated.") if active else _("Person deactivated."))
    return redirect(person)


@role_required(Role.SECRETARIAT)
def person_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    if request.method == "POST":
        services.person_anonymise(user=request.user, person=person, request=request)
        messages.success(request, _("The person's personal details were removed."))
        return redirect(person)
    return render(request, "stakeholders/person_anonymise.html", {"person": person})
